/**
 * Sends what the outbox holds. One message at a time per sender; each chat gets its messages in
 * the order they were made. Only each chat's first pending message is ever a candidate
 * (`OutboxStore.heads`), so a message waiting out a 429 or a backoff holds back the ones after it,
 * in this process, in another instance and after a restart alike. A message is leased before it
 * is sent, so two instances sharing one database never both send it; one that dies mid-send
 * leaves it to be sent again when the lease runs out (at-least-once: a lease must outlast any send).
 *
 * Every platform call first takes a slot within the platform's limits (throttle.ts); given a
 * `ledger`, the slot is booked in the database, so the limits hold across restarts and across
 * instances. Of the chats that may go at once, ticket traffic goes before bulk (reports and
 * broadcasts): `heads` lists it first, and a long round re-reads the heads every second so that
 * a card queued during a broadcast is not left behind it.
 */
import { watchIn, type SendWatch, type SentJournal } from "../../core/desk/journal.js";
import type { Logger } from "../../core/logger.js";
import type { Channel, ChatRef } from "../../core/messages.js";
import type { NewOutboxMessage, OutboxRecord, OutboxStore } from "../../core/outbox.js";
import type { Clock } from "../../core/time/clock.js";
import type { ChatStore } from "../../core/staff/chats.js";
import type { RenderedReply } from "../../i18n/render.js";
import type { Decision, SendLedger } from "./ledger.js";
import { NO_LIMITS, PLATFORM_LIMITS, Throttle, type PlatformLimits } from "./throttle.js";
import type { SendResult, Transport } from "./transport.js";

/** How long a sender holds a message it is sending; one that dies holding it leaves it that long. */
export const DEFAULT_LEASE_MS = 60_000;

export interface OutboxSenderDeps {
  readonly outbox: OutboxStore;
  readonly store: Pick<ChatStore, "deactivateChat">;
  readonly transports: readonly Transport[];
  /** null: nothing to send any more (say, the ticket is gone); the message counts as sent. */
  render(message: NewOutboxMessage): Promise<RenderedReply | null>;
  readonly clock: Clock;
  sleep(ms: number): Promise<void>;
  readonly logger: Logger;
  /** The bot can no longer post to `to` (removed, blocked, archived): someone should know. */
  onChatGone?(to: ChatRef, error: string): Promise<void>;
  /** Chats looked at per round. */
  readonly batch?: number;
  /** Failed tries before a message is given up; 429s do not count. */
  readonly maxAttempts?: number;
  readonly leaseMs?: number;
  /**
   * Notes a message the platform accepted the moment it did, so a process killed before the mark
   * below does not leave it to be sent again after its lease (src/core/desk/journal.ts): plain
   * messages, and a posted card with its message id (saved at the next start).
   */
  readonly journal?: SentJournal;
  /** Platforms not listed are not throttled. */
  readonly limits?: Partial<Record<Channel, PlatformLimits>>;
  /**
   * The throttle a platform's direct replies take their slots from too (the grammY bot's), so the
   * chat's and the bot's limits hold for both; platforms not given get their own from `limits`.
   */
  readonly throttles?: ReadonlyMap<Channel, Throttle>;
  /**
   * The longest a drain sleeps for the throttle. A chat that must wait longer (a group past its
   * 20 a minute) is left to a later poll rather than blocking every other chat behind it.
   */
  readonly maxWaitMs?: number;
  /**
   * Where slots are booked for every sender on the database (createSendLedger). Without one the
   * limits hold only within this process, and only while it runs.
   */
  readonly ledger?: SendLedger;
}

export interface DrainResult {
  sent: number;
  retried: number;
  dead: number;
}

export interface OutboxSender {
  /** Send everything that can go now (sleeping at most `maxWaitMs` at a time for the throttle). */
  drainOnce(): Promise<DrainResult>;
  start(pollMs?: number): void;
  /** Ends the polling; waits for the send in flight. */
  stop(): Promise<void>;
  /** Something was just written to the outbox: drain now rather than at the next poll. */
  kick(): void;
}

