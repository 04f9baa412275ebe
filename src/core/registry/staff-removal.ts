/**
 * A colleague who leaves (离职) loses access at once: their roles in the property go, so the
 * staff desk and the workflow refuse their next command and button; every open ticket of the
 * property they followed goes back to the pool (待受理) with its claim clock restarted, as an
 * unclaim does, and the staff groups are told; the removal is an audit event, and each released
 * ticket has its own event in its history.
 *
 * Also a role change, which must not leave a property without an admin.
 */
import type { ChatRef } from "../messages.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import type { ChatStore } from "../staff/chats.js";
import type { StaffRole, StaffStore } from "../staff/roles.js";
import { t, type Locale } from "../text.js";
import type { TicketRecord, TicketStore, TicketPatch } from "../ticket/store.js";
import { OPEN_STATUSES, transition, type TicketStatus } from "../ticket/status.js";
import type { AuditActor, RegistryStore } from "./store.js";

export interface StaffChangeDeps {
  readonly store: RegistryStore & StaffStore & TicketStore & ChatStore & PersonStore;
  readonly staffLocale: Locale;
}

export type RemovalResult =
  | { ok: true; roles: readonly StaffRole[]; released: readonly TicketRecord[] }
  /** A lead may not remove or demote the property's last admin; the operator may, with force. */
  | { ok: false; code: "last_admin" | "not_staff" };

/** How many open tickets one person can follow, and more: released in one go. */
const RELEASE_LIMIT = 1000;

export async function removeStaff(
  deps: StaffChangeDeps,
  input: { propertyId: string; person: PersonRecord; actor: AuditActor; at: Date; force: boolean },
): Promise<RemovalResult> {
  const { store } = deps;
  const { propertyId, person, at } = input;
  const held = (await store.staffRoles(person.id)).filter((r) => r.propertyId === propertyId);
  if (!input.force && (await isLastAdmin(store, propertyId, person.id))) return { ok: false, code: "last_admin" };
  const open = await store.findTickets({ propertyIds: [propertyId], statuses: OPEN_STATUSES, assigneeId: person.id, limit: RELEASE_LIMIT });
  // Someone already removed keeps nothing to release: saying so is more use than "done" twice.
  if (held.length === 0 && open.length === 0) return { ok: false, code: "not_staff" };
  // Roles first: from this moment every command of theirs is refused, even while tickets move.
  const roles = await store.removeStaffRoles(person.id, propertyId, {
    propertyId,
    at,
    actor: input.actor,
    action: "staff_removed",
    subject: person.id,
    data: { roles: held.map((r) => r.role), tickets: open.map((x) => x.number) },
  });
  const groups = (await store.propertyChats(propertyId, "staff")).map((c): ChatRef => ({ platform: c.platform, chatId: c.chatId }));
  const released: TicketRecord[] = [];
  for (const ticket of open) {
    const done = await release(deps, ticket, person, at, groups);
    if (done) released.push(done);
  }
  return { ok: true, roles, released };
}

/**
 * Back to the pool. Claimed or being worked: the status table's unclaim. Waiting on the owner
 * has no unclaim in the table (its follower is waiting on an answer), but with the follower gone
 * nobody would hear the answer, so it goes back to 待受理 the same way. Reopened is already
 * waiting for a claim: it only loses its follower. The store restarts the claim clock on the way
 * back to new (tickets.ts, CLAIM_STATUSES).
 */
async function release(deps: StaffChangeDeps, ticket: TicketRecord, person: PersonRecord, at: Date, groups: readonly ChatRef[]): Promise<TicketRecord | null> {
  const to: TicketStatus = ticket.status === "reopened" || ticket.status === "new" ? ticket.status : "new";
  if (to !== ticket.status && ticket.status !== "waiting_owner" && !transition(ticket.status, "unclaim", "staff").ok) return null;
  const patch: TicketPatch = { assigneeId: null };
  const name = person.name ?? person.displayName ?? person.username ?? "?";
  const written = await deps.store.applyTransition(
    ticket.id,
    ticket.status,
    to,
    {
      at,
      type: "transition",
      actorKind: "system",
      actorId: null,
      channel: "system",
      fromStatus: ticket.status,
      toStatus: to,
      data: { action: "unclaim", reason: "staff_removed", personId: person.id },
    },
    patch,
    (moved) => staffGroupNotice(deps, moved, name, groups),
  );
  return written.ok ? written.ticket : null;
}

/** The card shows 待受理 again, and each staff group reads why. */
function staffGroupNotice(deps: StaffChangeDeps, ticket: TicketRecord, name: string, groups: readonly ChatRef[]): NewOutboxMessage[] {
  return groups.flatMap((to): NewOutboxMessage[] => [
    { kind: "card", to, ticketId: ticket.id },
    { kind: "message", to, ticketId: ticket.id, body: { locale: deps.staffLocale, text: [t("registry.released", { number: ticket.number, name })] } },
  ]);
}

/** True when the person is an admin of the property and nobody else is. */
export async function isLastAdmin(store: StaffStore, propertyId: string, personId: string): Promise<boolean> {
  const admins = await store.staffOf(propertyId, "admin");
  return admins.length === 1 && admins[0]!.id === personId;
}

export type RoleChangeResult = { ok: true } | { ok: false; code: "last_admin" };

/** The person holds exactly `role` in the property afterwards; the last admin stays one unless forced. */
export async function changeStaffRole(
  deps: { readonly store: RegistryStore & StaffStore },
  input: { propertyId: string; person: PersonRecord; role: StaffRole; zoneId: string | null; actor: AuditActor; at: Date; force: boolean },
): Promise<RoleChangeResult> {
  const { store } = deps;
  if (input.role !== "admin" && !input.force && (await isLastAdmin(store, input.propertyId, input.person.id))) return { ok: false, code: "last_admin" };
  await store.setStaffRole(input.person.id, input.propertyId, input.role, input.zoneId, {
    propertyId: input.propertyId,
    at: input.at,
    actor: input.actor,
    action: "staff_role_set",
    subject: input.person.id,
    data: { role: input.role, zoneId: input.zoneId },
  });
  return { ok: true };
}
