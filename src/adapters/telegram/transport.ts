/**
 * The outbox sender's port on Telegram: sendMessage, editMessageText and sendDocument (a
 * multipart upload through grammY's InputFile) over an `Api` with no
 * auto-retry or throttler installed, with Telegram's errors sorted into the few kinds the sender
 * acts on (see infra/outbox/transport.ts). The sender keeps each chat's order and timing itself;
 * a transformer sleeping through a retry_after would hold the chat's queue without its knowing.
 */
import { Api, GrammyError, InlineKeyboard, InputFile } from "grammy";
import { botApiClient } from "./bot-api-fetch.js";
import { watchedSend, watchedSends } from "./send-watch.js";
import type { SendResult, Transport } from "../../infra/outbox/transport.js";
import { keyboard, MAX_TEXT, splitText } from "./render.js";

/** Telegram's limit on a document's caption, in characters. */
const MAX_CAPTION = 1024;
/** When Telegram says 429 without a retry_after, wait this long. */
const DEFAULT_RETRY_AFTER_MS = 1_000;
/** Below the sender's 60 s lease, so a hung request fails before another sender may take the message. */
const REQUEST_TIMEOUT_SECONDS = 15;

/** Posting there can never work again: the bot was removed or blocked, or the chat is no more. */
const FORBIDDEN_GONE = /kicked|blocked|not a member|deactivated|can't initiate conversation|can't send messages to bots/i;
/** 400s that mean the same: the chat id names nothing, or the group became a supergroup with a new id. */
const BAD_REQUEST_GONE = /chat not found|group chat was upgraded/i;
/** editMessageText's target is no more (deleted, or not ours): the sender posts the card anew. */
const EDIT_TARGET_GONE = /message to edit not found|MESSAGE_ID_INVALID|message can't be edited/i;
const NOT_MODIFIED = /message is not modified/i;

/** An Api for the outbox sender: nothing retried or slowed down behind the sender's back. */
export function telegramSenderApi(token: string, apiRoot?: string): Api {
  const api = new Api(token, botApiClient(apiRoot, { timeoutSeconds: REQUEST_TIMEOUT_SECONDS }));
  api.config.use(watchedSends());
  return api;
}

export function telegramTransport(api: Api): Transport {
  return {
    platform: "telegram",
    async send(chatId, message, opts) {
      const replyTo = opts.threadOf === undefined ? undefined : Number(opts.threadOf);
      // A message about a ticket hangs under its card; if the card was deleted it still goes out.
      const thread = replyTo !== undefined && Number.isSafeInteger(replyTo) ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {};
      const parts = splitText(message.text);
      try {
        let messageId = 0;
        for (const [i, text] of parts.entries()) {
          const last = i === parts.length - 1;
          // Parts already sent are sent again if a later one fails: at least once, like the outbox itself.
          // Watched on the last part only: the message is delivered once that is; a kill during an
          // earlier part sends the whole again (at least once, as above).
          const options = { ...thread, ...(last && message.choices.length > 0 ? { reply_markup: keyboard(message.choices) } : {}) };
          const to = chatRef(chatId);
          const sent = await watchedSend(to, text, last ? opts.watch : undefined, () => api.sendMessage(to, text, options));
          messageId = sent.message_id;
        }
        // The buttons are on the last part, so that is the message a card edit replaces.
        return { ok: true, messageId: String(messageId) };
      } catch (error) {
        return sendResultOf(error, "send");
      }
    },
    async edit(chatId, messageId, message) {
      const id = Number(messageId);
      if (!Number.isSafeInteger(id)) return { ok: false, kind: "gone", error: `not a Telegram message id: ${messageId}` };
      try {
        // An empty keyboard takes the buttons off (a claimed card loses "受理").
        const markup = message.choices.length > 0 ? keyboard(message.choices) : new InlineKeyboard();
        await api.editMessageText(chatRef(chatId), id, fit(message.text), { reply_markup: markup });
        return { ok: true, messageId };
      } catch (error) {
        // Same text and buttons as shown: the chat already shows what we wanted.
        if (error instanceof GrammyError && error.error_code === 400 && NOT_MODIFIED.test(error.description)) return { ok: true, messageId };
        return sendResultOf(error, "edit");
      }
    },
    async sendDocument(chatId, file) {
      try {
        // The Bot API takes no media type: Telegram works it out from the file itself.
        const sent = await api.sendDocument(chatRef(chatId), new InputFile(file.bytes, file.filename), file.caption ? { caption: fit(file.caption, MAX_CAPTION) } : {});
        return { ok: true, messageId: String(sent.message_id) };
      } catch (error) {
        return sendResultOf(error, "send");
      }
    },
    chatKind,
  };
}

/** Groups and supergroups (and channels) have negative ids on Telegram; users positive ones. */
export function chatKind(chatId: string): "private" | "group" {
  return chatId.startsWith("-") ? "group" : "private";
}

/** A Bot API failure as the sender reads it; anything not known to be final is `failed`, which is retried. */
export function sendResultOf(error: unknown, op: "send" | "edit"): SendResult {
  if (!(error instanceof GrammyError)) {
    return { ok: false, kind: "failed", error: error instanceof Error ? error.message : String(error) };
  }
  const what = `${error.error_code}: ${error.description}`;
  if (error.error_code === 429) {
    const seconds = error.parameters.retry_after;
    return { ok: false, kind: "rate_limited", retryAfterMs: seconds !== undefined && seconds >= 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS };
  }
  if (error.error_code === 403 && FORBIDDEN_GONE.test(error.description)) return { ok: false, kind: "gone", error: what };
  if (error.error_code === 400 && BAD_REQUEST_GONE.test(error.description)) return { ok: false, kind: "gone", error: what };
  if (op === "edit" && error.error_code === 400 && EDIT_TARGET_GONE.test(error.description)) return { ok: false, kind: "gone", error: what };
  return { ok: false, kind: "failed", error: what };
}

/** Chat ids are stored as strings; Telegram's are integers (a public "@name" stays a string). */
function chatRef(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
}

/**
 * Text that must be one piece, cut to `max` with an ellipsis: an edit replaces one message (a
 * card never comes near the limit), a caption belongs to one file.
 */
function fit(text: string, max = MAX_TEXT): string {
  if (text.length <= max) return text;
  const cut = /[\ud800-\udbff]/.test(text[max - 2] ?? "") ? max - 2 : max - 1;
  return `${text.slice(0, cut)}…`;
}
