/**
 * Outbound at Telegram's limits (issue 16, item 3): the real outbox sender, store and send
 * ledger drain into the sliding-window fake (test/fakes/sliding-window.ts), which timestamps
 * every call and counts the closed windows over each limit: 30 calls in 1 s for the bot, 1 in
 * 1 s per chat, 20 in 60 s per group.
 *
 * - Broadcast: one message to each of 200 groups, queued at once, in real time; by one sender,
 *   then by two senders sharing the database (two connections on PostgreSQL; one store on
 *   SQLite, whose single writer is the process's anyway).
 * - Burst: 25 messages to one group, by one sender. The group's minute makes that 65 s of mostly
 *   waiting, so this clock skips the waits (a sleep moves it on at once) while everything else
 *   (the database, the sender's work) takes the real time it takes.
 *
 * Fraction of the allowed rate: the same calls, scheduled under the exact limits with nothing
 * else to do, would start their last batch at some time T (the 181st broadcast call at 6 s; the
 * burst's 25th call at 64 s); the fraction is T over the time the sender took to get there.
 * Calls within a batch are spread by the sender's own work and are not counted against it.
 *
 * SQLite always (a fresh migrated file); PostgreSQL too when TEST_DATABASE_URL is set (a scratch
 * database created beside it and dropped after).
 * Target: ≥ 0.95 of the allowed rate on every broadcast, and 0 windows over any limit anywhere.
 * Exit code 1 when NOT MET.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { NewOutboxMessage } from "../src/core/outbox.js";
import type { Clock } from "../src/core/time/clock.js";
import { createOutboxSender } from "../src/infra/outbox/sender.js";
import { PLATFORM_LIMITS, Throttle } from "../src/infra/outbox/throttle.js";
import { openStore, type OpenedStore } from "../src/infra/prisma/open.js";
import { createSendLedger } from "../src/infra/prisma/outbox.js";
import { underStartFlags } from "./proc.js";
import { fullestCalendarSecond, fullestWindow, isGroup, overLimits, SlidingWindowTransport, TELEGRAM_LIMITS, type CountedCall } from "../test/fakes/sliding-window.js";

const TARGET_FRACTION = 0.95;
const FAR = new Date("3000-01-01T00:00:00Z");

const msg = (chatId: string, label: string): NewOutboxMessage => ({
  kind: "message",
  to: { platform: "telegram", chatId },
  body: { locale: "zh-CN", text: [{ key: "common.raw", params: { text: label } }] },
});
const render = async (m: NewOutboxMessage) => (m.kind === "message" ? { text: String(m.body.text[0]!.params?.["text"]), choices: [] } : null);
const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** When the calls' last batch would start under the exact limits, all queued at 0, nothing else to do. */
function idealLastBatch(calls: readonly CountedCall[]): { index: number; at: number } {
  const exact = new Throttle(PLATFORM_LIMITS.telegram!, 0);
  const times = calls.map((c) => exact.reserve(c.chatId, isGroup(c.chatId) ? "group" : "private", 0));
  let index = 0;
  times.forEach((t, i) => {
    if (i > 0 && t > times[i - 1]!) index = i;
  });
  return { index, at: times[index]! };
}

interface Measured {
  readonly name: string;
  readonly calls: readonly CountedCall[];
  readonly fraction: number;
  readonly over: Record<string, number>;
  readonly broadcast: boolean;
}

function measure(name: string, calls: CountedCall[], expected: number, broadcast: boolean): Measured {
  if (calls.length !== expected) throw new Error(`${name}: ${calls.length} calls, expected ${expected}`);
  const sorted = [...calls].sort((a, b) => a.at - b.at);
  const ideal = idealLastBatch(sorted);
  const took = sorted[ideal.index]!.at - sorted[0]!.at;
  const fraction = took === 0 ? 1 : ideal.at / took;
  const over = overLimits(sorted, TELEGRAM_LIMITS);
  const times = sorted.map((c) => c.at);
  console.log(
    `  ${name}: ${calls.length} calls in ${((times.at(-1)! - times[0]!) / 1000).toFixed(2)} s; ` +
      `last batch at ${(took / 1000).toFixed(2)} s (exact limits: ${(ideal.at / 1000).toFixed(2)} s) = ${fraction.toFixed(3)} of the allowed rate; ` +
      `windows over: ${Object.entries(over).map(([k, v]) => `${k} ${v}`).join(", ")}; ` +
      `fullest 1 s ${fullestWindow(times, 1_000)}, fullest calendar second ${fullestCalendarSecond(sorted)}`,
  );
  return { name, calls, fraction, over, broadcast };
}

