/**
 * Telegram updates as the core's `Inbound`: pure translation, no network. Returns null for
 * what the owner desk must not see (group chats, bots, service messages), so the caller simply
 * does nothing.
 */
import type { CallbackQuery, Chat, Message, Update, User } from "grammy/types";
import type { Inbound, InboundBody, ReplyReference, Sender } from "../../core/messages.js";

export function inboundFromUpdate(update: Update): Inbound | null {
  if (update.message) return fromMessage(update.message);
  if (update.edited_message) return fromEdit(update.edited_message);
  if (update.callback_query) return fromCallbackQuery(update.callback_query);
  return null;
}

/** The key the desk serialises and stores a conversation under: one per owner and chat. */
export function conversationKey(chatId: number, userId: number): string {
  return `telegram:${chatId}:${userId}`;
}

function fromMessage(message: Message): Inbound | null {
  const origin = ownerOrigin(message.chat, message.from);
  if (!origin) return null;
  const body = messageBody(message);
  if (!body) return null;
  const replyTo = replyReference(message);
  return replyTo ? { ...origin, body, replyTo } : { ...origin, body };
}

/**
 * The bot's message the owner answered with Telegram's "reply": Telegram quotes it whole, so its
 * text names the ticket it was about. In a private chat with us every bot message is ours.
 */
function replyReference(message: Message): ReplyReference | null {
  const quoted = message.reply_to_message;
  if (!quoted?.from?.is_bot) return null;
  const text = quoted.text ?? quoted.caption;
  return text === undefined ? { messageId: String(quoted.message_id) } : { messageId: String(quoted.message_id), text };
}

/**
 * An owner changed a message they sent: the desk reads it as the answer or says it cannot. Edits
 * with no words (a live location moving every few seconds) are not the owner speaking.
 */
function fromEdit(message: Message): Inbound | null {
  const origin = ownerOrigin(message.chat, message.from);
  const text = message.text ?? message.caption;
  if (!origin || text === undefined) return null;
  return { ...origin, body: { type: "edit", text, messageId: String(message.message_id) } };
}

function fromCallbackQuery(query: CallbackQuery): Inbound | null {
  // Without `message` the button sat under an inline-mode message: not an owner conversation.
  if (query.data === undefined || !query.message) return null;
  const origin = ownerOrigin(query.message.chat, query.from);
  return origin ? { ...origin, body: { type: "choice", value: query.data } } : null;
}

/** Owners talk to the desk in private chats; staff in groups are routed in staff.ts. */
function ownerOrigin(chat: Chat, from: User | undefined): Pick<Inbound, "channel" | "conversationKey" | "sender"> | null {
  if (chat.type !== "private" || !from || from.is_bot) return null;
  return { channel: "telegram", conversationKey: conversationKey(chat.id, from.id), sender: senderOf(from) };
}

export function senderOf(from: User): Sender {
  return {
    platformUserId: String(from.id),
    displayName: [from.first_name, from.last_name].filter(Boolean).join(" ") || undefined,
    languageCode: from.language_code,
    username: from.username,
  };
}

/** Content a person sends that we cannot read yet; every other key of a Message is a service note. */
const OTHER_CONTENT = ["contact", "dice", "poll", "story", "paid_media", "checklist", "game", "giveaway", "invoice", "rich_message"] as const;

function messageBody(m: Message): InboundBody | null {
  if (m.text !== undefined) return textBody(m);
  if (m.photo && m.photo.length > 0) return photoBody(largest(m.photo), m.caption);
  if (m.voice || m.audio) return unsupported("voice");
  if (m.sticker) return unsupported("sticker");
  // An animation also carries `document` for old clients, so it must be checked first.
  if (m.video || m.video_note || m.animation) return unsupported("video");
  if (m.live_photo) return m.live_photo.photo?.length ? photoBody(largest(m.live_photo.photo), m.caption) : unsupported("video");
  if (m.document) {
    return m.document.mime_type?.startsWith("image/") ? photoBody(m.document.file_id, m.caption) : unsupported("file");
  }
  if (m.location || m.venue) return unsupported("location");
  if (OTHER_CONTENT.some((key) => m[key] !== undefined)) return unsupported("other");
  return null;
}

/**
 * In a private chat only we read what is typed, so "/status@other_bot" (pasted from a group) is
 * taken as ours rather than left unanswered.
 */
function textBody(m: Message): InboundBody {
  const typed = commandOf(m);
  if (!typed) return { type: "text", text: m.text ?? "", messageId: String(m.message_id) };
  return { type: "command", command: typed.command, args: typed.args };
}

export interface TypedCommand {
  readonly command: string;
  readonly args: string;
  /** The bot named after "@", if any: "/claim@guanjia_bot HG-1". */
  readonly addressee?: string;
}

/** The command a text starts with, whoever it is addressed to; null for plain text. */
export function commandOf(m: Pick<Message, "text" | "entities">): TypedCommand | null {
  const text = m.text ?? "";
  const entity = m.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
  if (!entity) return null;
  const [command = "", addressee] = text.slice(1, entity.length).split("@");
  const args = text.slice(entity.length).trim();
  return addressee === undefined ? { command, args } : { command, args, addressee };
}

/** In a chat with several bots, "/status@other_bot" is somebody else's business. */
export function isOurs(typed: TypedCommand, botUsername: string): boolean {
  return typed.addressee === undefined || typed.addressee.toLowerCase() === botUsername.toLowerCase();
}

function photoBody(fileId: string, caption: string | undefined): InboundBody {
  return caption ? { type: "photo", fileRef: `tg:${fileId}`, caption } : { type: "photo", fileRef: `tg:${fileId}` };
}

/** Telegram sends a photo in several sizes; staff need the sharpest one. */
function largest(sizes: readonly { file_id: string; width: number; height: number }[]): string {
  return sizes.reduce((best, s) => (s.width * s.height > best.width * best.height ? s : best)).file_id;
}

function unsupported(media: Extract<InboundBody, { type: "unsupported" }>["media"]): InboundBody {
  return { type: "unsupported", media };
}
