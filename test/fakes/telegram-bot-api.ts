/**
 * A fake Telegram Bot API for tests, on node:http at 127.0.0.1: the bot talks to it over real
 * HTTP and long polling, and tests play the Telegram users. Never reaches the real Telegram.
 *
 *   const api = new FakeBotApi(); const apiRoot = await api.start();
 *   const since = api.calls.length; api.userMessage({ text: "/start" });
 *   await api.waitForCall((c) => c.method === "sendMessage", { since });
 *   await bot.stop(); await api.stop();
 */
import type { CallbackQuery, Chat, ChatMemberUpdated, Message, MessageEntity, PhotoSize, User } from "grammy/types";
import { FakeBotApiServer } from "./telegram-bot-api-server.js";

export type { ApiCall, Fault, Params, Upload } from "./telegram-bot-api-server.js";

export const DEFAULT_USER: User = { id: 1001, is_bot: false, first_name: "张", last_name: "三", language_code: "zh-hans" };

/** A chat by id; its type follows from the id as on Telegram unless given. */
export interface ChatSpec {
  readonly id: number;
  readonly type?: Chat["type"];
  readonly title?: string;
}

interface From {
  /** The private chat with `from` unless given. */
  readonly chat?: ChatSpec;
  readonly from?: User;
  /** A message of the chat this one answers (Telegram's "reply"): quoted whole, as Telegram does. */
  readonly replyTo?: Pick<Message, "chat" | "message_id">;
}

export class FakeBotApi extends FakeBotApiServer {
  private seq = 0;

  /** Text as a user types it; "/commands" get bot_command entities like on Telegram. */
  userMessage(o: From & { text: string }): Message {
    const entities = commandEntities(o.text);
    return this.userSends(o, { text: o.text, ...(entities.length > 0 ? { entities } : {}) });
  }

  /** A photo in Telegram's three sizes, smallest first; the largest is `<fileId>_1280`. */
  userPhoto(o: From & { caption?: string; fileId?: string } = {}): Message {
    const base = o.fileId ?? `AgACphoto${++this.seq}`;
    const photo: PhotoSize[] = [90, 320, 1280].map((width) => ({
      ...this.file(`${base}_${width}`, `photos/${base}_${width}.jpg`, width * 100),
      width,
      height: (width * 3) / 4,
    }));
    return this.userSends(o, { photo, ...(o.caption ? { caption: o.caption } : {}) });
  }

  userVoice(o: From & { duration?: number } = {}): Message {
    const file = this.file(`AwACvoice${++this.seq}`, `voice/file_${this.seq}.oga`, 9000);
    return this.userSends(o, { voice: { ...file, duration: o.duration ?? 3, mime_type: "audio/ogg" } });
  }

  userSticker(o: From & { emoji?: string } = {}): Message {
    const file = this.file(`CAACsticker${++this.seq}`, `stickers/file_${this.seq}.webp`, 20000);
    return this.userSends(o, {
      sticker: { ...file, type: "regular", width: 512, height: 512, is_animated: false, is_video: false, emoji: o.emoji ?? "😀" },
    });
  }

  userDocument(o: From & { fileName?: string; mimeType?: string; caption?: string } = {}): Message {
    const name = o.fileName ?? "report.pdf";
    const file = this.file(`BQACdoc${++this.seq}`, `documents/${name}`, 50000);
    return this.userSends(o, {
      document: { ...file, file_name: name, mime_type: o.mimeType ?? "application/pdf" },
      ...(o.caption ? { caption: o.caption } : {}),
    });
  }

  /**
   * Presses a button of a message as it is now: throws if the button is not there (a user
   * cannot press buttons the bot removed). The query stays open until the bot answers it.
   * `forged`: the data is sent whatever the buttons say, as a modified client can.
   */
  pressButton(o: { message: Pick<Message, "chat" | "message_id">; data: string; from?: User; forged?: boolean }): CallbackQuery {
    const message = this.messages.get(`${o.message.chat.id}/${o.message.message_id}`);
    if (!message) throw new Error(`no message ${o.message.message_id} in chat ${o.message.chat.id}`);
    if (!o.forged && !buttonData(message).includes(o.data)) {
      throw new Error(`message ${message.message_id} has no button "${o.data}"; it has: ${buttonData(message).join(", ") || "none"}`);
    }
    const from = o.from ?? (message.chat.type === "private" ? this.privatePartner(message.chat) : DEFAULT_USER);
    const query: CallbackQuery = {
      id: `${Date.now()}${++this.seq}`,
      from,
      message: structuredClone(message),
      chat_instance: `ci${message.chat.id}`,
      data: o.data,
    };
    this.openQueries.add(query.id);
    this.pushUpdate({ callback_query: query });
    return query;
  }

