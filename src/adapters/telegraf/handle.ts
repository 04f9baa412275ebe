/**
 * A Telegraf context as the shared Telegram handling sees it (../telegram/handle.ts). Telegraf
 * has no auto-retry plugin, so the bot's own direct replies ride out a 429 here; what the outbox
 * sender sends has its own waiting.
 */
import type { Update } from "grammy/types";
import { TelegramError, type Context } from "telegraf";
import type { Logger } from "../../core/logger.js";
import type { UpdateContext } from "../telegram/handle.js";

/** How the bot's own replies ride out a 429. */
export interface RetryPolicy {
  /** Attempts after the first. */
  readonly maxRetries: number;
  /** A retry_after longer than this is not waited out: the send fails and is logged. */
  readonly maxDelaySeconds: number;
}

export function telegrafContext(ctx: Context, logger: Logger, retry: RetryPolicy): UpdateContext {
  return {
    // Telegraf's ctx.update is Telegram's Update JSON, as the pure modules (typed with grammY's types) read it.
    update: ctx.update as unknown as Update,
    botUsername: ctx.botInfo.username,
    chatId: ctx.chat?.id,
    // The options are Telegram's own JSON, which Telegraf passes through as grammY does.
    sendMessage: (chatId, text, options) => retrying(retry, () => ctx.telegram.sendMessage(chatId, text, options as object)),
    sendPhoto: (chatId, fileId, options) => retrying(retry, () => ctx.telegram.sendPhoto(chatId, fileId, options as object)),
    answerQuery: (alert) => (alert === undefined ? ctx.answerCbQuery() : ctx.answerCbQuery(alert, { show_alert: true })).then(
      () => undefined,
      (e: unknown) => logger.warn("answerCallbackQuery failed", e),
    ),
  };
}

/** A 429 is waited out (its retry_after, if short enough) and the call made again; anything else is thrown. */
async function retrying<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const seconds = e instanceof TelegramError && e.code === 429 ? (e.parameters?.retry_after ?? 1) : undefined;
      if (seconds === undefined || attempt >= policy.maxRetries || seconds > policy.maxDelaySeconds) throw e;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
}
