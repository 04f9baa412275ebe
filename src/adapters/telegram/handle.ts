/**
 * What a Telegram bot does with one update, on either runtime (grammY or Telegraf): route it
 * (route.ts), skip it if Telegram delivered it before, hand it to the owner or the staff desk
 * through the core's inbound port and send the answer back into the same chat; or, when the bot
 * was removed from a group, deactivate the group. Each runtime only says how it sends a message
 * and answers a button press (`UpdateContext`).
 */
import type { InlineKeyboardMarkup, Update } from "grammy/types";
import { deliverDirectly } from "../../core/desk/owner-desk.js";
import type { OwnerDeskPort, RedeliveryGuard, StaffDeskPort } from "../../core/desk/inbound.js";
import type { Logger } from "../../core/logger.js";
import type { SendWatch } from "../../core/desk/journal.js";
import type { ChatRef, Outcome } from "../../core/messages.js";
import type { ChatStore } from "../../core/staff/chats.js";
import type { Clock } from "../../core/time/clock.js";
import type { Renderer } from "../../i18n/render.js";
import { groupHandoff } from "./group-owner.js";
import { telegramMessages, type OutgoingMessage } from "./render.js";
import { documentRef, routeUpdate } from "./route.js";
import { truncate } from "../../core/util/input.js";
import { groupLost } from "./runtime.js";

/** What handling an update needs; both runtimes' options extend it. */
export interface HandleOptions {
  /** Owners, in private chats. */
  readonly desk: OwnerDeskPort;
  /** Staff commands (private chats and bound groups) and the card's buttons; without it they are ignored. */
  readonly staffDesk?: StaffDeskPort;
  /** Remembers handled updates, so one Telegram delivers again is not acted on twice; deactivates lost groups. */
  readonly store: RedeliveryGuard & Pick<ChatStore, "deactivateChat" | "chatBinding">;
  readonly clock: Clock;
  readonly renderer: Renderer;
  /**
   * The bot was removed from a group (kicked, or it left); the group is already deactivated and
   * gets no more cards. Same shape as the outbox sender's `onChatGone`, so one handler serves both.
   */
  onChatGone?(to: ChatRef, reason: string): Promise<void>;
}

/** Bot API sendMessage parameters beyond the text, as Telegram's JSON. */
export interface SendOptions {
  readonly reply_parameters?: { readonly message_id: number; readonly allow_sending_without_reply: boolean };
  readonly reply_markup?: InlineKeyboardMarkup;
}

/** One update as a runtime hands it over, with the two calls the handling makes back. */
export interface UpdateContext {
  readonly update: Update;
  readonly botUsername: string;
  /** The chat the update came from (a message's, or a pressed button's message's). */
  readonly chatId: number | undefined;
  /** `watch`: the journal's, for an owner's reply (src/core/desk/journal.ts); a runtime that cannot tell when its request is written ignores it. */
  sendMessage(chatId: number, text: string, options: SendOptions, watch?: SendWatch): Promise<unknown>;
  /** Sends a photo Telegram already holds, by its file_id (an owner's photo shown to staff). */
  sendPhoto(chatId: number, fileId: string, options: SendOptions): Promise<unknown>;
  /** Stops the spinner on a pressed button, with an alert only the presser sees when given; must not throw. */
  answerQuery(alert?: string): Promise<void>;
}

