#!/usr/bin/env node
// Compiles the bot to plain JavaScript for `npm start` (issue 16 item 5): tsx compiling every
// module at run time costs start-up time and memory a long-running bot should not pay. esbuild
// bundles our own code (src/, the generated Prisma clients included) into one file in about a
// tenth of a second, so start builds every time and is never stale; packages stay external.
// The bundle sits two folders below the repository, as src/<room>/<file>.ts does, so paths the
// code resolves from its own URL (src/i18n/catalog.ts finds ../../locales/) hold unchanged; so
// do its chunks, which is why they sit beside the entries rather than in a folder of their own.
//
// `npm run admin` (scripts/admin.mjs) uses buildIfStale: an operator's command should not pay
// the build each time (issue 13 item 5), so it rebuilds only when a file the bundle was made
// from changed since.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const outdir = path.join(root, "dist/bin");
const inputsOf = (entry) => path.join(outdir, `${entry}.inputs.json`);

/** How the bot is compiled; bench/memory.bench.ts compiles its child the same way. */
export const bundleOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  // --enable-source-maps keeps every map it loads in memory: stack traces need the mappings,
  // not a copy of every source file (issue 16 item 5).
  sourcesContent: false,
  // A dynamic import stays one: without chunks esbuild inlines the module and hoists its
  // packages to the top, so every admin command loaded exceljs (~0.2 s) to print a table.
  splitting: true,
  chunkNames: "chunk-[hash]",
};

/** Builds the entries (src/<entry>.ts → dist/bin/<entry>.js) and records what each was made from. */
export async function build(entries) {
  // Loaded only to build: importing esbuild alone costs a fresh admin command ~60 ms.
  const { build: esbuild } = await import("esbuild");
  const result = await esbuild({
    ...bundleOptions,
    entryPoints: entries.map((e) => `src/${e}.ts`),
    outdir,
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  // Each file is renamed into place whole: another process (a second admin command, a test)
  // may be loading a chunk of the same name this build writes again.
  fs.mkdirSync(outdir, { recursive: true });
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.contents);
    fs.renameSync(temporary, file.path);
  }
  const inputs = [...Object.keys(result.metafile.inputs), "scripts/build.mjs"];
  for (const e of entries) fs.writeFileSync(inputsOf(e), JSON.stringify(inputs));
}

/** Whether dist/bin/<entry>.js is missing or older than any file it was built from. */
export function isStale(entry) {
  try {
    const built = fs.statSync(path.join(outdir, `${entry}.js`)).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(inputsOf(entry), "utf8"));
    // A file gone (renamed, deleted) was imported by one that changed too: the build must run.
    return inputs.some((file) => !fs.existsSync(path.join(root, file)) || fs.statSync(path.join(root, file)).mtimeMs > built);
  } catch {
    return true;
  }
}

export async function buildIfStale(entry) {
  if (isStale(entry)) await build([entry]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const entries = process.argv.slice(2).length ? process.argv.slice(2) : ["main"];
  const started = performance.now();
  await build(entries);
  if (process.env.BUILD_VERBOSE) console.log(`build: ${entries.join(", ")} in ${Math.round(performance.now() - started)} ms`);
}
