/**
 * One throttle per platform for everything the bot sends (issue 16, item 2): the outbox sender
 * takes its slots from `throttle(platform)`, and the adapters' direct replies from `slot`
 * (the core's `SendPace`). grammY's throttler transformer, which kept a second, separate budget
 * for the direct replies, is gone from production.
 *
 * Why direct replies book in memory and write to the ledger afterwards: the sender books each
 * call in a database transaction (ledger.ts), which costs a round trip and Prisma's query
 * compiler, fine for cards, too much on every owner message (CPU per message is the point of
 * the issue). So a direct reply takes its slot in this process's throttle at once and is written
 * to the ledger with the others at most `recordEveryMs` later, in one statement. Meanwhile
 * - this process's sender does not lose it: the throttle keeps it through the sender's reloads
 *   from the ledger until the write has ended (Throttle.reserveUnrecorded);
 * - other instances' senders see it once written: up to `recordEveryMs` (200 ms) late, which can
 *   crowd the bot's 30 a second there, never one chat's limit unless two instances answer in
 *   the same chat (on Telegram only one instance receives a bot's updates by polling);
 * - a restarted process loads what the ledger holds before its first reply (`warm`).
 * The direct replies do not read the ledger per message: what other instances booked reaches
 * them only through this process's sender loading it. That is the price of no round trip.
 */
import type { Logger } from "../../core/logger.js";
import type { Channel } from "../../core/messages.js";
import type { ChatKind, SendPace } from "../../core/send-pace.js";
import type { Clock } from "../../core/time/clock.js";
import type { DirectBookings } from "./ledger.js";
import { NO_LIMITS, PLATFORM_LIMITS, Throttle, type PlatformLimits } from "./throttle.js";

export interface PlatformPaceDeps {
  /** Platforms not listed are not throttled. */
  readonly limits?: Partial<Record<Channel, PlatformLimits>>;
  readonly clock: Clock;
  sleep(ms: number): Promise<void>;
  readonly logger: Logger;
  /** Where direct calls are written for other instances and the next start; without it, memory only. */
  readonly bookings?: DirectBookings;
  /** The longest a direct call waits to be written with others. */
  readonly recordEveryMs?: number;
}

export interface PlatformPace extends SendPace {
  /** The platform's one throttle, for the outbox sender. */
  throttle(platform: Channel): Throttle;
  /** Loads what the ledger booked within the platform's longest window, so a restart does not burst. */
  warm(platform: Channel, kindOf: (chatId: string) => ChatKind): Promise<void>;
  /** Writes the direct calls not written yet; resolves when the write has ended. */
  flush(): Promise<void>;
}

const RECORD_EVERY_MS = 200;

export function createPlatformPace(deps: PlatformPaceDeps): PlatformPace {
  const { clock, sleep, logger, bookings } = deps;
  const limits = deps.limits ?? PLATFORM_LIMITS;
  const recordEveryMs = deps.recordEveryMs ?? RECORD_EVERY_MS;
  const throttles = new Map<Channel, Throttle>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function throttle(platform: Channel): Throttle {
    let t = throttles.get(platform);
    if (!t) throttles.set(platform, (t = new Throttle(limits[platform] ?? NO_LIMITS)));
    return t;
  }

  async function write(): Promise<void> {
    for (const [platform, t] of throttles) {
      const taken = t.takeUnrecorded();
      if (taken.length === 0) continue;
      try {
        await bookings!.record(taken.map((b) => ({ platform, chatId: b.chatKey, at: b.at })));
      } catch (e) {
        // Only other instances' senders miss these calls; this process's throttle still has them.
        logger.warn(`pace: ${taken.length} direct call(s) on ${platform} were not written to the send ledger`, e);
      } finally {
        t.recorded(taken);
      }
    }
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (!bookings) return writing;
    writing = writing.then(write);
    return writing;
  }

  return {
    throttle,
    async slot(platform, chatId, kind) {
      const t = throttle(platform);
      const wait = bookings ? t.reserveUnrecorded(chatId, kind, clock.now().getTime()) : t.reserve(chatId, kind, clock.now().getTime());
      if (bookings && timer === undefined) timer = setTimeout(() => void flush(), recordEveryMs).unref();
      if (wait > 0) await sleep(wait);
    },
    async warm(platform, kindOf) {
      if (!bookings) return;
      const t = throttle(platform);
      const now = clock.now().getTime();
      const { globalMs } = t.lookback("private");
      const since = now - Math.max(globalMs, t.lookback("private").chatMs, t.lookback("group").chatMs);
      const booked = await bookings.recent(platform, since);
      const global = booked.filter((b) => b.at > now - globalMs).map((b) => b.at);
      const byChat = new Map<string, number[]>();
      for (const b of booked) byChat.set(b.chatId, [...(byChat.get(b.chatId) ?? []), b.at]);
      for (const [chatId, times] of byChat) t.load(global, chatId, kindOf(chatId), times);
    },
    flush,
  };
}
