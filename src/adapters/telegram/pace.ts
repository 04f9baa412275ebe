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

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The chat a Bot API call posts to, when it is a call Telegram's limits count; null otherwise. */
export function pacedChat(method: string, payload: unknown): string | null {
  if (!PACED.test(method) || !payload || typeof payload !== "object" || !("chat_id" in payload)) return null;
  return String(payload.chat_id);
}

/**
 * One paced call, whichever SDK makes it: waits for the throttle's slot for `chatId`, makes the
 * call, and tells the throttle what came of it: `ok` says whether an answer is a success;
 * `retryAfterOf` reads a 429 (an answer or an error, as the SDK reports it): its retry_after in
 * seconds, undefined when it gave none, null when the outcome was no 429.
 */
export async function pacedCall<T>(
  throttle: SendSlots,
  clock: Clock,
  sleep: (ms: number) => Promise<void>,
  chatId: string,
  call: () => Promise<T>,
  ok: (answer: T) => boolean,
  retryAfterOf: (outcome: { answer: T } | { error: unknown }) => number | undefined | null,
): Promise<T> {
  const wait = throttle.reserveUnbooked(chatId, chatKind(chatId), clock.now().getTime());
  if (wait > 0) await sleep(wait);
  let answer: T;
  try {
    answer = await call();
  } catch (error) {
    limited(throttle, clock, chatId, retryAfterOf({ error }));
    throw error;
  }
  if (ok(answer)) throttle.succeeded();
  else limited(throttle, clock, chatId, retryAfterOf({ answer }));
  return answer;
}

function limited(throttle: SendSlots, clock: Clock, chatId: string, retryAfterS: number | undefined | null): void {
  // The SDK's retry (auto-retry, or the Telegraf runtime's own) waits and tries again; the sender's messages to the chat wait as long.
  if (retryAfterS !== null) throttle.rateLimited(chatId, clock.now().getTime() + (retryAfterS ?? DEFAULT_RETRY_AFTER_S) * 1_000);
}

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
    const chatId = pacedChat(method, payload);
    if (chatId === null) return prev(method, payload, signal);
    return pacedCall(
      throttle,
      clock,
      sleep,
      chatId,
      () => prev(method, payload, signal),
      (answer) => answer.ok,
      (outcome) => ("answer" in outcome && !outcome.answer.ok && outcome.answer.error_code === 429 ? outcome.answer.parameters?.retry_after : null),
    );
  };
}
