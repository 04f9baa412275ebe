/**
 * The chats a property works in: its staff group, department groups, the director's chat, the
 * hotline group (bound with `/bind CODE`, see ./invites.ts).
 */
import type { ChatRef } from "../messages.js";
import type { NewOutboxMessage } from "../outbox.js";

export const CHAT_PURPOSES = ["staff", "department", "director", "hotline"] as const;
export type ChatPurpose = (typeof CHAT_PURPOSES)[number];

export interface ChatBindingRecord extends ChatRef {
  readonly propertyId: string;
  readonly purpose: ChatPurpose;
  readonly department: string | null;
  readonly active: boolean;
  /**
   * A staff group bound to one zone (管辖区域) gets that zone's tickets and the unzoned ones; null:
   * the whole property's (issue 13 §3). Scheduled reports go to every staff group regardless.
   */
  readonly zoneId: string | null;
}

/** What binding a chat sets; a zone only for a zone's staff group. */
export type NewChatBinding = Omit<ChatBindingRecord, "active" | "zoneId"> & { readonly zoneId?: string | null };

/** The staff groups that see a ticket of `zoneId`: the property-wide ones, and that zone's. */
export function groupsSeeing<C extends Pick<ChatBindingRecord, "zoneId">>(chats: readonly C[], zoneId: string | null): C[] {
  return chats.filter((c) => c.zoneId === null || c.zoneId === zoneId);
}

/** The chats a property works in; implemented in src/infra/prisma/chats.ts. */
export interface ChatStore {
  /**
   * Make a chat one of a property's chats (binding it again re-activates and re-purposes it);
   * `outbox` (who is told that another property lost the chat) is written with it.
   */
  bindChat(binding: NewChatBinding, at: Date, outbox?: readonly NewOutboxMessage[]): Promise<ChatBindingRecord>;
  chatBinding(ref: ChatRef): Promise<ChatBindingRecord | null>;
  propertyChats(propertyId: string, purpose: ChatPurpose): Promise<ChatBindingRecord[]>;
  /** The bot was removed from the chat: post nothing more there. */
  deactivateChat(ref: ChatRef): Promise<void>;
  /**
   * `/unbind`: the chat stops being the property's, with `outbox` (who is told) written in the
   * same transaction. False when it was not active (unbound meanwhile): nothing is written.
   */
  unbindChat(ref: ChatRef, at: Date, outbox: readonly NewOutboxMessage[]): Promise<boolean>;
}
