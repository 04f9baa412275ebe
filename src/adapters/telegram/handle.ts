/**
 * What the bot does with one update: route it (route.ts), skip it if Telegram delivered it
 * before, hand it to the owner or the staff desk and send the answer back into the same chat;
 * or, when the bot was removed from a group, deactivate the group.
 */
import { InlineKeyboard, type Context } from "grammy";
import { deliverDirectly, type Logger } from "../../core/intake/desk.js";
import type { Outcome } from "../../core/messages.js";
import type { Renderer } from "../../i18n/render.js";
import type { GrammyBotOptions } from "./grammy.js";
import { telegramMessages } from "./render.js";
import { groupLost } from "./runtime.js";
import { routeUpdate } from "./route.js";
import { groupHandoff } from "./group-owner.js";

export type HandleOptions = Pick<GrammyBotOptions, "desk" | "staffDesk" | "store" | "clock" | "renderer" | "onChatGone">;

export async function handleUpdate(ctx: Context, o: HandleOptions, logger: Logger): Promise<void> {
  const route = routeUpdate(ctx.update, ctx.me.username);
  if (!route || (route.to === "staff" && !o.staffDesk)) {
    // Answered even when ignored: the user's client shows a spinner until it is.
    if (ctx.callbackQuery) await answerQuery(ctx, logger);
    return;
  }
  // Telegram delivers again what the bot did not confirm (a crash or a restart mid-batch). Checked
  // before acting, so an update whose handling failed half-way is not retried either: the person
  // sees no answer and says it again, which is better than a second claim or a second notice.
  if (!(await o.store.firstDelivery("telegram", String(ctx.update.update_id), o.clock.now()))) return;
  // Stopping the client's spinner does not have to come before the work: it runs alongside.
  const answered = ctx.callbackQuery ? answerQuery(ctx, logger) : Promise.resolve();
  try {
    switch (route.to) {
      case "group_left":
        return await groupLost(route.chatId, o, logger);
      case "group_owner": {
        const answer = await groupHandoff(route, o, ctx.me.username);
        if (answer) {
          await ctx.api.sendMessage(route.chatId, answer.text, {
            reply_parameters: { message_id: route.messageId, allow_sending_without_reply: true },
            reply_markup: new InlineKeyboard().url(answer.button.label, answer.button.url),
          });
        }
        return;
      }
      case "owner": {
        // Pressed buttons stay on the message: the core knows a button of an earlier question (a
        // double tap, an old keyboard) and answers that it is out of date, so no extra API call
        // per press is spent taking keyboards off. The replies are queued with the conversation
        // (the desk's durable fast path) and sent here at once; what this send does not
        // deliver, the outbox sender does.
        const chat = ctx.chat;
        const outcome = await o.desk.handle(route.inbound, chat ? { to: { platform: "telegram", chatId: String(chat.id) } } : undefined);
        if (!chat) return;
        await deliverDirectly(outcome, telegramMessages(outcome, o.renderer), (m) =>
          ctx.api.sendMessage(chat.id, m.text, m.reply_markup ? { reply_markup: m.reply_markup } : {}),
        );
        return;
      }
      case "staff": {
        const desk = o.staffDesk;
        if (desk) await reply(ctx, await desk.handle(route.inbound), o.renderer, route.replyTo);
        return;
      }
    }
  } finally {
    await answered;
  }
}

/** Into the chat the update came from; in a group, as a reply to what it answers. */
async function reply(ctx: Context, outcome: Outcome, renderer: Renderer, replyTo?: number): Promise<void> {
  if (!ctx.chat) return;
  const thread = replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
  for (const m of telegramMessages(outcome, renderer)) {
    await ctx.api.sendMessage(ctx.chat.id, m.text, { ...thread, ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}) });
  }
}

async function answerQuery(ctx: Context, logger: Logger): Promise<void> {
  await ctx.answerCallbackQuery().catch((e: unknown) => logger.warn("answerCallbackQuery failed", e));
}