export async function handleUpdate(ctx: UpdateContext, o: HandleOptions, logger: Logger): Promise<void> {
  const route = routeUpdate(ctx.update, ctx.botUsername);
  const isQuery = ctx.update.callback_query !== undefined;
  if (!route || ((route.to === "staff" || route.to === "group_photo") && !o.staffDesk)) {
    // Answered even when ignored: the user's client shows a spinner until it is.
    if (isQuery) await ctx.answerQuery();
    return;
  }
  // Telegram delivers again what the bot did not confirm (a crash or a restart mid-batch). An
  // update counts as handled only once its effect is stored (an owner turn marks it with its
  // save; anything else is marked below, after it was handled), so a process that died half-way
  // handles the redelivery as the first (issue 10, item 1).
  const updateId = String(ctx.update.update_id);
  if (await o.store.processed("telegram", updateId)) {
    if (isQuery) await ctx.answerQuery();
    return;
  }
  // Stopping the client's spinner does not have to come before the work: it runs alongside; a
  // staff press in a group is answered after the desk, since a refusal is the answer's alert.
  const alertable = isQuery && route.to === "staff" && route.inbound.chat.kind === "group";
  let answered = isQuery && !alertable ? ctx.answerQuery() : undefined;
  const mark = () => o.store.markProcessed("telegram", updateId, o.clock.now());
  try {
    switch (route.to) {
      case "group_left":
        await groupLost(route.chatId, o, logger);
        return await mark();
      case "group_owner": {
        const answer = await groupHandoff(route, o, ctx.botUsername);
        await mark();
        if (answer) {
          await ctx.sendMessage(route.chatId, answer.text, {
            reply_parameters: { message_id: route.messageId, allow_sending_without_reply: true },
            ...(answer.button ? { reply_markup: { inline_keyboard: [[{ text: answer.button.label, url: answer.button.url }]] } } : {}),
          });
        }
        return;
      }
      case "owner": {
        // Pressed buttons stay on the message: the core knows a button of an earlier question (a
        // double tap, an old keyboard) and answers that it is out of date, so no extra API call
        // per press is spent taking keyboards off. The replies are queued with the conversation
        // (the desk's durable fast path), the update marked with them, and sent here at once;
        // what this send does not deliver, the outbox sender does.
        const chatId = ctx.chatId;
        // A staff member's photo may be a letter's scan at the front desk: the staff side sees it first.
        const body = route.inbound.body;
        const fileRef = body.type === "photo" ? body.fileRef : body.type === "unsupported" && ctx.update.message ? documentRef(ctx.update.message) : null;
        const taken =
          fileRef && chatId !== undefined
            ? await o.staffDesk?.attach?.({ channel: "telegram", chat: { id: String(chatId), kind: "private" }, sender: route.inbound.sender, fileRef })
            : null;
        if (taken) {
          await mark();
          return await reply(ctx, taken, o.renderer);
        }
        const outcome = await o.desk.handle(route.inbound, chatId !== undefined ? { to: { platform: "telegram", chatId: String(chatId) }, update: updateId } : undefined);
        if (!outcome.marked) await mark();
        if (chatId === undefined) return;
        await deliverDirectly(outcome, telegramMessages(outcome, o.renderer), (m, watch) => ctx.sendMessage(chatId, m.text, keyboardOf(m), watch));
        return;
      }
      case "group_photo": {
        // Marked only when taken: the group's other photos leave no trace.
        const taken = await o.staffDesk?.attach?.(route.attachment);
        if (!taken) return;
        await mark();
        return await reply(ctx, taken, o.renderer, ctx.update.message?.message_id);
      }
      case "unknown_command":
        return await reply(ctx, route.outcome, o.renderer, route.replyTo);
      case "staff": {
        // The action's write marks the update with it (StaffDeskPort.handle); an action that
        // writes nothing is marked here, before its answer is sent.
        const desk = o.staffDesk;
        if (!desk) return;
        const outcome = await desk.handle(route.inbound, updateId);
        await mark();
        if (alertable && outcome.askerOnly) {
          // Not posted to the group: "you are not staff here" is the presser's business alone.
          answered = ctx.answerQuery(alertOf(outcome, o.renderer));
          return;
        }
        if (alertable) answered = ctx.answerQuery();
        await reply(ctx, outcome, o.renderer, route.replyTo);
        await sendPhotos(ctx, outcome, logger, route.replyTo);
        return;
      }
    }
  } finally {
    await (answered ?? (isQuery ? ctx.answerQuery() : undefined));
  }
}

/** Telegram shows at most 200 characters in a button's alert. */
const ALERT_MAX = 200;

function alertOf(outcome: Outcome, renderer: Renderer): string {
  return truncate(outcome.replies.map((r) => renderer.reply(r, outcome.locale).text).join("\n"), ALERT_MAX);
}

/** Into the chat the update came from; in a group, as a reply to what it answers. */
async function reply(ctx: UpdateContext, outcome: Outcome, renderer: Renderer, replyTo?: number): Promise<void> {
  const chatId = ctx.chatId;
  if (chatId === undefined) return;
  const thread = replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
  for (const m of telegramMessages(outcome, renderer)) {
    await ctx.sendMessage(chatId, m.text, { ...thread, ...keyboardOf(m) });
  }
}

/**
 * The photos an answer carries (`/photos HG-0005`), after its text. Only Telegram's own file ids
 * can be sent; one Telegram refuses (an image sent as a file has a document's id) is logged and
 * the rest still go.
 */
async function sendPhotos(ctx: UpdateContext, outcome: Outcome, logger: Logger, replyTo?: number): Promise<void> {
  const chatId = ctx.chatId;
  if (chatId === undefined) return;
  const thread = replyTo === undefined ? {} : { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } };
  for (const ref of outcome.replies.flatMap((r) => r.photos ?? [])) {
    if (!ref.startsWith("tg:")) continue;
    try {
      await ctx.sendPhoto(chatId, ref.slice(3), thread);
    } catch (error) {
      logger.warn(`sending photo ${ref} failed`, error);
    }
  }
}

/** A rendered message's buttons as Telegram's plain JSON, which both runtimes pass through. */
function keyboardOf(m: OutgoingMessage): SendOptions {
  return m.reply_markup ? { reply_markup: { inline_keyboard: m.reply_markup.inline_keyboard } } : {};
}
