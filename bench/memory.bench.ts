/**
 * Memory (issue 16, item 5): the bot's resident memory before the first conversation and with
 * 10,000 conversations open (BENCH_CONVERSATIONS), on a fresh SQLite file. bench/memory-child.ts
 * is compiled as `npm start` compiles the bot (esbuild, packages external, two folders below
 * the repository so the catalogs are found) and run by plain node, so neither tsx nor this
 * process's own heap is in the figure. Target: < 200 MiB with 10,000 open. Exit code 1 if NOT MET.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { migrate } from "./db.js";
import { loadAverage, verdict } from "./proc.js";

const TARGET_MIB = 200;

const dir = mkdtempSync(join(tmpdir(), "guanjia-membench-"));
try {
  const url = `file:${join(dir, "bench.db")}`;
  migrate(url);
  await build({ entryPoints: ["bench/memory-child.ts"], outdir: "dist/bench", bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
  const load = loadAverage();
  const out = execFileSync(process.execPath, ["--expose-gc", "dist/bench/memory-child.js"], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
  const r = JSON.parse(out.trim().split("\n").at(-1)!) as { conversations: number; idle: number; open: number; idleHeap: number; openHeap: number };
  const perConversation = ((r.open - r.idle) * 1024) / r.conversations;
  console.log(`memory benchmark: the owner desk, store and Telegram adapter as src/main.ts opens them, compiled, on SQLite; load average ${load}`);
  console.log(`  RSS before the first conversation ${r.idle.toFixed(1)} MiB; with ${r.conversations} open ${r.open.toFixed(1)} MiB (${perConversation.toFixed(2)} KiB each); JS heap in use ${r.idleHeap.toFixed(1)} → ${r.openHeap.toFixed(1)} MiB`);
  console.log(`  target < ${TARGET_MIB} MiB with ${r.conversations} open: ${verdict(r.open < TARGET_MIB)}`);
  if (!(r.open < TARGET_MIB)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
