/**
 * The chats a property works in, and the one-time codes that set them up. A staff member joins
 * with `/join CODE` in a private chat; a group becomes the property's staff group (or a
 * department group, the director's chat, the hotline group) with `/bind CODE`.
 */
import type { Channel } from "../messages.js";
import type { StaffRole } from "./roles.js";

export const CHAT_PURPOSES = ["staff", "department", "director", "hotline"] as const;
export type ChatPurpose = (typeof CHAT_PURPOSES)[number];

/** A chat on a platform: a Telegram chat id, a Slack channel id, or a user id for a DM. */
export interface ChatRef {
  readonly platform: Channel;
  readonly chatId: string;
}

export interface ChatBindingRecord extends ChatRef {
  readonly propertyId: string;
  readonly purpose: ChatPurpose;
  readonly department: string | null;
  readonly active: boolean;
}

export type InviteGrant =
  | { readonly kind: "join"; readonly role: StaffRole; readonly zoneId: string | null }
  | { readonly kind: "bind"; readonly purpose: ChatPurpose; readonly department: string | null };

export interface InviteRecord {
  readonly code: string;
  readonly propertyId: string;
  readonly grant: InviteGrant;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
}

export type RedeemResult =
  | { ok: true; invite: InviteRecord }
  | { ok: false; code: "invite_unknown" | "invite_used" | "invite_expired" | "invite_wrong_kind" };

/**
 * A person's private chat with the bot, where the bot can post unasked: only on Telegram and
 * Slack (a console person reads their answers inline and has no chat to push to).
 */
export function privateChatOf(person: { readonly platform: Channel; readonly platformUserId: string }): ChatRef | null {
  return person.platform === "telegram" || person.platform === "slack" ? { platform: person.platform, chatId: person.platformUserId } : null;
}
