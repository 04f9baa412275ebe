/**
 * What the two Telegram runtimes (grammY, Telegraf) share beyond routing and rendering: the
 * updates asked for, the handle each factory returns, the drain on shutdown, and what losing a
 * group means. Each runtime keeps only what its SDK makes different.
 */
import type { Logger } from "../../core/logger.js";
import type { ChatRef } from "../../core/messages.js";
import type { ChatStore } from "../../core/staff/chats.js";
import type { Transport } from "../../infra/outbox/transport.js";

/**
 * What the bot asks Telegram for: my_chat_member tells it it was removed from a group;
 * edited_message that an owner corrected an answer (never left unanswered).
 */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

/** What `createGrammyBot` and `createTelegrafBot` return; `B` is the SDK's own bot. */
export interface TelegramBot<B> {
  readonly bot: B;
  /** For the outbox sender: sends on its own plain Bot API client, which neither retries nor throttles. */
  readonly transport: Transport;
  /**
   * Resolves once polling has begun (or the webhook endpoint listens), with the bot's username for
   * the start-up line. Until getMe answers, each failure is logged with what to check and tried
   * again with backoff (./start-up.ts).
   */
  start(): Promise<{ readonly username: string }>;
  /** The port the webhook endpoint listens on (useful with port 0), or null when polling. */
  webhookPort(): number | null;
  /** Stops taking updates and waits for those already being handled, so the store can close after it. */
  stop(): Promise<void>;
}

/** In production a runtime's retries may wait out network errors for long; shutdown must not wait with them. */
const DRAIN_MS = 10_000;

/**
 * The updates being handled, so that `stop()` can wait for them before the store closes. `track`
 * is each runtime's first middleware; both SDKs call it as (ctx, next).
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  readonly track = async (_ctx: unknown, next: () => Promise<void>): Promise<void> => {
    const handling = next();
    this.running.add(handling);
    try {
      await handling;
    } finally {
      this.running.delete(handling);
    }
  };

  /** Waits for the handlers still running, at most `ms`, and says so if some still were then. */
  async drain(logger: Logger, ms = DRAIN_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
    const done = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true as const;
    })();
    try {
      if (!(await Promise.race([done, late]))) logger.error(`stopped with ${this.running.size} update(s) still in progress`, null);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** No more cards go to a group the bot is not in; someone must bind another or add the bot back. */
export async function groupLost(
  chatId: string,
  o: { store: Pick<ChatStore, "deactivateChat">; onChatGone?(to: ChatRef, reason: string): Promise<void> },
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
