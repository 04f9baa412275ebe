/**
 * The outbox sender's Transport for the playground: what the sender delivers (cards, notices to
 * owners, reminders, the digest, the monthly workbook) appears in the page's chats, and a card
 * the sender edits changes in place, as on Telegram.
 */
import type { RenderedChoice, RenderedReply } from "../../i18n/render.js";
import type { SendResult, Transport } from "../../infra/outbox/transport.js";
import { isGroup } from "./cast.js";
import type { ChatButton, ChatLog } from "./chat-log.js";
import { fileUrl, type FileShelf } from "./files.js";
import { buttonsPerRow } from "../telegram/render.js";

export function playgroundTransport(log: ChatLog, files: FileShelf, now: () => Date): Transport {
  return {
    // The playground is a Telegram client (see ./room.ts): its chats are Telegram chats.
    platform: "telegram",
    chatKind: (chatId) => (isGroup(chatId) ? "group" : "private"),
    async send(chatId, message, opts): Promise<SendResult> {
      const replyTo = opts.threadOf ? Number(opts.threadOf) : undefined;
      const m = log.post({ chatId, from: null, text: message.text, buttons: rows(message.choices), at: now().toISOString(), ...(replyTo ? { replyTo } : {}) });
      return { ok: true, messageId: String(m.id) };
    },
    async edit(chatId, messageId, message: RenderedReply): Promise<SendResult> {
      const m = log.edit(chatId, Number(messageId), { text: message.text, buttons: rows(message.choices) });
      return m ? { ok: true, messageId } : { ok: false, kind: "gone", error: "message to edit not found" };
    },
    async sendDocument(chatId, file): Promise<SendResult> {
      const id = files.put({ name: file.filename, mediaType: file.mediaType, bytes: file.bytes });
      const m = log.post({ chatId, from: null, text: file.caption ?? "", buttons: [], file: { name: file.filename, url: fileUrl(id) }, at: now().toISOString() });
      return { ok: true, messageId: String(m.id) };
    },
  };
}

/** Laid out as the Telegram adapter lays out its keyboards. */
export function rows(choices: readonly RenderedChoice[]): ChatButton[][] {
  const perRow = buttonsPerRow(choices.map((c) => c.label));
  const out: ChatButton[][] = [];
  choices.forEach((c, i) => {
    if (i % perRow === 0) out.push([]);
    out.at(-1)!.push({ label: c.label, value: c.value });
  });
  return out;
}
