/**
 * The throttle's arithmetic alone, against a plain restatement of the rule (issue 16, item 3):
 * every slot it gives is the earliest instant at which one more message keeps every sliding
 * window within its rate, counting what was booked before, ahead of now included (the direct
 * replies book up to seconds ahead). Random traffic from a seeded generator, so a failure repeats.
 */
import { describe, expect, it } from "vitest";
import { PLATFORM_LIMITS, SAFETY_MARGIN, Throttle, type ChatKind, type Rate } from "../../../src/infra/outbox/throttle.js";
import { seededRandom } from "../../../src/core/util/seeded-random.js";

const telegram = PLATFORM_LIMITS.telegram!;
const widened = (r: Rate): Rate => ({ count: r.count, perMs: Math.ceil(r.perMs * (1 + SAFETY_MARGIN)) });

/** Any window [a, a + perMs) holds at most `count` of `times`: a fullest one starts at one of them. */
function within(times: readonly number[], rate: Rate): boolean {
  return times.every((a) => times.filter((s) => s >= a && s < a + rate.perMs).length <= rate.count);
}

/** The earliest instant ≥ now one more message fits every window: a slot frees only as a message leaves one. */
function earliest(now: number, windows: ReadonlyArray<{ times: readonly number[]; rate: Rate }>): number {
  // What left its window before now can share none with a message at or after now.
  const live = windows.map(({ times, rate }) => ({ times: times.filter((s) => s > now - rate.perMs), rate }));
  const candidates = [now, ...live.flatMap(({ times, rate }) => times.map((s) => s + rate.perMs))].filter((x) => x >= now).sort((a, b) => a - b);
  const x = candidates.find((c) => live.every(({ times, rate }) => within([...times, c], rate)));
  if (x === undefined) throw new Error("no candidate fits");
  return x;
}

describe("the throttle's slots", () => {
  it.each([1, 2, 3, 4, 5])("are the earliest that keep every window of Telegram's limits, seed %i", (seed) => {
    const next = seededRandom(seed);
    const throttle = new Throttle(telegram);
    // More chats than the bot's 30 a second, so its own window fills ahead of now as well as each chat's.
    const chats = Array.from({ length: 40 }, (_, i) => ({ id: i < 34 ? String(700 + i) : String(-i), kind: (i < 34 ? "private" : "group") as ChatKind }));
    const booked = { global: [] as number[], chat: new Map<string, number[]>(chats.map((c) => [c.id, []])) };
    let now = 1_000_000;
    for (let step = 0; step < 600; step++) {
      // Bursts (several in the same millisecond) and gaps, so windows fill ahead of now and drain.
      now += next() < 0.6 ? 0 : Math.floor(next() * 100);
      const chat = chats[Math.floor(next() * chats.length)]!;
      const rates = telegram[chat.kind].map(widened);
      const windows = [{ times: booked.global, rate: widened(telegram.global) }, ...rates.map((rate) => ({ times: booked.chat.get(chat.id)!, rate }))];
      const expected = earliest(now, windows);
      const wait = next() < 0.5 ? throttle.reserve(chat.id, chat.kind, now) : throttle.reserveUnbooked(chat.id, chat.kind, now);
      expect(now + wait, `step ${step}, chat ${chat.id}`).toBe(expected);
      booked.global.push(expected);
      booked.chat.get(chat.id)!.push(expected);
    }
    expect(within(booked.global, widened(telegram.global))).toBe(true);
    for (const chat of chats) for (const rate of telegram[chat.kind].map(widened)) expect(within(booked.chat.get(chat.id)!, rate)).toBe(true);
  });
});
