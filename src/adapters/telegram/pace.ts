/**
 * The bot's own replies (an owner's answer, a staff command's) take their slots from the outbox
 * sender's throttle (src/infra/outbox/throttle.ts): one throttle for Telegram's limits, 1 a second
 * in a chat, 20 a minute in a group, 30 a second for the bot, over sliding windows, where grammY's
 * throttler (Bottleneck) kept a second set of its own beside the sender's (issue 16, item 2). A
 * direct reply and a card or notice to the same chat now share that chat's second, and a 429 a
 * reply meets holds the sender's messages to that chat too.
 *
 * The slot is booked only in this process (`reserveUnbooked`): the database learns of a direct
 * reply when it is marked delivered (createReplyOutbox), which books it in the ledger for other
 * instances; booking each reply before it goes would cost every owner turn a transaction.
 */
import type { Transformer } from "grammy";
import type { Clock } from "../../core/time/clock.js";
import { chatKind } from "./transport.js";

/** What pacing needs of the sender's throttle (src/infra/outbox/throttle.ts's Throttle is one). */
export interface SendSlots {
  /** Takes the next slot for a call to `chatId` that no ledger books: how long to wait for it (ms). */
  reserveUnbooked(chatId: string, kind: "private" | "group", now: number): number;
  /** Telegram said 429 for `chatId`: nothing more to it before `until`. */
  rateLimited(chatId: string, until: number): void;
  succeeded(): void;
}

/** The calls that post or change a message in a chat: what Telegram's limits count. */
const PACED = /^(send|edit|copy|forward)/;
/** When Telegram says 429 without a retry_after. */
const DEFAULT_RETRY_AFTER_S = 1;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A grammY API transformer that waits for the throttle's slot before each paced call. `clock`
 * must be the one the sender's throttle runs on (the system clock in production).
 */
export function pacedCalls(
  throttle: SendSlots,
  clock: Clock,
  sleep: (ms: number) => Promise<void> = realSleep,
): Transformer {
  return async (prev, method, payload, signal) => {
    const chatId = payload && typeof payload === "object" && "chat_id" in payload ? String(payload.chat_id) : null;
    if (chatId === null || !PACED.test(method)) return prev(method, payload, signal);
    const wait = throttle.reserveUnbooked(chatId, chatKind(chatId), clock.now().getTime());
    if (wait > 0) await sleep(wait);
    const answer = await prev(method, payload, signal);
    if (answer.ok) throttle.succeeded();
    else if (answer.error_code === 429) {
      // auto-retry (outside this transformer) waits and tries again; the sender's messages to the chat wait as long.
      throttle.rateLimited(chatId, clock.now().getTime() + (answer.parameters?.retry_after ?? DEFAULT_RETRY_AFTER_S) * 1_000);
    }
    return answer;
  };
}
