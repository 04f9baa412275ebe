/**
 * Which desk an update is for. Staff commands and card buttons go to the staff desk, wherever
 * they come from; the rest of a private chat is an owner's; the bot's removal from a group is the
 * adapter's own business; anything else (group chatter, other bots' commands) is dropped unread.
 */
import type { Message, Update } from "grammy/types";
import { OWNER_COMMANDS } from "../../core/conversation/input.js";
import { isStaffCommand } from "../../core/desk/staff-desk.js";
import type { Inbound, Outcome, Sender } from "../../core/messages.js";
import { localeFromLanguageCode, t } from "../../core/text.js";
import { truncate } from "../../core/util/input.js";
import type { StaffAttachment } from "../../core/desk/inbound.js";
import { groupLeft, staffChatKind, staffFromCallbackQuery, staffFromMessage, type StaffRoute } from "./staff.js";
import { commandOf, inboundFromUpdate, senderOf } from "./updates.js";

export type Route =
  | { readonly to: "owner"; readonly inbound: Inbound }
  /** An owner addressed the bot in a group: the matter moves to their private chat. */
  | { readonly to: "group_owner"; readonly chatId: number; readonly userId: number; readonly messageId: number; readonly sender: Sender; readonly text: string }
  | ({ readonly to: "staff" } & StaffRoute)
  /** "/foo@ourbot" in a group: surely meant for us, so answered (with help) in reply, never ignored. */
  | { readonly to: "unknown_command"; readonly outcome: Outcome; readonly replyTo: number }
  | { readonly to: "group_left"; readonly chatId: string }
  /** A photo posted in a group: staff business if it is a letter the sender is recording, else nobody's. */
  | { readonly to: "group_photo"; readonly attachment: StaffAttachment };

export function routeUpdate(update: Update, botUsername: string): Route | null {
  const staff = update.message
    ? staffFromMessage(update.message, botUsername)
    : update.callback_query
      ? staffFromCallbackQuery(update.callback_query)
      : null;
  if (staff) return { to: "staff", ...staff };
  const unknown = update.message ? unknownGroupCommand(update.message, botUsername) : null;
  if (unknown) return unknown;
  if (update.my_chat_member) {
    const chatId = groupLeft(update.my_chat_member);
    return chatId === null ? null : { to: "group_left", chatId };
  }
  const addressed = addressedInGroup(update, botUsername);
  if (addressed) return addressed;
  const photo = update.message ? groupPhoto(update.message) : null;
  if (photo) return { to: "group_photo", attachment: photo };
  // Only private chats yield an owner's Inbound.
  const inbound = inboundFromUpdate(update);
  return inbound ? { to: "owner", inbound } : null;
}

/** A photo or a file (a letter's scan) posted in a group, as the staff desk's attachment. */
function groupPhoto(m: Message): StaffAttachment | null {
  if (!m.from || m.from.is_bot || staffChatKind(m.chat) !== "group") return null;
  const fileRef = m.photo?.length ? `tg:${m.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a)).file_id}` : documentRef(m);
  return fileRef ? { channel: "telegram", chat: { id: String(m.chat.id), kind: "group" }, sender: senderOf(m.from), fileRef } : null;
}

/**
 * A file's reference: an image sent as a file is a photo (`tg:`, as updates.ts reads it for an
 * owner); any other (a PDF scan) is `tgdoc:`, which is kept but never sent back as a photo.
 */
export function documentRef(m: Pick<Message, "document">): string | null {
  if (!m.document) return null;
  return m.document.mime_type?.startsWith("image/") ? `tg:${m.document.file_id}` : `tgdoc:${m.document.file_id}`;
}

/** A command addressed to us by name in a group that neither desk knows. */
function unknownGroupCommand(m: Message, botUsername: string): Route | null {
  const typed = commandOf(m);
  if (!m.from || m.from.is_bot || (m.chat.type !== "group" && m.chat.type !== "supergroup")) return null;
  if (!typed || typed.addressee?.toLowerCase() !== botUsername.toLowerCase()) return null;
  const name = typed.command.toLowerCase();
  if (isStaffCommand(name) || (OWNER_COMMANDS as readonly string[]).includes(name)) return null;
  const text = [t("error.unknown_command", { command: truncate(typed.command, 20) }), t("help.group")];
  return { to: "unknown_command", outcome: { locale: localeFromLanguageCode(m.from.language_code), replies: [{ text }] }, replyTo: m.message_id };
}

/**
 * A group message meant for the bot: it mentions @bot, replies to the bot, or is one of our
 * (non-staff) commands. Everything else said in a group is nobody's business of ours.
 */
function addressedInGroup(update: Update, botUsername: string): Route | null {
  const m = update.message;
  if (!m || !m.from || m.from.is_bot || (m.chat.type !== "group" && m.chat.type !== "supergroup")) return null;
  const text = m.text ?? m.caption ?? "";
  const mention = `@${botUsername}`.toLowerCase();
  const typed = commandOf(m);
  // Telegram marks mentions as entities; the plain text is checked too, for clients that do not.
  const mentioned =
    (m.entities ?? []).some((e) => e.type === "mention" && text.slice(e.offset, e.offset + e.length).toLowerCase() === mention) ||
    new RegExp(`(^|\\s)${mention}(?![\\w])`, "i").test(text);
  const repliedToBot = m.reply_to_message?.from?.username?.toLowerCase() === botUsername.toLowerCase();
  // A bare command in a group may be another bot's: only "/cmd@ourbot" is surely ours.
  const ourCommand = typed !== null && typed.addressee?.toLowerCase() === botUsername.toLowerCase();
  if (!mentioned && !repliedToBot && !ourCommand) return null;
  const words = (ourCommand ? typed.args : text).replace(new RegExp(`@${botUsername}`, "gi"), "").trim();
  return { to: "group_owner", chatId: m.chat.id, userId: m.from.id, messageId: m.message_id, sender: senderOf(m.from), text: words };
}
