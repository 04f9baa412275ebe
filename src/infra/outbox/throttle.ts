/**
 * The platforms' send limits, so the bot rarely meets a 429 at all. Pure: the caller passes the
 * time, so tests need no timers. One Throttle per platform. Across restarts and instances the
 * sender loads the windows from the database before each booking (`SendLedger`); this class
 * only does the arithmetic.
 *
 * Limits are sliding windows ("at most 20 in any 60 s"), not fixed spacing. Every window is
 * measured `margin` longer than the platform's (4 %: 1 s as 1.04 s, 60 s as 62.4 s): a call
 * reaches the platform a little after its slot (a timer firing late, a busy event loop), and one
 * that arrives late must not share the platform's window with a later one that arrives on time.
 * 4 % leaves 40 ms of lateness on a 1 s window and still 96 % of the allowed rate (30 per 1.04 s);
 * the issue's target is 95 % (bench/outbound.bench.ts).
 */
import type { Channel } from "../../core/messages.js";

/** At most `count` messages in any `perMs` milliseconds. */
export interface Rate {
  readonly count: number;
  readonly perMs: number;
}

export interface PlatformLimits {
  /** Across all chats: what the bot may send. */
  readonly global: Rate;
  /** Each chat on its own: every rate listed holds. */
  readonly private: readonly Rate[];
  readonly group: readonly Rate[];
  /**
   * 429s for this many different chats in a row, with no success between, mean the limit hit is
   * the bot's rather than one chat's: every chat of the platform then waits.
   */
  readonly platformHoldAfter: number;
  /** How much longer each window is measured than the platform's; SAFETY_MARGIN if not given. */
  readonly margin?: number;
}

const UNLIMITED: Rate = { count: Infinity, perMs: 0 };

export const NO_LIMITS: PlatformLimits = { global: UNLIMITED, private: [], group: [], platformHoldAfter: Infinity };

/** How much longer than the platform's each window is measured (see the top of this file). */
export const SAFETY_MARGIN = 0.04;

/** From the platforms' documentation (/work/shared/platform-testing.md has the findings). */
export const PLATFORM_LIMITS: Partial<Record<Channel, PlatformLimits>> = {
  // "About 1 message per second in a single chat" holds in groups too, beside their 20 a minute.
  telegram: {
    global: { count: 30, perMs: 1_000 },
    private: [{ count: 1, perMs: 1_000 }],
    group: [
      { count: 1, perMs: 1_000 },
      { count: 20, perMs: 60_000 },
    ],
    platformHoldAfter: 2,
  },
  // chat.postMessage allows about 1/s per channel; chat.update (every card refresh) is Tier 3,
  // about 50/min for the whole workspace, which is the tighter global bound.
  slack: {
    global: { count: 50, perMs: 60_000 },
    private: [{ count: 1, perMs: 1_000 }],
    group: [{ count: 1, perMs: 1_000 }],
    platformHoldAfter: 2,
  },
};

/**
 * The index of the first of the sorted `times` that `passes` (a test that holds from some index
 * to the end), or their length: a binary search, as the direct replies book ahead of now.
 */
