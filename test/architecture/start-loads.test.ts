/**
 * What `npm start` loads before it knows what it serves (issue 16 item 5): the bundle's static
 * imports, followed through its chunks, must not reach a platform SDK, the LLM client, exceljs
 * or pino-pretty. Each costs 9–33 MiB resident; main.ts loads the one configured when needed.
 */
import type { Metafile } from "esbuild";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { bundleOptions } from "../../scripts/build.mjs";

const ON_DEMAND = ["@slack/bolt", "telegraf", "grammy", "@grammyjs/runner", "openai", "exceljs", "pino-pretty"];

/** The packages reached from `entry` through import statements only (not import()). */
function staticPackages(meta: Metafile, entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of meta.outputs[file]?.imports ?? []) {
      if (i.kind !== "import-statement") continue;
      if (i.external) packages.add(i.path);
      else visit(i.path);
    }
  };
  visit(entry);
  return packages;
}

describe("the compiled bot's start-up imports", () => {
  it("leave every platform SDK, the LLM client, exceljs and pino-pretty to a dynamic import", async () => {
    const result = await build({ ...bundleOptions, entryPoints: ["src/main.ts"], outdir: "dist/check", write: false, metafile: true, logLevel: "silent" });
    const entry = Object.keys(result.metafile.outputs).find((f) => f.endsWith("main.js"))!;
    const loaded = staticPackages(result.metafile, entry);
    // The walk itself works: the store's runtime is loaded at start.
    expect(loaded).toContain("pino");
    expect(ON_DEMAND.filter((p) => loaded.has(p))).toEqual([]);
    // And they are still there, behind import() (pino-pretty behind a require): no platform lost.
    const all = new Set(Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
    expect(ON_DEMAND.filter((p) => !all.has(p) && p !== "pino-pretty")).toEqual([]);
  }, 60_000);
});
