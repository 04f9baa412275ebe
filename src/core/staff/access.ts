/**
 * Who may act where (issue 10 §3): the one place that decides whether a person may work in a
 * chat, on which properties, and what of a ticket they may read. A group acts for the property
 * it is bound to and only its staff act there; a private chat acts for every property the person
 * is staff of. Ticket commands, the card's buttons and the extensions all go through here.
 */
import type { ChatBindingRecord } from "./chats.js";
import { LEAD_ROLES, type StaffRoleRecord } from "./roles.js";

export type StaffScope =
  | {
      readonly ok: true;
      /** The person's roles in the properties below only, never another property's. */
      readonly roles: readonly StaffRoleRecord[];
      /** The properties this chat may act on: the group's one, or all of the person's in private. */
      readonly propertyIds: readonly string[];
    }
  | { readonly ok: false; readonly reason: "group_not_bound" | "not_staff" | "not_staff_here" };

export function staffScope(chatKind: "private" | "group", binding: ChatBindingRecord | null, roles: readonly StaffRoleRecord[]): StaffScope {
  if (chatKind === "group") {
    if (!binding || !binding.active) return { ok: false, reason: "group_not_bound" };
    const here = roles.filter((r) => r.propertyId === binding.propertyId);
    // Staff of another property in this group are strangers here, whatever they are elsewhere.
    return here.length > 0 ? { ok: true, roles: here, propertyIds: [binding.propertyId] } : { ok: false, reason: "not_staff_here" };
  }
  if (roles.length === 0) return { ok: false, reason: "not_staff" };
  return { ok: true, roles, propertyIds: [...new Set(roles.map((r) => r.propertyId))] };
}

/** A lead (主管, 主任, 楼盘负责人, admin) of this property. */
export const isLeadOf = (roles: readonly StaffRoleRecord[], propertyId: string): boolean =>
  roles.some((r) => r.propertyId === propertyId && LEAD_ROLES.includes(r.role));

/**
 * The roles that let a person work a ticket: the property's, and for a zone specialist (管家)
 * their own zone, or a ticket whose zone is not known yet (those must not fall between zones).
 */
export function rolesFor(roles: readonly StaffRoleRecord[], ticket: { readonly propertyId: string; readonly zoneId: string | null }): StaffRoleRecord[] {
  return roles.filter((r) => r.propertyId === ticket.propertyId && (r.zoneId === null || ticket.zoneId === null || r.zoneId === ticket.zoneId));
}

/**
 * Internal notes are read by whoever may write them (the roles that may work the ticket) and by
 * its follower; another zone's 管家 sees the ticket without them. Seed 002 §4.8 keeps complaint
 * files from people not involved in them.
 */
export function maySeeNotes(
  roles: readonly StaffRoleRecord[],
  personId: string,
  ticket: { readonly propertyId: string; readonly zoneId: string | null; readonly assigneeId: string | null },
): boolean {
  return ticket.assigneeId === personId || rolesFor(roles, ticket).length > 0;
}
