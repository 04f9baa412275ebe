/**
 * What the two Telegram runtimes (grammY, Telegraf) share beyond routing and rendering: the
 * updates asked for, the handle each factory returns, the drain on shutdown, and what losing a
 * group means. Each runtime keeps only what its SDK makes different.
 */
import type { Logger } from "../../core/intake/desk.js";
import type { Store } from "../../core/ports.js";
import type { ChatRef } from "../../core/staff/chats.js";
import type { Transport } from "../../infra/outbox/transport.js";

/** What the bot asks Telegram for; my_chat_member tells it it was removed from a group. */
export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/** In production a runtime's retries may wait out network errors for long; shutdown must not wait with them. */
export const DRAIN_MS = 10_000;

/** What `createGrammyBot` and `createTelegrafBot` return; `B` is the SDK's own bot. */
export interface TelegramBot<B> {
  readonly bot: B;
  /** For the outbox sender: sends on its own plain Bot API client, which neither retries nor throttles. */
  readonly transport: Transport;
  /** Resolves once polling has begun (or the webhook endpoint listens); rejects if the token or the API root is wrong. */
  start(): Promise<void>;
  /** The port the webhook endpoint listens on (useful with port 0), or null when polling. */
  webhookPort(): number | null;
  /** Stops taking updates and waits for those already being handled, so the store can close after it. */
  stop(): Promise<void>;
}

/** Waits for the handlers still running, at most `ms`; false if some were still running then. */
export async function drained(inFlight: Set<Promise<void>>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  const done = (async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    return true as const;
  })();
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** No more cards go to a group the bot is not in; someone must bind another or add the bot back. */
export async function groupLost(
  chatId: string,
  o: { store: Pick<Store, "deactivateChat">; onChatGone?(to: ChatRef, reason: string): Promise<void> },
  logger: Logger,
): Promise<void> {
  const to: ChatRef = { platform: "telegram", chatId };
  await o.store.deactivateChat(to);
  try {
    await o.onChatGone?.(to, "the bot was removed from the group");
  } catch (e) {
    logger.error(`reporting the loss of telegram:${chatId} failed`, e);
  }
}
