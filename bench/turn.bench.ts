/**
 * The cost of one owner turn on SQLite, excluding platform I/O (issue 16, item 2): owners arrive
 * steadily and send the intake bench's 11 messages (the first one creates the person, the last
 * one files), 100 messages/s offered in all. Each turn is timed from its due time to its reply,
 * and split by what it did: the first message, the filing, the rest. CPU per turn is the
 * process's user + system time over the paced run divided by the turns.
 * Target: p99 ≤ 15 ms for every kind of turn, filing included.
 * BENCH_OWNERS (default 200) sets the owners; run under `node --cpu-prof` (via tsx) to profile.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PROPERTY } from "../src/infra/demo-property.js";
import { openStore } from "../src/infra/prisma/open.js";
import { uuidIds } from "../src/infra/system.js";
import { migrate } from "./db.js";
import { countingDesk, intakeScript, MESSAGES_PER_OWNER, pacedOwners } from "./intake-script.js";
import { loadAverage, percentile, underStartFlags, verdict } from "./proc.js";

const OWNERS = Number(process.env.BENCH_OWNERS ?? 200);
const RATE = 100;
const TARGET_P99_MS = 15;

type Kind = "first" | "filing" | "other";
const kindOf = (k: number): Kind => (k === 0 ? "first" : k === MESSAGES_PER_OWNER - 1 ? "filing" : "other");

async function main(): Promise<boolean> {
  console.log(`turn cost: ${OWNERS} owners × ${MESSAGES_PER_OWNER} messages paced at ${RATE} messages/s, SQLite; load average ${loadAverage()}`);
  const dir = mkdtempSync(join(tmpdir(), "guanjia-turn-"));
  const url = `file:${join(dir, "bench.db")}`;
  migrate(url);
  const { store, close } = await openStore({ databaseUrl: url, ids: uuidIds });
  const latencies: Record<Kind, number[]> = { first: [], filing: [], other: [] };
  let cpu: NodeJS.CpuUsage;
  let desk: ReturnType<typeof countingDesk>;
  try {
    await store.createProperty(DEMO_PROPERTY);
    desk = countingDesk(store);
    // Warm-up: a few owners unpaced, so the first compilations are not counted.
    for (let i = 0; i < 20; i++) for (const body of intakeScript(10_000 + i)) await desk.send(`w${i}`, body);
    const cpu0 = process.cpuUsage();
    await pacedOwners({
      owners: OWNERS,
      rate: RATE,
      script: intakeScript,
      send: (i, body) => desk.send(`o${i}`, body),
      answered: (k, due, done) => latencies[kindOf(k)].push(done - due),
    });
    cpu = process.cpuUsage(cpu0);
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
  const turns = OWNERS * MESSAGES_PER_OWNER;
  const all = [...latencies.first, ...latencies.filing, ...latencies.other].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(2);
  // Judged on every kind of turn, as the top of this file says, not on all of them together: the
  // filing is one turn in eleven, so its slowest would hide inside the p99 of all.
  let everyKind = true;
  for (const kind of ["first", "filing", "other"] as const) {
    const sorted = latencies[kind].sort((a, b) => a - b);
    const kindP99 = percentile(sorted, 99);
    everyKind &&= kindP99 <= TARGET_P99_MS;
    console.log(`  ${kind.padEnd(6)} ${sorted.length} turns: p50 ${f(percentile(sorted, 50))} ms, p99 ${f(kindP99)} ms (target ≤ ${TARGET_P99_MS} ms: ${verdict(kindP99 <= TARGET_P99_MS)}), max ${f(sorted.at(-1) ?? 0)} ms`);
  }
  const p99 = percentile(all, 99);
  const cpuMs = (cpu.user + cpu.system) / 1000 / turns;
  console.log(`  all    ${turns} turns: p50 ${f(percentile(all, 50))} ms, p99 ${f(p99)} ms (target ≤ ${TARGET_P99_MS} ms: ${verdict(p99 <= TARGET_P99_MS)}); CPU ${f(cpuMs)} ms per turn`);
  console.log(`  failed turns ${desk.failedTurns}; load average at the end ${loadAverage()}`);
  return everyKind && p99 <= TARGET_P99_MS && desk.failedTurns === 0;
}

underStartFlags();
if (!(await main())) process.exitCode = 1;
