/**
 * What a person does in the page, as the Telegram update a Telegram client would cause: the
 * playground then goes through the Telegram adapter's own routing and handling (handle.ts), so
 * staff commands, the card's buttons, the owners'-group mention and edits behave exactly as there.
 */
import type { Chat, Message, MessageEntity, Update, User } from "grammy/types";
import { BOT_USERNAME, isGroup } from "./cast.js";

export interface Person {
  readonly id: number;
  readonly name: string;
  readonly username?: string;
  readonly languageCode: string;
}

let lastUpdateId = 0;
/** Unique across restarts too: the store remembers handled update ids (RedeliveryGuard). */
function nextUpdateId(now: Date): number {
  lastUpdateId = Math.max(lastUpdateId + 1, Math.floor(now.getTime() / 1000) * 1000);
  return lastUpdateId;
}

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

function chatOf(chatId: string, person: Person): Chat {
  return isGroup(chatId)
    ? { id: Number(chatId), type: "supergroup", title: chatId }
    : { id: Number(chatId), type: "private", first_name: person.name };
}

function userOf(p: Person): User {
  return { id: p.id, is_bot: false, first_name: p.name, language_code: p.languageCode, ...(p.username ? { username: p.username } : {}) };
}

const BOT: User = { id: 1, is_bot: true, first_name: "管家", username: BOT_USERNAME };

/** A leading /command and any @mentions, marked as Telegram's clients mark them. */
export function entitiesOf(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  if (command) out.push({ type: "bot_command", offset: 0, length: command[0].length });
  for (const m of text.matchAll(/@[A-Za-z0-9_]{5,32}/g)) {
    if (m.index === 0 && command) continue;
    out.push({ type: "mention", offset: m.index, length: m[0].length });
  }
  return out;
}

export function textUpdate(chatId: string, from: Person, messageId: number, text: string, now: Date, replyToBot?: number): Update {
  const entities = entitiesOf(text);
  const message = {
    message_id: messageId,
    date: seconds(now),
    chat: chatOf(chatId, from),
    from: userOf(from),
    text,
    ...(entities.length ? { entities } : {}),
    ...(replyToBot !== undefined ? { reply_to_message: { message_id: replyToBot, date: seconds(now), chat: chatOf(chatId, from), from: BOT } } : {}),
  } as Message;
  return { update_id: nextUpdateId(now), message } as Update;
}

export function editUpdate(chatId: string, from: Person, messageId: number, text: string, now: Date): Update {
  const message = { message_id: messageId, date: seconds(now), edit_date: seconds(now), chat: chatOf(chatId, from), from: userOf(from), text } as Message;
  return { update_id: nextUpdateId(now), edited_message: message } as Update;
}

export function photoUpdate(chatId: string, from: Person, messageId: number, fileId: string, caption: string, now: Date): Update {
  const message = {
    message_id: messageId,
    date: seconds(now),
    chat: chatOf(chatId, from),
    from: userOf(from),
    photo: [{ file_id: fileId, file_unique_id: fileId, width: 1280, height: 960 }],
    ...(caption ? { caption } : {}),
  } as Message;
  return { update_id: nextUpdateId(now), message } as Update;
}

export function pressUpdate(chatId: string, from: Person, messageId: number, data: string, now: Date): Update {
  const message = { message_id: messageId, date: seconds(now), chat: chatOf(chatId, from), from: BOT, text: "" } as Message;
  return {
    update_id: nextUpdateId(now),
    callback_query: { id: String(nextUpdateId(now)), from: userOf(from), chat_instance: chatId, data, message },
  } as Update;
}
