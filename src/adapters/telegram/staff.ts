/**
 * Telegram updates as the staff desk's `StaffInbound`, and the updates that mean the bot lost a
 * group. Pure, like updates.ts. Staff reach us with commands (in a private chat, or in a group
 * as "/claim HG-0001" or "/claim@our_bot HG-0001") and with the card's buttons; whatever else is
 * said in a group is none of our business.
 */
import type { CallbackQuery, Chat, ChatMemberUpdated, Message } from "grammy/types";
import { isStaffChoice, isStaffCommandOrTypo } from "../../core/desk/staff-desk.js";
import { type StaffInbound } from "../../core/messages.js";
import { commandOf, isOurs, senderOf } from "./updates.js";

export interface StaffRoute {
  readonly inbound: StaffInbound;
  /** In a group, the message the answer replies to (the command, or the card pressed), so it is clear whom it answers. */
  readonly replyTo?: number;
}

/** Private chats are staff members' own; groups and supergroups are the property's. Channels take no commands. */
export function staffChatKind(chat: Pick<Chat, "type">): StaffInbound["chat"]["kind"] | null {
  if (chat.type === "private") return "private";
  if (chat.type === "group" || chat.type === "supergroup") return "group";
  return null;
}

export function staffFromMessage(m: Message, botUsername: string): StaffRoute | null {
  const kind = staffChatKind(m.chat);
  const typed = commandOf(m);
  if (!kind || !m.from || m.from.is_bot || !typed || !isOurs(typed, botUsername) || !isStaffCommandOrTypo(typed.command)) return null;
  return {
    inbound: {
      channel: "telegram",
      chat: { id: String(m.chat.id), kind },
      sender: senderOf(m.from),
      body: { type: "command", command: typed.command.toLowerCase(), args: typed.args },
    },
    ...(kind === "group" ? { replyTo: m.message_id } : {}),
  };
}

/** A card button (`claim:HG-0001`, `ticket:HG-0001`). Its data is the user's to forge: the desk checks it. */
export function staffFromCallbackQuery(query: CallbackQuery): StaffRoute | null {
  const message = query.message;
  if (query.data === undefined || !isStaffChoice(query.data) || !message || query.from.is_bot) return null;
  const kind = staffChatKind(message.chat);
  if (!kind) return null;
  return {
    inbound: { channel: "telegram", chat: { id: String(message.chat.id), kind }, sender: senderOf(query.from), body: { type: "choice", value: query.data } },
    ...(kind === "group" ? { replyTo: message.message_id } : {}),
  };
}

/**
 * The group the bot was removed from (or left), from the bot's own membership change. A user
 * blocking the bot in a private chat is not a lost group; the outbox learns of it on its next send.
 */
export function groupLeft(change: ChatMemberUpdated): string | null {
  if (staffChatKind(change.chat) !== "group") return null;
  const status = change.new_chat_member.status;
  return status === "left" || status === "kicked" ? String(change.chat.id) : null;
}