function firstIndex(times: readonly number[], passes: (time: number) => boolean): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (passes(times[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The times messages were (or will be) sent, sorted, and where the next one fits. */
class Window {
  private times: number[] = [];
  /**
   * Calls this process made that no ledger holds yet (the adapter's own replies, booked only when
   * marked delivered): a `replace` from the ledger keeps them.
   */
  private unbooked: number[] = [];

  constructor(private readonly rate: Rate) {}

  /** The earliest time ≥ `t` at which one more message keeps every window within the rate. */
  earliest(t: number): number {
    if (!Number.isFinite(this.rate.count)) return t;
    const w = this.rate.perMs;
    const last = this.times.at(-1);
    if (last === undefined || last <= t) {
      // Nothing booked ahead of t (the sender's case): wait for the count-th latest to leave the window.
      const nth = this.times[this.times.length - this.rate.count];
      return nth === undefined || nth <= t - w ? t : nth + w;
    }
    // A window stops counting a message `perMs` after it, so only those instants can free a slot.
    if (this.fits(t)) return t;
    for (let i = this.after(t - w); i < this.times.length; i++) if (this.fits(this.times[i]! + w)) return this.times[i]! + w;
    throw new Error("unreachable: a message after every window always fits");
  }

  add(x: number): void {
    if (!Number.isFinite(this.rate.count)) return;
    this.times.splice(this.after(x), 0, x);
  }

  /** The index of the first time later than `x`. */
  private after(x: number): number {
    return firstIndex(this.times, (s) => s > x);
  }

  /** A call the ledger will not hold (see `unbooked`). */
  addUnbooked(x: number): void {
    if (!Number.isFinite(this.rate.count)) return;
    this.add(x);
    this.unbooked.splice(firstIndex(this.unbooked, (s) => s > x), 0, x);
  }

  /** What the database recorded replaces what this process knew, but for its unbooked calls. */
  replace(times: readonly number[]): void {
    if (Number.isFinite(this.rate.count)) this.times = [...times, ...this.unbooked].sort((a, b) => a - b);
  }

  /** Forget what can no longer share a window with anything at or after `now`. */
  prune(now: number): void {
    const gone = now - this.rate.perMs;
    while (this.times.length && this.times[0]! <= gone) this.times.shift();
    while (this.unbooked.length && this.unbooked[0]! <= gone) this.unbooked.shift();
  }

  get empty(): boolean {
    return this.times.length === 0 && this.unbooked.length === 0;
  }

  get perMs(): number {
    return Number.isFinite(this.rate.count) ? this.rate.perMs : 0;
  }

  /**
   * Whether one more message at x keeps every window within the rate. Some window holds x and
   * `count` messages exactly when `count` consecutive ones (sorted) span, with x, less than a
   * window: a window can start at the earliest of them all. One pass over the messages within a
   * window of x (the direct replies book ahead, so the bot's window holds up to a second's worth).
   */
  private fits(x: number): boolean {
    const { count, perMs: w } = this.rate;
    const t = this.times;
    for (let i = this.after(x - w), j = i + count - 1; j < t.length && t[i]! < x + w; i++, j++) {
      if (Math.max(t[j]!, x) - Math.min(t[i]!, x) < w) return false;
    }
    return true;
  }
}

export type ChatKind = "private" | "group";

export class Throttle {
  private readonly global: Window;
  private readonly chats = new Map<string, Window[]>();
  private readonly holds = new Map<string, number>();
  private platformHold = 0;
  /** Chats that answered 429 since the last success, and the latest time they asked for. */
  private readonly streak = new Set<string>();
  private streakUntil = 0;
  private reservations = 0;

  constructor(
    private readonly limits: PlatformLimits,
    private readonly margin = limits.margin ?? SAFETY_MARGIN,
  ) {
    this.global = new Window(this.widened(limits.global));
  }

  /** How far back the bot's calls, and one chat's, still count for a call to a chat of `kind`. */
  lookback(kind: ChatKind): { globalMs: number; chatMs: number } {
    return { globalMs: this.global.perMs, chatMs: Math.max(0, ...this.limits[kind].map((r) => this.widened(r).perMs)) };
  }

  /**
   * The calls recorded (by every sender sharing the database) within `lookback`: they replace
   * what this throttle knew of the bot's calls and of `chatKey`'s.
   */
  load(global: readonly number[], chatKey: string, kind: ChatKind, chat: readonly number[]): void {
    this.global.replace(global);
    for (const w of this.chat(chatKey, kind)) w.replace(chat);
  }

  /** How long until a message to `chatKey` could go, without taking the slot. */
  wait(chatKey: string, kind: ChatKind, now: number): number {
    return this.slot(chatKey, kind, now) - now;
  }

  /** Take the earliest slot for a message to `chatKey`: how long to wait before sending it. */
  reserve(chatKey: string, kind: ChatKind, now: number): number {
    return this.take(chatKey, kind, now, false);
  }

  /**
   * `reserve` for a call no ledger books (the adapter's direct replies): the slot is kept through
   * `load`, so the sender's next booking still sees it.
   */
  reserveUnbooked(chatKey: string, kind: ChatKind, now: number): number {
    return this.take(chatKey, kind, now, true);
  }

  /** A 429 for `chatKey`: it waits until `until`; a run of them over different chats holds them all. */
  rateLimited(chatKey: string, until: number): void {
    this.holds.set(chatKey, Math.max(this.holds.get(chatKey) ?? 0, until));
    this.streak.add(chatKey);
    this.streakUntil = Math.max(this.streakUntil, until);
    if (this.streak.size >= this.limits.platformHoldAfter) this.platformHold = Math.max(this.platformHold, this.streakUntil);
  }

  /** A message went through: the run of 429s is over. */
  succeeded(): void {
    this.streak.clear();
    this.streakUntil = 0;
  }

  private take(chatKey: string, kind: ChatKind, now: number, unbooked: boolean): number {
    const x = this.slot(chatKey, kind, now);
    for (const w of [this.global, ...this.chat(chatKey, kind)]) {
      if (unbooked) w.addUnbooked(x);
      else w.add(x);
    }
    if (++this.reservations % 256 === 0) this.sweep(now);
    return x - now;
  }

  private slot(chatKey: string, kind: ChatKind, now: number): number {
    const windows = [this.global, ...this.chat(chatKey, kind)];
    for (const w of windows) w.prune(now);
    let x = Math.max(now, this.platformHold, this.holds.get(chatKey) ?? 0);
    // Each window's earliest fit only moves forward, so going round them reaches the first time all allow.
    for (;;) {
      const y = windows.reduce((t, w) => w.earliest(t), x);
      if (y === x) return x;
      x = y;
    }
  }

  private chat(chatKey: string, kind: ChatKind): Window[] {
    let w = this.chats.get(chatKey);
    if (!w) this.chats.set(chatKey, (w = this.limits[kind].map((r) => new Window(this.widened(r)))));
    return w;
  }

  private widened(rate: Rate): Rate {
    return { count: rate.count, perMs: Math.ceil(rate.perMs * (1 + this.margin)) };
  }

  /** Forget chats with nothing recent, so a bot talking to many owners does not grow forever. */
  private sweep(now: number): void {
    for (const [key, windows] of this.chats) {
      for (const w of windows) w.prune(now);
      if (windows.every((w) => w.empty)) this.chats.delete(key);
    }
    for (const [key, until] of this.holds) if (until <= now) this.holds.delete(key);
  }
}
