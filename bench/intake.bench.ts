/**
 * 1,000 simulated owners each completing a full repair intake (11 messages, one photo)
 * through the core and the SQLite store, concurrently.
 *
 * Two runs, because one number cannot say both things:
 * - saturation: all 1,000 owners in flight at once, each sending its next message as soon as
 *   the reply arrives. This gives the throughput; its latency is mostly queueing (1,000
 *   messages wait behind one SQLite writer) and is printed for honesty, not judged.
 * - paced: the same intake by 1,000 new owners arriving steadily (45 a second), each answering
 *   a second after the previous question: 500 messages/s offered in all, first messages (which
 *   create the person) mixed with answers as in real traffic. This gives the latency an owner
 *   sees at the target load.
 * Target (issue 2): throughput ≥ 500 messages/s and p99 < 50 ms at 500 messages/s.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OwnerDesk } from "../src/core/desk/owner-desk.js";
import type { InboundBody } from "../src/core/messages.js";
import { DEMO_PROPERTY } from "../src/infra/demo-property.js";
import { openStore } from "../src/infra/prisma/open.js";
import { systemClock, uuidIds } from "../src/infra/system.js";

const OWNERS = Number(process.env.BENCH_OWNERS ?? 1000);
const PACED_RATE = 500;

function script(i: number): InboundBody[] {
  const text = (t: string): InboundBody => ({ type: "text", text: t });
  return [
    text("楼上漏水,我家天花板都泡了,墙皮也掉了"),
    text("1"),
    text(`${1 + (i % 30)}-${1000 + i}`),
    text("张三"),
    text(`138${String(i).padStart(8, "0")}`),
    text("1"),
    text("昨天晚上"),
    { type: "photo", fileRef: `bench:${i}` },
    text("1"),
    text("明天上午"),
    text("1"),
  ];
}

const MESSAGES_PER_OWNER = script(0).length;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "guanjia-bench-"));
  const url = `file:${join(dir, "bench.db")}`;
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" });
  const { store, close } = await openStore({ databaseUrl: url, ids: uuidIds });
  await store.createProperty(DEMO_PROPERTY);
  const desk = new OwnerDesk({
    store,
    clock: systemClock,
    ids: uuidIds,
    // Anything logged, a warning too, means the bench left the path it measures.
    logger: {
      error: (m, e) => { throw new Error(`${m}: ${String(e)}`); },
      warn: (m, e) => { throw new Error(`${m}: ${String(e)}`); },
      info: () => undefined,
      debug: () => undefined,
    },
  });

  const send = async (owner: string, body: InboundBody, latencies: number[]) => {
    const start = performance.now();
    const outcome = await desk.handle({ channel: "console", conversationKey: `bench:${owner}`, sender: { platformUserId: owner }, body });
    latencies.push(performance.now() - start);
    if (outcome.replies.some((r) => r.text.some((t) => t.key === "error.internal"))) throw new Error("a turn failed");
  };

  // Saturation: everyone at once.
  const satLatencies: number[] = [];
  let t0 = performance.now();
  await Promise.all(
    Array.from({ length: OWNERS }, async (_, i) => {
      for (const body of script(i)) await send(`s${i}`, body, satLatencies);
    }),
  );
  const satSeconds = (performance.now() - t0) / 1000;

  // Paced: owners arrive steadily and each answers about a second after the previous question,
  // so messages are offered at PACED_RATE overall; an owner never sends before their reply came.
  const pacedLatencies: number[] = [];
  const pacedDone: number[] = [];
  const arrivalGapMs = (1000 * MESSAGES_PER_OWNER) / PACED_RATE;
  const answerGapMs = 1000;
  t0 = performance.now();
  const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
  await Promise.all(
    Array.from({ length: OWNERS }, async (_, i) => {
      const arrival = t0 + i * arrivalGapMs;
      for (const [k, body] of script(OWNERS + i).entries()) {
        await sleepUntil(arrival + k * answerGapMs);
        await send(`p${i}`, body, pacedLatencies);
        pacedDone.push(performance.now());
      }
    }),
  );
  const pacedSeconds = (performance.now() - t0) / 1000;
  // Steady state: after the first owners finished ramping up, before the last ones arrived.
  const steadyFrom = t0 + MESSAGES_PER_OWNER * answerGapMs;
  const steadyTo = t0 + (OWNERS - 1) * arrivalGapMs;
  const steadyRate = pacedDone.filter((t) => t >= steadyFrom && t < steadyTo).length / ((steadyTo - steadyFrom) / 1000);

  const filed = (await store.ticketByNumber(`HG-${String(2 * OWNERS).padStart(4, "0")}`)) !== null;
  await close();
  rmSync(dir, { recursive: true, force: true });

  satLatencies.sort((a, b) => a - b);
  pacedLatencies.sort((a, b) => a - b);
  const satRate = satLatencies.length / satSeconds;
  const pacedP99 = percentile(pacedLatencies, 99);
  const rss = process.resourceUsage().maxRSS / 1024;
  const f = (n: number) => n.toFixed(1);
  console.log(`intake benchmark: ${OWNERS} owners × ${MESSAGES_PER_OWNER} messages, SQLite file, one process`);
  console.log(
    `  saturation (all ${OWNERS} in flight): ${satLatencies.length} messages in ${f(satSeconds)} s = ${f(satRate)} messages/s; ` +
      `latency p50 ${f(percentile(satLatencies, 50))} ms, p99 ${f(percentile(satLatencies, 99))} ms (queueing included)`,
  );
  console.log(
    `  paced at ${PACED_RATE} messages/s: ${pacedLatencies.length} messages in ${f(pacedSeconds)} s with ramp-up and ramp-down, ` +
      `${f(steadyRate)} messages/s in steady state; ` +
      `latency p50 ${f(percentile(pacedLatencies, 50))} ms, p99 ${f(pacedP99)} ms`,
  );
  console.log(`  peak RSS ${f(rss)} MiB; all ${2 * OWNERS} tickets filed: ${filed ? "yes" : "NO"}`);
  const pass = satRate >= 500 && pacedP99 < 50 && filed;
  console.log(`  target ≥ 500 messages/s and p99 < 50 ms at 500 messages/s: ${pass ? "met" : "NOT MET"}`);
  if (!pass) process.exitCode = 1;
}

await main();
