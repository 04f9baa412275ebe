/**
 * The page's own files (HTML, CSS, script), read from this folder's page/ beside the code:
 * no build step, nothing from a CDN. Found from the repository root, so the bundled bot
 * (dist/bin/main.js) serves the same files as the sources.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PAGE_FILES = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/app.css": { file: "app.css", type: "text/css; charset=utf-8" },
} as const;

export type PagePath = keyof typeof PAGE_FILES;

/** The folder holding package.json above this file (or above the bundle). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("playground: cannot find the repository root above " + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

function pageDir(): string {
  return join(repoRoot(), "src", "adapters", "playground", "page");
}

/** Read at each request: editing the page needs no restart, and a demo serves a handful. */
export function pageFile(path: PagePath): { body: Buffer; type: string } {
  const { file, type } = PAGE_FILES[path];
  return { body: readFileSync(join(pageDir(), file)), type };
}
