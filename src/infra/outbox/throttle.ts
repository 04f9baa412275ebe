/**
 * The platforms' send limits, kept in-process so the bot rarely meets a 429 at all. Pure: the
 * caller passes the time, so tests need no timers. One Throttle per platform.
 *
 * Limits are sliding windows ("at most 20 in any 60 s"), not fixed spacing: a claim that posts a
 * card and two messages to a staff group goes out at once instead of over six seconds.
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
  readonly private: Rate;
  readonly group: Rate;
  /**
   * 429s for this many different chats in a row, with no success between, mean the limit hit is
   * the bot's rather than one chat's: every chat of the platform then waits.
   */
  readonly platformHoldAfter: number;
}

const UNLIMITED: Rate = { count: Infinity, perMs: 0 };

export const NO_LIMITS: PlatformLimits = { global: UNLIMITED, private: UNLIMITED, group: UNLIMITED, platformHoldAfter: Infinity };

/** From the platforms' documentation (/work/shared/platform-testing.md has the findings). */
export const PLATFORM_LIMITS: Partial<Record<Channel, PlatformLimits>> = {
  telegram: {
    global: { count: 30, perMs: 1_000 },
    private: { count: 1, perMs: 1_000 },
    group: { count: 20, perMs: 60_000 },
    platformHoldAfter: 2,
  },
  // chat.postMessage allows about 1/s per channel; chat.update (every card refresh) is Tier 3,
  // about 50/min for the whole workspace, which is the tighter global bound.
  slack: {
    global: { count: 50, perMs: 60_000 },
    private: { count: 1, perMs: 1_000 },
    group: { count: 1, perMs: 1_000 },
    platformHoldAfter: 2,
  },
};

/** The times messages were (or will be) sent, sorted, and where the next one fits. */
class Window {
  private readonly times: number[] = [];

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
    const candidates = [t, ...this.times.map((s) => s + w).filter((c) => c > t)];
    for (const x of candidates) if (this.fits(x)) return x;
    throw new Error("unreachable: a message after every window always fits");
  }

  add(x: number): void {
    if (!Number.isFinite(this.rate.count)) return;
    const at = this.times.findIndex((s) => s > x);
    this.times.splice(at === -1 ? this.times.length : at, 0, x);
  }

  /** Forget what can no longer share a window with anything at or after `now`. */
  prune(now: number): void {
    while (this.times.length && this.times[0]! <= now - this.rate.perMs) this.times.shift();
  }

  get empty(): boolean {
    return this.times.length === 0;
  }

  // The fullest window holding x starts at x or at a message before it (slide any other
  // window right until its left edge meets its first message: it only gains messages).
  private fits(x: number): boolean {
    const w = this.rate.perMs;
    const starts = [x, ...this.times.filter((s) => s > x - w && s <= x)];
    return starts.every((a) => this.times.filter((s) => s >= a && s < a + w).length < this.rate.count);
  }
}

export class Throttle {
  private readonly global: Window;
  private readonly chats = new Map<string, Window>();
  private readonly holds = new Map<string, number>();
  private platformHold = 0;
  /** Chats that answered 429 since the last success, and the latest time they asked for. */
  private readonly streak = new Set<string>();
  private streakUntil = 0;
  private reservations = 0;

  constructor(private readonly limits: PlatformLimits) {
    this.global = new Window(limits.global);
  }

  /** How long until a message to `chatKey` could go, without taking the slot. */
  wait(chatKey: string, kind: "private" | "group", now: number): number {
    return this.slot(chatKey, kind, now) - now;
  }

  /** Take the earliest slot for a message to `chatKey`: how long to wait before sending it. */
  reserve(chatKey: string, kind: "private" | "group", now: number): number {
    const x = this.slot(chatKey, kind, now);
    this.global.add(x);
    this.chat(chatKey, kind).add(x);
    if (++this.reservations % 256 === 0) this.sweep(now);
    return x - now;
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

  private slot(chatKey: string, kind: "private" | "group", now: number): number {
    const chat = this.chat(chatKey, kind);
    this.global.prune(now);
    chat.prune(now);
    let x = Math.max(now, this.platformHold, this.holds.get(chatKey) ?? 0);
    // Each window's earliest fit only moves forward, so alternating them reaches the first time both allow.
    for (;;) {
      const y = this.global.earliest(chat.earliest(x));
      if (y === x) return x;
      x = y;
    }
  }

  private chat(chatKey: string, kind: "private" | "group"): Window {
    let w = this.chats.get(chatKey);
    if (!w) this.chats.set(chatKey, (w = new Window(this.limits[kind])));
    return w;
  }

  /** Forget chats with nothing recent, so a bot talking to many owners does not grow forever. */
  private sweep(now: number): void {
    for (const [key, w] of this.chats) {
      w.prune(now);
      if (w.empty) this.chats.delete(key);
    }
    for (const [key, until] of this.holds) if (until <= now) this.holds.delete(key);
  }
}