const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
/** A 429 without a usable retry_after must not turn into a tight loop against the platform. */
const MIN_RETRY_AFTER_MS = 1_000;

/** 1 s, 2 s, 4 s… after the first, second, third failure, up to 5 minutes. */
export function backoffMs(failuresBefore: number): number {
  return Math.min(BACKOFF_FIRST_MS * 2 ** failuresBefore, BACKOFF_MAX_MS);
}

/** Re-read the heads after this long in one round, for ticket traffic queued meanwhile. */
const ROUND_MS = 1_000;

/** The slot was further off than `maxWaitMs` (another instance spent the chat's budget): wait in the outbox. */
interface Throttled {
  readonly ok: false;
  readonly kind: "throttled";
  readonly until: number;
}

type Delivery = SendResult | Throttled | "nothing";

export function createOutboxSender(deps: OutboxSenderDeps): OutboxSender {
  const { outbox, clock, sleep, logger } = deps;
  const batch = deps.batch ?? 50;
  const maxAttempts = deps.maxAttempts ?? 10;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const maxWaitMs = deps.maxWaitMs ?? 2_000;
  const transports = new Map(deps.transports.map((t) => [t.platform, t]));
  const throttles = new Map(
    deps.transports.map((t) => [t.platform, deps.throttles?.get(t.platform) ?? new Throttle((deps.limits ?? PLATFORM_LIMITS)[t.platform] ?? NO_LIMITS)]),
  );

  let stopping = false;

  function waitFor(record: OutboxRecord, now: number): number {
    const { platform, chatId } = record.message.to;
    const transport = transports.get(platform);
    return transport ? throttles.get(platform)!.wait(chatId, transport.chatKind(chatId), now) : 0;
  }

  /**
   * Take the next slot for one platform call and wait for it: null then. A slot more than
   * `maxWaitMs` away is not taken; its time is returned instead.
   */
  async function pace(transport: Transport, chatId: string): Promise<Throttled | null> {
    const throttle = throttles.get(transport.platform)!;
    const kind = transport.chatKind(chatId);
    const decide = (): Decision => {
      const now = clock.now().getTime();
      const wait = throttle.wait(chatId, kind, now);
      return wait > maxWaitMs ? { at: now + wait, book: false } : { at: now + throttle.reserve(chatId, kind, now), book: true };
    };
    const { globalMs, chatMs } = throttle.lookback(kind);
    const start = clock.now().getTime();
    const decision =
      deps.ledger && (globalMs > 0 || chatMs > 0)
        ? await deps.ledger.book({ platform: transport.platform, chatId, globalSince: start - globalMs, chatSince: start - chatMs }, (booked) => {
            throttle.load(booked.global, chatId, kind, booked.chat);
            return decide();
          })
        : decide();
    if (!decision.book) return { ok: false, kind: "throttled", until: decision.at };
    const wait = decision.at - clock.now().getTime();
    if (wait > 0) await sleep(wait);
    return null;
  }

  /** A transport that throws has failed this once; that is all. */
  async function call(what: () => Promise<SendResult>): Promise<SendResult> {
    try {
      return await what();
    } catch (e) {
      return { ok: false, kind: "failed", error: describe(e) };
    }
  }

  async function deliver(transport: Transport, id: string, message: NewOutboxMessage): Promise<Delivery> {
    const { chatId } = message.to;
    let rendered: RenderedReply | null;
    try {
      rendered = await deps.render(message);
    } catch (e) {
      return { ok: false, kind: "failed", error: `render: ${describe(e)}` };
    }
    if (rendered === null) return "nothing";
    const body = rendered;
    if (message.kind === "document") {
      const file = { filename: message.body.filename, mediaType: message.body.mediaType, bytes: Buffer.from(message.body.base64, "base64"), caption: body.text || null };
      const throttled = await pace(transport, chatId);
      if (throttled) return throttled;
      return call(() => transport.sendDocument!(chatId, file));
    }
    if (message.kind === "card") {
      const cardId = await outbox.cardMessage(message.ticketId, message.to);
      if (cardId !== null) {
        const throttled = await pace(transport, chatId);
        if (throttled) return throttled;
        const edited = await call(() => transport.edit(chatId, cardId, body));
        if (edited.ok && edited.messageId !== cardId) await outbox.saveCardMessage(message.ticketId, message.to, edited.messageId, clock.now());
        // The card was deleted in the chat: post it again. Were the chat itself gone, the send says so.
        if (edited.ok || edited.kind !== "gone") return edited;
      }
      const throttled = await pace(transport, chatId);
      if (throttled) return throttled;
      const sent = await call(() => transport.send(chatId, body, watchOf(id)));
      if (sent.ok) {
        deps.journal?.noteCard({ outboxId: id, ticketId: message.ticketId, to: message.to, messageId: sent.messageId });
        await outbox.saveCardMessage(message.ticketId, message.to, sent.messageId, clock.now());
      }
      return sent;
    }
    const threadOf = message.ticketId === undefined ? null : await outbox.cardMessage(message.ticketId, message.to);
    const throttled = await pace(transport, chatId);
    if (throttled) return throttled;
    return call(() => transport.send(chatId, body, { ...watchOf(id), ...(threadOf === null ? {} : { threadOf }) }));
  }

  /** The journal watches a message's or a new card's send (journal.ts): a kill with it in flight does not post it again. */
  function watchOf(id: string): { watch?: SendWatch } {
    const journal = deps.journal;
    return journal ? { watch: watchIn(journal, [id]) } : {};
  }

  /** Send one chat's first message and record what came of it; false if another sender has it. */
  async function attempt(record: OutboxRecord, total: DrainResult): Promise<boolean> {
    const { id, message } = record;
    const to = message.to;
    const transport = transports.get(to.platform);
    const missing = !transport ? `no transport for ${to.platform}` : message.kind === "document" && !transport.sendDocument ? `no document upload on ${to.platform}` : null;
    if (!transport || missing) {
      // Otherwise it would stay first in its chat forever; dead, it is at least visible.
      await outbox.markDead(id, missing!);
      logger.error(`outbox: ${missing}; message ${id} given up`, null);
      total.dead++;
      return true;
    }
    if (!(await outbox.lease(id, record.nextAttemptAt, new Date(clock.now().getTime() + leaseMs)))) return false;

    const result = await deliver(transport, id, message);
    if (result !== "nothing" && result.ok && message.kind === "message") deps.journal?.note([id]);
    // A posted card was noted in `deliver`; an edited one was not, and settling it costs nothing.
    const noted = result !== "nothing" && result.ok && message.kind !== "document" && deps.journal !== undefined;
    const now = clock.now().getTime();
    const throttle = throttles.get(to.platform)!;
    if (result === "nothing" || result.ok) {
      await outbox.markSent(id, new Date(now));
      if (noted) deps.journal!.settled([id]);
      if (result !== "nothing") throttle.succeeded();
      total.sent++;
      return true;
    }
    switch (result.kind) {
      case "throttled": {
        await outbox.postpone(id, new Date(result.until), "throttled: the platform's limit for this chat is spent");
        total.retried++;
        return true;
      }
      case "rate_limited": {
        const until = now + Math.max(MIN_RETRY_AFTER_MS, result.retryAfterMs);
        await outbox.postpone(id, new Date(until), `rate limited for ${result.retryAfterMs} ms`);
        throttle.rateLimited(to.chatId, until);
        total.retried++;
        return true;
      }
      case "failed": {
        if (record.attempts + 1 >= maxAttempts) {
          await outbox.markDead(id, result.error);
          logger.error(`outbox: message ${id} to ${to.platform}:${to.chatId} failed ${maxAttempts} times; given up`, result.error);
          total.dead++;
        } else {
          const next = new Date(now + backoffMs(record.attempts));
          await outbox.markRetry(id, next, result.error);
          // The transport's warning says it failed; this says when it is tried again.
          logger.info(`outbox: message ${id} to ${to.platform}:${to.chatId} failed (attempt ${record.attempts + 1} of ${maxAttempts}); next try at ${next.toISOString()}`);
          total.retried++;
        }
        return true;
      }
      case "gone": {
        await outbox.markDead(id, result.error);
        // What was queued behind it can never be delivered either; nobody should keep trying.
        const rest = await outbox.markChatDead(to, `chat gone: ${result.error}`);
        total.dead += 1 + rest;
        await deps.store.deactivateChat(to);
        try {
          await deps.onChatGone?.(to, result.error);
        } catch (e) {
          logger.error(`outbox: reporting the loss of ${to.platform}:${to.chatId} failed`, e);
        }
        return true;
      }
    }
  }

  /**
   * Heads the platform will not take for longer than `maxWaitMs` (a group past its 20 a minute)
   * are leased until their slot: left due, every poll till then would read the heads again for
   * nothing (issue 16: the sender's CPU while cards wait for a group). A lease, not a plain
   * update, so a message another instance has just leased is left to it.
   */
  async function deferAll(heads: readonly OutboxRecord[], now: number): Promise<void> {
    for (const r of heads) {
      const wait = waitFor(r, now);
      if (wait > maxWaitMs) await outbox.lease(r.id, r.nextAttemptAt, new Date(now + wait));
    }
  }

  /** One pass over the chats whose first message is due, soonest sendable first. */
  async function round(heads: OutboxRecord[], total: DrainResult): Promise<boolean> {
    const left = [...heads];
    const readAt = clock.now().getTime();
    let progressed = false;
    while (left.length && !stopping) {
      const now = clock.now().getTime();
      if (progressed && now - readAt >= ROUND_MS) break;
      let best = 0;
      let bestWait = Infinity;
      left.forEach((r, i) => {
        const w = waitFor(r, now);
        if (w < bestWait) [best, bestWait] = [i, w];
      });
      if (bestWait > maxWaitMs) {
        await deferAll(left, now);
        break;
      }
      // Not slept here but in `pace`, after booking: a slot booked ahead at the window's edge is
      // exact, where one booked on waking would start each window a little later than the last.
      const [record] = left.splice(best, 1);
      if (await attempt(record!, total)) progressed = true;
    }
    return progressed;
  }

  async function drain(): Promise<DrainResult> {
    const total: DrainResult = { sent: 0, retried: 0, dead: 0 };
    // A chat's next message becomes its head only once the one before is sent: so, rounds.
    while (!stopping) {
      const heads = await outbox.heads(clock.now(), batch);
      if (heads.length === 0 || !(await round(heads, total))) break;
    }
    return total;
  }

  let draining: Promise<unknown> = Promise.resolve();
  function drainOnce(): Promise<DrainResult> {
    const result = draining.then(drain, drain);
    draining = result.catch(() => undefined);
    return result;
  }

  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let kicked = false;

  return {
    drainOnce,
    start(pollMs = 500) {
      if (loop) return;
      stopping = false;
      loop = (async () => {
        while (!stopping) {
          kicked = false;
          try {
            await drainOnce();
          } catch (e) {
            logger.warn("outbox: a drain failed; trying again at the next poll", e);
          }
          if (stopping || kicked) continue;
          await new Promise<void>((resolve) => {
            wake = resolve;
            sleep(pollMs).then(resolve, resolve);
          });
          wake = null;
        }
      })();
    },
    async stop() {
      if (!loop) return;
      stopping = true;
      wake?.();
      await loop;
      loop = null;
      stopping = false;
    },
    kick() {
      kicked = true;
      wake?.();
    },
  };
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
