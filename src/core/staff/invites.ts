/**
 * One-time codes that set a property up in chat: a staff member joins with `/join CODE` in a
 * private chat; a group becomes the property's staff group (or a department group, the
 * director's chat, the hotline group) with `/bind CODE`. Implemented in src/infra/prisma/chats.ts.
 */
import type { ChatPurpose } from "./chats.js";
import type { StaffRole } from "./roles.js";

export type InviteGrant =
  | { readonly kind: "join"; readonly role: StaffRole; readonly zoneId: string | null }
  | { readonly kind: "bind"; readonly purpose: ChatPurpose; readonly department: string | null; readonly zoneId?: string | null };

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

export interface InviteStore {
  /** Issue a one-time code (8 characters, no look-alike letters) that expires at `expiresAt`. */
  createInvite(input: { propertyId: string; grant: InviteGrant; expiresAt: Date; createdAt: Date }): Promise<InviteRecord>;
  /** A code as it stands, without using it: `/bind` checks where a code leads before spending it. */
  findInvite(code: string): Promise<InviteRecord | null>;
  /** Use a code once: of two people racing for it, one gets it. */
  redeemInvite(code: string, kind: InviteGrant["kind"], personId: string, at: Date): Promise<RedeemResult>;
}
