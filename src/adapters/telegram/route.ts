/**
 * Which desk an update is for. Staff commands and card buttons go to the staff desk, wherever
 * they come from; the rest of a private chat is an owner's; the bot's removal from a group is the
 * adapter's own business; anything else (group chatter, other bots' commands) is dropped unread.
 */
import type { Update } from "grammy/types";
import type { Inbound } from "../../core/messages.js";
import { groupLeft, staffFromCallbackQuery, staffFromMessage, type StaffRoute } from "./staff.js";
import { inboundFromUpdate } from "./updates.js";

export type Route =
  | { readonly to: "owner"; readonly inbound: Inbound }
  | ({ readonly to: "staff" } & StaffRoute)
  | { readonly to: "group_left"; readonly chatId: string };

export function routeUpdate(update: Update, botUsername: string): Route | null {
  const staff = update.message
    ? staffFromMessage(update.message, botUsername)
    : update.callback_query
      ? staffFromCallbackQuery(update.callback_query)
      : null;
  if (staff) return { to: "staff", ...staff };
  if (update.my_chat_member) {
    const chatId = groupLeft(update.my_chat_member);
    return chatId === null ? null : { to: "group_left", chatId };
  }
  // Only private chats yield an owner's Inbound.
  const inbound = inboundFromUpdate(update, botUsername);
  return inbound ? { to: "owner", inbound } : null;
}
