/**
 * Issue 16, item 3: outbound at Telegram's limits, never over them. The sender drains a real
 * outbox into the sliding-window fake (test/fakes/sliding-window.ts), which counts every closed
 * window of 1 s and 60 s holding more calls than Telegram allows: 1 a second in any chat, 20 a
 * minute in a group, 30 a second for the bot. Bursts to one chat, one group and 200 groups, then
 * the same across senders that die mid-burst and one started after them, on a clock only the test
 * moves; then two senders with a throttle and a ledger each over one database, in real time with
 * limits scaled so that it takes seconds, not minutes.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import type { OutboxStore } from "../../../src/core/outbox.js";
import type { Clock } from "../../../src/core/time/clock.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import type { SendLedger } from "../../../src/infra/outbox/ledger.js";
import { createOutboxSender } from "../../../src/infra/outbox/sender.js";
import { PLATFORM_LIMITS, type PlatformLimits } from "../../../src/infra/outbox/throttle.js";
import type { SendResult } from "../../../src/infra/outbox/transport.js";
import { createReplyOutbox } from "../../../src/infra/prisma/conversations.js";
import { openStore, type OpenedStore } from "../../../src/infra/prisma/open.js";
import { createSendLedger, writeOutbox } from "../../../src/infra/prisma/outbox.js";
import { labelled, overLimits, renderLabel, SlidingWindowTransport, type CountedCall, type Limit } from "../../fakes/sliding-window.js";
import { backends, type TestStore } from "../../support/db.js";
import { quietLogger } from "../../support/logger.js";
import { TestClockSender } from "../../support/test-clock-sender.js";

const T0 = new Date("2026-11-23T02:00:00.500Z").getTime();
const FAR = new Date("3000-01-01T00:00:00Z");
const WITHIN_EVERY_LIMIT = { "bot 30/s": 0, "chat 1/s": 0, "group 20/min": 0 };

const msg = labelled;

const burstToOneChat = (n: number) => Array.from({ length: n }, (_, i) => msg("701", `chat#${i}`));
const burstToOneGroup = (n: number) => Array.from({ length: n }, (_, i) => msg("-1", `group#${i}`));
const toGroups = (groups: number, each: number, from = 1000) =>
  Array.from({ length: each }, (_, round) => Array.from({ length: groups }, (_, g) => msg(`-${from + g}`, `g${from + g}#${round}`))).flat();

/** The time from the first call to the last. */
const span = (calls: readonly CountedCall[]) => calls.at(-1)!.at - calls[0]!.at;

