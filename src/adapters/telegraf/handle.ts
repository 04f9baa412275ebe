/**
 * What the Telegraf bot does with one update: the same as the grammY bot's handle.ts, on
 * Telegraf's context. Route it (../telegram/route.ts), skip it if Telegram delivered it before,
 * hand it to the owner or the staff desk and send the answer back into the same chat; or, when
 * the bot was removed from a group, deactivate the group. Nothing here decides anything about a
 * complaint; the translation and the rendering are the grammY adapter's pure modules.
 */
import type { Update } from "grammy/types";
import { Markup, TelegramError, type Context } from "telegraf";
import { deliverDirectly, type Logger } from "../../core/intake/desk.js";
import type { Outcome } from "../../core/messages.js";
import type { Renderer } from "../../i18n/render.js";
import type { HandleOptions } from "../telegram/handle.js";
import { telegramMessages, type OutgoingMessage } from "../telegram/render.js";
import { groupLost } from "../telegram/runtime.js";
import { routeUpdate } from "../telegram/route.js";
import { groupHandoff } from "../telegram/group-owner.js";

/** How the bot's own replies ride out a 429 (Telegraf has no auto-retry plugin). */
export interface RetryPolicy {
  /** Attempts after the first. */
  readonly maxRetries: number;
  /** A retry_after longer than this is not waited out: the send fails and is logged. */
  readonly maxDelaySeconds: number;
}

export async function handleTelegrafUpdate(ctx: Context, o: HandleOptions, logger: Logger, retry: RetryPolicy): Promise<void> {
  // Telegraf's ctx.update is Telegram's Update JSON, as the pure modules (typed with grammY's types) read it.
  const update = ctx.update as unknown as Update;
  const route = routeUpdate(update, ctx.botInfo.username);
  const isQuery = update.callback_query !== undefined;
  if (!route || (route.to === "staff" && !o.staffDesk)) {
    // Answered even when ignored: the user's client shows a spinner until it is.
    if (isQuery) await answerQuery(ctx, logger);
    return;
  }
  // Checked before acting, as in the grammY bot: a redelivered update is never acted on twice.
  if (!(await o.store.firstDelivery("telegram", String(update.update_id), o.clock.now()))) return;
  const answered = isQuery ? answerQuery(ctx, logger) : Promise.resolve();
  try {
    switch (route.to) {
      case "group_left":
        return await groupLost(route.chatId, o, logger);
      case "group_owner": {
        const answer = await groupHandoff(route, o, ctx.botInfo.username);
        if (answer) {
          await retrying(retry, () =>
            ctx.telegram.sendMessage(route.chatId, answer.text, {
              reply_parameters: { message_id: route.messageId, allow_sending_without_reply: true },
              ...Markup.inlineKeyboard([Markup.button.url(answer.button.label, answer.button.url)]),
            }),
          );
        }
        return;
      }
      case "owner": {
        // Queued with the conversation and sent here at once, as in the grammY bot's handle.ts.
        const chat = ctx.chat;
        const outcome = await o.desk.handle(route.inbound, chat ? { to: { platform: "telegram", chatId: String(chat.id) } } : undefined);
        if (!chat) return;
        await deliverDirectly(outcome, telegramMessages(outcome, o.renderer), (m) => send(ctx, chat.id, m, {}, retry));
        return;
      }
      case "staff": {
        const desk = o.staffDesk;
        if (desk) await reply(ctx, await desk.handle(route.inbound), o.renderer, retry, route.replyTo);
        return;
      }
    }
  } finally {
    await answered;
  }
}

/** Into the chat the update came from; in a group, as a reply to what it answers. */
async function reply(ctx: Context, outcome: Outcome, renderer: Renderer, retry: RetryPolicy, replyTo?: number): Promise<void> {
  const chat = ctx.chat;
  if (!chat) return;
  const thread = replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
  for (const m of telegramMessages(outcome, renderer)) await send(ctx, chat.id, m, thread, retry);
}

function send(ctx: Context, chatId: number, m: OutgoingMessage, thread: object, retry: RetryPolicy): Promise<unknown> {
  const markup = inlineKeyboard(m);
  return retrying(retry, () => ctx.telegram.sendMessage(chatId, m.text, { ...thread, ...(markup ? { reply_markup: markup.reply_markup } : {}) }));
}

/** The rendered keyboard (rows already laid out by render.ts) as Telegraf's markup; callback buttons only. */
export function inlineKeyboard(m: OutgoingMessage): ReturnType<typeof Markup.inlineKeyboard> | undefined {
  const rows = m.reply_markup?.inline_keyboard;
  if (!rows || rows.flat().length === 0) return undefined;
  return Markup.inlineKeyboard(
    rows.map((row) =>
      row.map((b) => {
        if (!("callback_data" in b)) throw new Error(`only callback buttons are rendered, got "${b.text}"`);
        return Markup.button.callback(b.text, b.callback_data);
      }),
    ),
  );
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

async function answerQuery(ctx: Context, logger: Logger): Promise<void> {
  await ctx.answerCbQuery().catch((e: unknown) => logger.warn("answerCallbackQuery failed", e));
}