/** Drain with every sender until the outbox is empty, polling as the running app does. */
async function drainAll(opened: OpenedStore, senders: ReturnType<typeof createOutboxSender>[], sleep: (ms: number) => Promise<void>): Promise<void> {
  await Promise.all(
    senders.map(async (s) => {
      for (;;) {
        await s.drainOnce();
        if ((await opened.outbox.due(FAR, 1)).length === 0) return;
        await sleep(100);
      }
    }),
  );
}

const realClock: Clock = { now: () => new Date() };
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function broadcast(instances: OpenedStore[], label: string): Promise<Measured> {
  const calls: CountedCall[] = [];
  const [first] = instances;
  await first!.outbox.enqueue(Array.from({ length: 200 }, (_, g) => msg(`-${1000 + g}`, `${label} ${g}`)), realClock.now());
  const senders = instances.map((o) =>
    createOutboxSender({
      outbox: o.outbox,
      store: o.store,
      transports: [new SlidingWindowTransport("telegram", () => Date.now(), calls)],
      render,
      clock: realClock,
      sleep: realSleep,
      logger: quiet,
      ledger: o.use(createSendLedger),
    }),
  );
  await drainAll(first!, senders, realSleep);
  return measure(label, calls, 200, true);
}

async function burst(opened: OpenedStore): Promise<Measured> {
  const calls: CountedCall[] = [];
  let skipped = 0;
  const now = () => Date.now() + skipped;
  const clock: Clock = { now: () => new Date(now()) };
  const sleep = async (ms: number) => {
    skipped += ms;
    await new Promise((resolve) => setImmediate(resolve));
  };
  await opened.outbox.enqueue(Array.from({ length: 25 }, (_, i) => msg("-1", `burst ${i}`)), clock.now());
  const sender = createOutboxSender({
    outbox: opened.outbox,
    store: opened.store,
    transports: [new SlidingWindowTransport("telegram", now, calls)],
    render,
    clock,
    sleep,
    logger: quiet,
    ledger: opened.use(createSendLedger),
  });
  for (;;) {
    await sender.drainOnce();
    const [next] = await opened.outbox.due(FAR, 1);
    if (!next) break;
    skipped += Math.max(100, next.nextAttemptAt.getTime() - now());
  }
  return measure("burst of 25 to one group, 1 sender (waits skipped)", calls, 25, false);
}

async function onSqlite(): Promise<Measured[]> {
  const dir = mkdtempSync(join(tmpdir(), "guanjia-outbound-bench-"));
  const url = `file:${join(dir, "outbound.db")}`;
  try {
    execFileSync(process.execPath, ["scripts/migrate.mjs"], { env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" });
    const opened = await openStore({ databaseUrl: url });
    try {
      console.log("outbound on SQLite:");
      return [
        await broadcast([opened], "broadcast to 200 groups, 1 sender"),
        await broadcast([opened, opened], "broadcast to 200 groups, 2 senders"),
        await burst(opened),
      ];
    } finally {
      await opened.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(base: string): Promise<Measured[]> {
  const name = `guanjia_bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  try {
    execFileSync(process.execPath, ["scripts/migrate.mjs"], { env: { ...process.env, DATABASE_URL: url.toString() }, stdio: "ignore" });
    const [a, b] = [await openStore({ databaseUrl: url.toString() }), await openStore({ databaseUrl: url.toString() })];
    try {
      console.log("outbound on PostgreSQL:");
      return [
        await broadcast([a], "broadcast to 200 groups, 1 sender"),
        await broadcast([a, b], "broadcast to 200 groups, 2 senders on 2 connections"),
        await burst(a),
      ];
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const results = await onSqlite();
  const pgUrl = process.env.TEST_DATABASE_URL?.trim();
  if (pgUrl) results.push(...(await onPostgres(pgUrl)));
  const slowest = Math.min(...results.filter((r) => r.broadcast).map((r) => r.fraction));
  const windowsOver = results.reduce((sum, r) => sum + Object.values(r.over).reduce((a, b) => a + b, 0), 0);
  const met = slowest >= TARGET_FRACTION && windowsOver === 0;
  console.log(
    `target: ≥ ${TARGET_FRACTION} of the allowed rate on a broadcast (lowest: ${slowest.toFixed(3)}), ` +
      `0 windows over a limit (counted: ${windowsOver}) — ${met ? "MET" : "NOT MET"}`,
  );
  if (!met) process.exitCode = 1;
}

underStartFlags();
await main();