describe.each(backends())("the throttle against Telegram's limits on $name", (backend) => {
  let opened: TestStore;
  let store: Stores;
  let outbox: OutboxStore;
  let h: TestClockSender;

  beforeEach(async () => {
    opened = await backend.open();
    ({ store, outbox } = opened);
    h = new TestClockSender(opened, T0);
  });
  afterEach(async () => {
    await opened.close();
  });

  it("3 messages to each of 10 groups: one a second in each group, all three in little over 2 s", async () => {
    const calls: CountedCall[] = [];
    await outbox.enqueue(toGroups(10, 3), h.clock.now());
    await h.settle(h.sender(calls));
    expect(calls).toHaveLength(30);
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
    expect(span(calls)).toBeLessThanOrEqual(2 * 1_040 + 250);
  });

  it("25 messages to one group: one a second, the 21st only once the first has left its minute", async () => {
    const calls: CountedCall[] = [];
    await outbox.enqueue(burstToOneGroup(25), h.clock.now());
    await h.settle(h.sender(calls));
    expect(calls).toHaveLength(25);
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
    expect(calls[20]!.at - calls[0]!.at).toBeGreaterThan(60_000);
    expect(calls[20]!.at - calls[0]!.at).toBeLessThanOrEqual(62_400 + 250); // and not much later
  });

  it("a broadcast to 200 groups: 30 a second for the bot, at 95 % of that rate or better", async () => {
    const calls: CountedCall[] = [];
    await outbox.enqueue(toGroups(200, 1), h.clock.now());
    await h.settle(h.sender(calls));
    expect(calls).toHaveLength(200);
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
    // At exactly 30 a second the 181st..200th go 6 s after the first: 180 calls in 6 s.
    expect(6_000 / span(calls)).toBeGreaterThanOrEqual(0.95);
  });

  it("ticket traffic goes before bulk queued earlier, and a card queued during a broadcast goes within about a second", async () => {
    const calls: CountedCall[] = [];
    const broadcast = toGroups(120, 1, 5000).map((m) => msg(m.to.chatId, `bulk ${m.to.chatId}`));
    await opened.use(({ db, newId }) => ({ write: () => db.$transaction((tx) => writeOutbox(tx, newId, broadcast, h.clock.now(), { bulk: true })) })).write();
    h.t += 1;
    await outbox.enqueue(toGroups(60, 1), h.clock.now()); // ticketless group posts are ticket traffic unless marked
    const transport = new SlidingWindowTransport("telegram", () => h.t, calls);
    const send = transport.send.bind(transport);
    let cardQueuedAt: number | null = null;
    transport.send = async (chatId, message) => {
      if (cardQueuedAt === null && h.t - T0 >= 3_000) {
        cardQueuedAt = h.t;
        await outbox.enqueue([msg("-42", "card")], h.clock.now());
      }
      return send(chatId, message);
    };

    await h.settle(h.sender(calls, { transports: [transport] }));

    expect(calls).toHaveLength(181);
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
    expect(calls.slice(0, 60).every((c) => !c.text.startsWith("bulk"))).toBe(true);
    const card = calls.find((c) => c.text === "card")!;
    expect(card.at - cardQueuedAt!).toBeLessThanOrEqual(1_000 + 1_040); // the next read of the heads, then the bot's next slot
    expect(calls.at(-1)!.text.startsWith("bulk")).toBe(true); // ahead of the rest of the broadcast
  });

  /**
   * A sender (a process: its own throttle, its own ledger object) that sends until `dies` says so;
   * that call reaches Telegram and the process dies before the answer. Resolves then.
   */
  async function runUntilDeath(calls: CountedCall[], dies: () => boolean): Promise<void> {
    const transport = new SlidingWindowTransport("telegram", () => h.t, calls);
    const send = transport.send.bind(transport);
    let died!: () => void;
    const dead = new Promise<void>((resolve) => (died = resolve));
    transport.send = async (chatId, message) => {
      if (!dies()) return send(chatId, message);
      calls.push({ chatId, at: h.t, text: message.text });
      died();
      return new Promise<SendResult>(() => {});
    };
    void h.sender(calls, { transports: [transport], leaseMs: 5_000 }).drainOnce();
    await dead;
  }

  it("bursts to one chat, one group and 200 groups stay within every limit across senders that die and one started after them", async () => {
    const calls: CountedCall[] = [];
    await outbox.enqueue([...burstToOneGroup(25), ...burstToOneChat(5), ...toGroups(10, 3, 500), ...toGroups(200, 1)], h.clock.now());

    await runUntilDeath(calls, () => calls.length >= 100); // in the middle of the 200 groups, the bot's second full
    const before = calls.length;
    await runUntilDeath(calls, () => calls.filter((c) => c.chatId === "-1").length >= 15); // 15 into the group's minute
    expect(calls.length).toBeGreaterThan(before);
    await h.settle(h.sender(calls));

    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
    const delivered = new Set(calls.map((c) => c.text));
    expect(delivered.size).toBe(25 + 5 + 30 + 200);
    const group = calls.filter((c) => c.chatId === "-1");
    expect(group[20]!.at - group[0]!.at).toBeLessThanOrEqual(62_400 + 5_000 + 250); // at the limit still, give or take the dead sender's lease
  });

  it("replies the adapter delivered itself count too: the sender leaves the owner's chat its second", async () => {
    const calls: CountedCall[] = [];
    const replies = opened.use(createReplyOutbox);
    const owner = await store.person({ platform: "telegram", platformUserId: "701", locale: "zh-CN" });
    const body = { locale: "zh-CN" as const, text: [{ key: "common.raw" as const, params: { text: "reply" } }] };
    const saved = await replies.saveConversation("k", owner.id, {}, 0, h.clock.now(), { to: { platform: "telegram", chatId: "701" }, holdUntil: new Date(h.t + 20_000), bodies: [body] });
    if (!saved.ok) throw new Error("not saved");
    calls.push({ chatId: "701", at: h.t, text: "reply" }); // the adapter's own call
    await replies.markDelivered(saved.ids, h.clock.now());
    await outbox.enqueue(burstToOneChat(2), h.clock.now());
    await h.settle(h.sender(calls));
    expect(calls.map((c) => c.at - T0)).toEqual([0, 1_040, 2_080]);
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
  });

  it("forgets bookings older than ten minutes as bookings go on", async () => {
    const ledger = opened.use(createSendLedger);
    const count = opened.use(({ db }) => ({ rows: () => db.outboxSend.count() }));
    const book = (at: number) => ledger.book({ platform: "telegram", chatId: "1", globalSince: at - 1_040, chatSince: at - 1_040 }, () => ({ at, book: true }));
    const minutes = (m: number) => T0 + m * 60_000;
    for (const at of [minutes(0), minutes(5), minutes(6)]) await book(at);
    expect(await count.rows()).toBe(3);
    await book(minutes(10.5)); // the one at 0 is past ten minutes; those at 5 and 6 are not
    expect(await count.rows()).toBe(3);
    await book(minutes(16.5));
    expect(await count.rows()).toBe(2);
  });

  it("a group's message past its 20 a minute waits in the outbox until its slot, not due at every poll", async () => {
    const calls: CountedCall[] = [];
    await outbox.enqueue(burstToOneGroup(21), h.clock.now());
    await h.sender(calls).drainOnce();
    expect(calls).toHaveLength(20);
    expect(await outbox.heads(h.clock.now(), 10)).toEqual([]);
    const [waiting] = await outbox.heads(new Date(calls[0]!.at + 62_400 + 1_000), 10);
    expect(waiting?.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(calls[0]!.at + 60_000);
  });

  it("without the ledger a restarted sender would burst: the test can tell", async () => {
    const calls: CountedCall[] = [];
    await outbox.enqueue(burstToOneGroup(21), h.clock.now());
    const before = h.sender(calls, { ledger: undefined });
    await before.drainOnce(); // 20 in 20 s; the 21st must wait for the minute
    expect(calls).toHaveLength(20);
    // The 21st waits leased until its slot; a restart on SQLite releases such leases (main.ts).
    expect(await outbox.releaseLeases(h.clock.now(), 60_000)).toBe(1);
    await h.settle(h.sender(calls, { ledger: undefined }));
    expect(overLimits(calls)["group 20/min"]).toBeGreaterThan(0);
  });
});

/**
 * Telegram's shape, scaled: the bot's 30 a second is 10, a group's 20 a minute is 2 in 3 s
 * (tighter than 1/s, as 20/min is). Windows measured 10 % long: on a busy machine a timer may
 * fire tens of milliseconds late, and this test is about the shared budget, not the margin.
 */
/**
 * In real time a timer fires late when the machine is busy (CI's two cores run other suites
 * meanwhile): one late call and the next on time crowd a window. A 30 % margin leaves 300 ms
 * for that; what these tests are about, one budget shared by two senders, is untouched by it.
 */
const SCALED: PlatformLimits = {
  ...PLATFORM_LIMITS.telegram!,
  margin: 0.3,
  global: { count: 10, perMs: 1_000 },
  group: [
    { count: 1, perMs: 1_000 },
    { count: 2, perMs: 3_000 },
  ],
};
const SCALED_LIMITS: readonly Limit[] = [
  { name: "bot 10/s", count: 10, perMs: 1_000, per: "bot" },
  { name: "chat 1/s", count: 1, perMs: 1_000, per: "chat" },
  { name: "group 2/3s", count: 2, perMs: 3_000, per: "group" },
];

/**
 * Two instances on one database: on PostgreSQL two connections, as two processes have; on
 * SQLite one store for both, as in outbox-sender.test.ts (one writer anyway; two better-sqlite3
 * connections in one process would block each other's busy wait). Each sender has its own
 * throttle and its own ledger either way: all they share is the database.
 */
async function twoInstances(name: "sqlite" | "postgresql"): Promise<{ a: OpenedLike; b: OpenedLike; close(): Promise<void> }> {
  const first = await backends().find((b) => b.name === name)!.open(); // on PostgreSQL: emptied, and the test lock held
  if (name === "sqlite") return { a: first, b: first, close: () => first.close() };
  const second = await openStore({ databaseUrl: inject("testDatabaseUrl")! });
  return {
    a: first,
    b: second,
    async close() {
      await second.close();
      await first.close();
    },
  };
}
type OpenedLike = Pick<OpenedStore, "store" | "outbox" | "use">;

describe.each(backends().map((b) => b.name))("two senders on one %s database, in real time", (name) => {
  let opened: Awaited<ReturnType<typeof twoInstances>>;
  beforeEach(async () => {
    opened = await twoInstances(name);
  });
  afterEach(async () => {
    await opened?.close();
  });

  const clock: Clock = { now: () => new Date() };
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  async function race(withLedger: boolean): Promise<CountedCall[]> {
    const calls: CountedCall[] = [];
    const { a, b } = opened;
    await a.outbox.enqueue(
      [...burstToOneGroup(3), ...toGroups(6, 2), ...Array.from({ length: 12 }, (_, i) => msg(String(800 + i), `p${i}`))],
      clock.now(),
    );
    const senders = [a, b].map((o) =>
      createOutboxSender({
        outbox: o.outbox,
        store: o.store,
        transports: [new SlidingWindowTransport("telegram", () => Date.now(), calls)],
        render: renderLabel,
        clock,
        sleep,
        logger: quietLogger,
        limits: { telegram: SCALED },
        ...(withLedger ? { ledger: o.use(createSendLedger) as SendLedger } : {}),
      }),
    );
    const deadline = Date.now() + 15_000;
    await Promise.all(
      senders.map(async (s) => {
        while (Date.now() < deadline) {
          await s.drainOnce();
          if ((await a.outbox.due(FAR, 1)).length === 0) return;
          await sleep(50);
        }
      }),
    );
    return calls;
  }

  it("share one budget: every window within the limits, each message once", async () => {
    const calls = await race(true);
    expect(calls).toHaveLength(27);
    expect(new Set(calls.map((c) => c.text)).size).toBe(27);
    expect(overLimits(calls, SCALED_LIMITS)).toEqual({ "bot 10/s": 0, "chat 1/s": 0, "group 2/3s": 0 });
    // The group's third message can go 3.9 s after its first; sharing the budget must not slow that down much.
    expect(span(calls)).toBeLessThan(5_500);
  }, 30_000);

  it("each on its own budget they would go over: the test can tell", async () => {
    const calls = await race(false);
    const over = overLimits(calls, SCALED_LIMITS);
    expect(over["bot 10/s"]! + over["chat 1/s"]! + over["group 2/3s"]!).toBeGreaterThan(0);
  }, 30_000);
});
