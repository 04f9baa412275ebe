/** A child process's CPU time and memory, read from /proc (Linux), for the benches that spawn bots. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's times; 100 on every Linux we run on. */
const TICKS_PER_S = 100;

/** User + system CPU time of the process so far, ms. */
export function cpuMs(pid: number): number {
  return statCpuMs(`/proc/${pid}/stat`);
}

/**
 * The process's CPU time so far split by thread, ms: its main thread (the event loop, whose id is
 * the process's) and all the others (V8's worker, compiling hot functions and marking for the GC;
 * libuv's pool). A thread that ended is missing from both.
 */
export function threadCpuMs(pid: number): { main: number; others: number } {
  let others = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    if (task === String(pid)) continue;
    try {
      others += statCpuMs(`/proc/${pid}/task/${task}/stat`);
    } catch {} // ended between the listing and the read
  }
  return { main: statCpuMs(`/proc/${pid}/task/${pid}/stat`), others };
}

function statCpuMs(path: string): number {
  const stat = readFileSync(path, "utf8");
  // The command name may hold spaces; the fields after it are fixed (utime 14, stime 15).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

/** Resident memory now (VmRSS) and the peak so far (VmHWM), MiB. */
export function rssMiB(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { now: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

export const verdict = (met: boolean) => (met ? "MET" : "NOT MET");

/**
 * The Node flags `npm start` runs the bot with, read from package.json's start script (the
 * `node … dist/bin/main.js` step), so a bench that runs the bot runs it as start does.
 */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } };
  const step = pkg.scripts.start.split("&&").map((s) => s.trim().split(/\s+/)).find((words) => words.at(-1) === "dist/bin/main.js");
  if (!step || step[0] !== "node") throw new Error(`package.json's start script does not end in "node … dist/bin/main.js": ${pkg.scripts.start}`);
  return step.slice(1, -1);
}

/**
 * Runs this bench again under `npm start`'s Node flags unless it runs under them already, and
 * exits with its code: a bench that times the bot's code in its own process then measures it as
 * production runs it (the flags change how V8 compiles it, see the README's Benchmark section).
 */
export function underStartFlags(): void {
  const flags = startFlags();
  if (flags.every((f) => process.execArgv.includes(f))) return;
  const run = spawnSync(process.execPath, [...flags, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}
