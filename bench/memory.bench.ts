/**
 * Memory (issue 16, item 5): the bot's resident memory before the first conversation and with
 * 10,000 conversations open (BENCH_CONVERSATIONS), on a fresh SQLite file.
 *
 * - bench/memory-child.ts opens the store, the owner desk and the Telegram adapter as
 *   src/main.ts does, compiled as `npm start` compiles the bot (scripts/build.mjs's options) and
 *   run by plain node with start's own Node flags (read from package.json) plus --expose-gc, so
 *   neither tsx nor this process is in the figure. It reports after a full GC: RSS, the part of
 *   it mapped from files (node's code, the native addons), V8's heap pages, the JS heap in use.
 * - As a check on the child, `dist/bin/main.js` itself, started as `npm start` starts it with a
 *   Telegram token against the fake Bot API (outbox sender, scheduler and staff side included):
 *   its RSS once it polls and has settled, without a forced GC.
 *
 * Target: < 200 MiB with 10,000 open. Exit code 1 if NOT MET.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { bundleOptions } from "../scripts/build.mjs";
import { FakeBotApi } from "../test/fakes/telegram-bot-api.js";
import { migrate } from "./db.js";
import { loadAverage, rssMiB, startFlags, verdict } from "./proc.js";

const TARGET_MIB = 200;
const TOKEN = "123456789:AAbenchTOKENbenchTOKENbe";
/** How long the started bot is left alone after its first poll before its RSS is read. */
const SETTLE_MS = 3_000;

interface Memory {
  readonly rss: number;
  readonly files: number;
  readonly heap: number;
  readonly newSpace: number;
  readonly heapUsed: number;
}

const dir = mkdtempSync(join(tmpdir(), "guanjia-membench-"));
try {
  const flags = startFlags();
  const load = loadAverage();
  const started = await startedIdle(`file:${join(dir, "started.db")}`, flags);
  const url = `file:${join(dir, "bench.db")}`;
  migrate(url);
  await build({ ...bundleOptions, entryPoints: ["bench/memory-child.ts"], outdir: "dist/bench", logLevel: "warning" });
  const out = execFileSync(process.execPath, [...flags, "--expose-gc", "dist/bench/memory-child.js"], { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
  const r = JSON.parse(out.trim().split("\n").at(-1)!) as { conversations: number; idle: Memory; open: Memory; cpuMsPerTurn: number };
  const perConversation = ((r.open.rss - r.idle.rss) * 1024) / r.conversations;
  const f = (n: number) => n.toFixed(1);
  const parts = (m: Memory) =>
    `${f(m.rss)} MiB = ${f(m.files)} mapped from files + ${f(m.heap)} V8 heap (${f(m.newSpace)} of it the young generation, ${f(m.heapUsed)} in use) + ${f(m.rss - m.files - m.heap)} other native`;
  console.log(`memory benchmark: the owner desk, store and Telegram adapter as src/main.ts opens them, compiled, node ${flags.join(" ")}, on SQLite; load average ${load}`);
  console.log(`  before the first conversation: ${parts(r.idle)}`);
  console.log(`  with ${r.conversations} open: ${parts(r.open)}; ${perConversation.toFixed(2)} KiB each; ${r.cpuMsPerTurn.toFixed(2)} ms CPU per turn`);
  console.log(`  dist/bin/main.js as npm start runs it (Telegram, sender, scheduler), idle ${SETTLE_MS / 1000} s after its first poll, no forced GC: ${f(started)} MiB`);
  console.log(`  target < ${TARGET_MIB} MiB with ${r.conversations} open: ${verdict(r.open.rss < TARGET_MIB)}`);
  if (!(r.open.rss < TARGET_MIB)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The RSS of the bot `npm start` starts, with a Telegram token, once it polls and has settled. */
async function startedIdle(databaseUrl: string, flags: string[]): Promise<number> {
  migrate(databaseUrl);
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "ignore" });
  const api = new FakeBotApi(TOKEN);
  const apiRoot = await api.start();
  const env = { ...process.env, DATABASE_URL: databaseUrl, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, LOG_LEVEL: "warn", PLAYGROUND: "off" };
  const child = spawn(process.execPath, [...flags, "dist/bin/main.js"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  child.stderr.on("data", (b: Buffer) => (errors += b.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await Promise.race([api.waitForPoll(30_000), exited.then(() => Promise.reject(new Error(`the bot exited: ${errors.slice(-500)}`)))]);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    if (errors) throw new Error(`the bot wrote to stderr: ${errors.slice(0, 500)}`);
    return rssMiB(child.pid!).now;
  } finally {
    child.kill("SIGTERM");
    await exited;
    await api.stop();
  }
}