  /**
   * Someone removes the bot from a group ("kicked"), or it is made to leave ("left"): Telegram
   * tells the bot with my_chat_member, and every later send or edit there is refused with 403.
   */
  removeBot(o: { chat: ChatSpec; by?: User; status?: "kicked" | "left" }): ChatMemberUpdated {
    const chat = this.chatFor(o.chat, o.by ?? DEFAULT_USER);
    const status = o.status ?? "kicked";
    const bot = { ...this.botInfo } as User;
    const change: ChatMemberUpdated = {
      chat,
      from: o.by ?? DEFAULT_USER,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { status: "member", user: bot },
      new_chat_member: status === "kicked" ? { status: "kicked", user: bot, until_date: 0 } : { status: "left", user: bot },
    };
    this.chats.set(chat.id, chat);
    const kind = chat.type === "supergroup" ? "supergroup" : "group";
    this.removedFrom.set(chat.id, status === "kicked" ? `Forbidden: bot was kicked from the ${kind} chat` : `Forbidden: bot is not a member of the ${kind} chat`);
    this.pushUpdate({ my_chat_member: change });
    return change;
  }

  private userSends(o: From, content: Partial<Message>): Message {
    const from = o.from ?? DEFAULT_USER;
    const chat = this.chatFor(o.chat, from);
    const replyTo = o.replyTo ? this.replyTarget(chat, { message_id: o.replyTo.message_id }) : undefined;
    const message = this.storeMessage(chat, { from, ...content, ...(replyTo ? { reply_to_message: replyTo } : {}) });
    this.pushUpdate({ message: message as Message & { chat: Exclude<Chat, Chat.ChannelChat>; from: User } });
    return message;
  }

  private chatFor(spec: ChatSpec | undefined, from: User): Chat {
    if (!spec || (spec.id > 0 && (spec.type ?? "private") === "private")) {
      const id = spec?.id ?? from.id;
      return { id, type: "private", first_name: from.first_name, ...(from.last_name ? { last_name: from.last_name } : {}) };
    }
    const title = spec.title ?? "业主群";
    // Supergroup and channel ids are -100… on Telegram; basic groups are small negatives.
    const type = spec.type ?? (spec.id < -1_000_000_000_000 ? "supergroup" : "group");
    return { id: spec.id, type, title } as Chat;
  }

  private privatePartner(chat: Chat): User {
    const sent = [...this.messages.values()].find((m) => m.chat.id === chat.id && m.from && !m.from.is_bot);
    return sent?.from ?? DEFAULT_USER;
  }

  private file(fileId: string, filePath: string, size: number): { file_id: string; file_unique_id: string; file_size: number } {
    const file = { file_id: fileId, file_unique_id: `u${fileId}`, file_size: size };
    this.files.set(fileId, { ...file, file_path: filePath });
    return file;
  }
}

/** The callback data of every button on a message. */
export function buttonData(message: Message): string[] {
  return (message.reply_markup?.inline_keyboard ?? []).flat().flatMap((b) => ("callback_data" in b ? [b.callback_data] : []));
}

/** The callback data of the button labelled `label`; throws if the message has none. */
export function dataOf(message: Message, label: string): string {
  const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.text === label);
  if (!button || !("callback_data" in button)) throw new Error(`no button "${label}" on message ${message.message_id}`);
  return button.callback_data;
}

/** Button labels row by row, to assert a layout. */
export function buttonRows(message: Message): string[][] {
  return (message.reply_markup?.inline_keyboard ?? []).map((row) => row.map((b) => b.text));
}

/** Telegram marks every "/command" or "/command@bot" that starts a word. */
function commandEntities(text: string): MessageEntity[] {
  return [...text.matchAll(/(?<=^|\s)\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/g)].map((m) => ({
    type: "bot_command",
    offset: m.index,
    length: m[0].length,
  }));
}
