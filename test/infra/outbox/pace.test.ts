/**
 * Issue 16, item 2: one throttle for the adapters' direct replies and the outbox sender. Direct
 * replies take their slots through `createPlatformPace` (as the Telegram adapter does, main.ts),
 * the sender from the same throttles; every call reaches the sliding-window fake, which counts
 * the 1 s and 60 s windows over Telegram's limits. A clock only the test moves: everything runs
 * one step at a time, so a `sleep` moves it forward and nothing else does.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboxStore } from "../../../src/core/outbox.js";
import type { Clock } from "../../../src/core/time/clock.js";
import { createPlatformPace, type PlatformPace } from "../../../src/infra/outbox/pace.js";
import { createOutboxSender, type OutboxSender, type OutboxSenderDeps } from "../../../src/infra/outbox/sender.js";
import type { SendResult } from "../../../src/infra/outbox/transport.js";
import { createSendLedger } from "../../../src/infra/prisma/outbox.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import { isGroup, overLimits, SlidingWindowTransport, type CountedCall } from "../../fakes/sliding-window.js";
import { backends, type TestStore } from "../../support/db.js";
import { quietLogger } from "../../support/logger.js";
import { msg, render, settle as settleOutbox, WITHIN_EVERY_LIMIT } from "../../support/outbound.js";

const T0 = new Date("2026-11-23T02:00:00.500Z").getTime();


const kindOf = (chatId: string) => (isGroup(chatId) ? "group" : "private");

describe.each(backends())("one throttle for direct replies and the sender on $name", (backend) => {
  let opened: TestStore;
  let store: Stores;
  let outbox: OutboxStore;
  let t: number;
  const clock: Clock = { now: () => new Date(t) };
  const sleep = async (ms: number) => {
    t += ms;
  };

  beforeEach(async () => {
    opened = await backend.open();
    ({ store, outbox } = opened);
    t = T0;
  });
  afterEach(async () => {
    await opened.close();
  });

  const ledger = () => opened.use(createSendLedger);
  const newPace = () => createPlatformPace({ clock, sleep, logger: quietLogger, bookings: ledger() });

  function sender(calls: CountedCall[], over: Partial<OutboxSenderDeps> = {}): OutboxSender {
    const transport = new SlidingWindowTransport("telegram", () => t, calls);
    return createOutboxSender({ outbox, store, transports: [transport], render, clock, sleep, logger: quietLogger, ledger: ledger(), ...over });
  }

  /** A reply the adapter sends itself: its slot first, then the platform call. */
  async function direct(pace: PlatformPace, calls: CountedCall[], chatId: string, text: string): Promise<void> {
    await pace.slot("telegram", chatId, kindOf(chatId));
    calls.push({ chatId, at: t, text });
  }

  const settle = (s: OutboxSender) => settleOutbox(s, outbox, { now: () => t, set: (next) => (t = next) });

  /** Answers and cards to one group and one owner's chat, turn about, the ledger written now and then. */
  async function interleave(calls: CountedCall[], pace: PlatformPace, s: OutboxSender): Promise<void> {
    for (let round = 0; round < 12; round++) {
      await outbox.enqueue([msg("-1", `card#${round}`), msg("701", `notice#${round}`)], clock.now());
      await direct(pace, calls, "-1", `answer#${round}`);
      await direct(pace, calls, "701", `reply#${round}`);
      await s.drainOnce();
      if (round % 3 === 2) await pace.flush();
    }
    await settle(s);
  }

  it("direct replies and cards to one group and one private chat interleave within every limit", async () => {
    const calls: CountedCall[] = [];
    const pace = newPace();
    await interleave(calls, pace, sender(calls, { pace }));
    expect(new Set(calls.map((c) => c.text)).size).toBe(48);
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
    // At the limit, not far behind it: the group's 24 take one minute for 20, then one a second.
    const group = calls.filter((c) => c.chatId === "-1").map((c) => c.at);
    expect(group[20]! - group[0]!).toBeGreaterThan(60_000);
    expect(group.at(-1)! - group[0]!).toBeLessThanOrEqual(62_400 + 3 * 1_040 + 2 * 250);
  });

  it("with a throttle of its own the sender would crowd the replies: the test can tell", async () => {
    const calls: CountedCall[] = [];
    await interleave(calls, createPlatformPace({ clock, sleep, logger: quietLogger }), sender(calls));
    const over = overLimits(calls);
    expect(over["chat 1/s"]! + over["group 20/min"]!).toBeGreaterThan(0);
  });

  it("owners' replies during a broadcast to 200 groups: the bot's 30 a second holds for both together", async () => {
    const calls: CountedCall[] = [];
    const pace = newPace();
    const transport = new SlidingWindowTransport("telegram", () => t, calls);
    const send = transport.send.bind(transport);
    let owner = 0;
    // After every other card an owner's reply goes: the card's call is made, then the reply takes the next slot.
    transport.send = async (chatId, message): Promise<SendResult> => {
      const sent = await send(chatId, message);
      if (calls.length % 2 === 0) await direct(pace, calls, String(800 + (owner++ % 40)), `reply#${owner}`);
      return sent;
    };
    await outbox.enqueue(Array.from({ length: 200 }, (_, g) => msg(`-${1000 + g}`, `g${g}`)), clock.now());
    await settle(sender(calls, { pace, transports: [transport] }));
    expect(calls.filter((c) => isGroup(c.chatId))).toHaveLength(200);
    expect(owner).toBeGreaterThanOrEqual(100);
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
    // Still at the bot's rate: about 30 a second over the whole run, replies included.
    const perSecond = (calls.length - 1) / ((calls.at(-1)!.at - calls[0]!.at) / 1_000);
    expect(perSecond).toBeGreaterThanOrEqual(0.95 * (30 / 1.04));
  });

  it("a reply not yet written to the ledger still holds the chat's second for this process's sender", async () => {
    const calls: CountedCall[] = [];
    const pace = newPace();
    await direct(pace, calls, "701", "reply");
    await outbox.enqueue([msg("701", "notice")], clock.now());
    await settle(sender(calls, { pace }));
    expect(calls.map((c) => c.at - T0)).toEqual([0, 1_040]);
    await pace.flush();
  });

  it("written to the ledger, replies hold their chats for another instance's sender and for a restarted process", async () => {
    const calls: CountedCall[] = [];
    const pace = newPace();
    await direct(pace, calls, "701", "reply");
    await pace.flush();
    // Another instance: its own sender and throttle, the same database.
    await outbox.enqueue([msg("701", "notice")], clock.now());
    await settle(sender(calls));
    expect(calls.map((c) => c.at - T0)).toEqual([0, 1_040]);

    for (let i = 0; i < 20; i++) await direct(pace, calls, "-1", `answer#${i}`); // the group's minute, spent
    await pace.flush();
    // A restarted process: its first reply into the group waits for the minute to pass.
    const restarted = newPace();
    await restarted.warm("telegram", kindOf);
    await direct(restarted, calls, "-1", "after the restart");
    expect(overLimits(calls)).toEqual(WITHIN_EVERY_LIMIT);
    expect(calls.at(-1)!.at - calls.find((c) => c.chatId === "-1")!.at).toBeGreaterThanOrEqual(62_400);
    // Without the warm-up it would not have waited: the test can tell.
    await direct(newPace(), calls, "-1", "cold");
    expect(overLimits(calls)["chat 1/s"]).toBeGreaterThan(0);
  });
});
