/**
 * The room registry with its owner roster (业主档案), the staff list and the audit log of
 * who-is-who changes. The RegistryStore port is implemented in src/infra/prisma/registry.ts.
 */
import type { ChatRef } from "../messages.js";
import type { PersonRecord } from "../people/store.js";
import type { ChatBindingRecord } from "../staff/chats.js";
import type { StaffRole } from "../staff/roles.js";

/** A room of the registry with what the roster says of it. Staff only: never shown to owners. */
export interface RosterRoom {
  readonly label: string;
  readonly zoneId: string | null;
  readonly ownerName: string | null;
  readonly ownerPhone: string | null;
  readonly vip: boolean;
  readonly vipNote: string | null;
  readonly notes: string | null;
}

/** A room of the registry with its roster owner, as the owner's conversation reads it. */
export interface RosterMatch {
  readonly roomId: string;
  readonly label: string;
  readonly zoneId: string | null;
  readonly ownerName: string | null;
  readonly ownerPhone: string | null;
}

/**
 * What the owner's conversation reads of the roster (issue 13 item 1): the registered owner of
 * the room an owner gave, offered to confirm instead of asking, and the rooms a typed phone is
 * registered for, to link the owner to theirs. Shown to owners only masked (people/name.ts, phone.ts).
 */
export interface RosterLookup {
  /** The room with exactly this label (as the room field stored it), or null. */
  rosterRoom(propertyId: string, label: string): Promise<RosterMatch | null>;
  /** Rooms whose roster phone is this one (normalised by parsePhone), by label. */
  rosterRoomsByPhone(propertyId: string, phone: string): Promise<RosterMatch[]>;
}

/** Who did it: the admin tool's operator, or a person (a lead in chat). */
export type AuditActor = "cli" | { readonly personId: string };

export const AUDIT_ACTIONS = ["staff_removed", "staff_role_set", "invite_revoked", "chat_unbound", "rooms_imported", "vip_set", "vip_cleared"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  readonly propertyId: string | null;
  readonly at: Date;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly subject: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** One role a person holds in a property, for the staff list. */
export interface StaffMember {
  readonly person: PersonRecord;
  readonly role: StaffRole;
  readonly zoneId: string | null;
  readonly since: Date;
}

export type RevokeResult = "revoked" | "unknown" | "used" | "expired";

export interface RegistryStore {
  /** The property's rooms with their roster fields, by label. */
  roster(propertyId: string): Promise<RosterRoom[]>;
  /** Add and update rooms and record the import, in one transaction: all of it or nothing. */
  applyRoster(propertyId: string, changes: { added: readonly RosterRoom[]; changed: readonly RosterRoom[] }, audit: AuditEntry): Promise<void>;
  /** Mark a room of the registry VIP (or not) with its note; null when the room is not in the registry. */
  setVip(propertyId: string, label: string, vip: { vip: boolean; note: string | null }, audit: AuditEntry): Promise<RosterRoom | null>;
  /** The VIP handbook: the property's VIP rooms, by label. */
  vipRooms(propertyId: string): Promise<RosterRoom[]>;
  /** Rooms whose roster phone is this one (normalised by parsePhone): to link an owner to their room. */
  roomsByPhone(propertyId: string, phone: string): Promise<RosterRoom[]>;

  /** Every role held in the property, by person then role. */
  staffMembers(propertyId: string): Promise<StaffMember[]>;
  /**
   * People a command names: a person id, `platform:userId`, or a username with or without "@"
   * (without regard to case, on any platform). More than one means the name is ambiguous.
   */
  findPeople(typed: string): Promise<PersonRecord[]>;
  /** The person holds exactly this role (and zone) in the property afterwards; recorded. */
  setStaffRole(personId: string, propertyId: string, role: StaffRole, zoneId: string | null, audit: AuditEntry): Promise<void>;
  /** Take every role of the person in the property away, and record it; returns the roles taken. */
  removeStaffRoles(personId: string, propertyId: string, audit: AuditEntry): Promise<StaffRole[]>;
  /** An unused, unexpired code stops working (it expires now); recorded. */
  revokeInvite(code: string, at: Date, actor: AuditActor): Promise<RevokeResult>;
  /** Every chat bound to the property, active or not. */
  boundChats(propertyId: string): Promise<ChatBindingRecord[]>;
  /** The chat is no longer one of any property's (deactivated, with an audit row); the binding it had, or null if none was active. */
  unbindChatAudited(ref: ChatRef, at: Date, actor: AuditActor): Promise<ChatBindingRecord | null>;
  /** The property's audit log, newest first. */
  auditLog(propertyId: string, limit: number): Promise<AuditEntry[]>;
}
