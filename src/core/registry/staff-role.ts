/**
 * `/staff role @li zone_specialist A` by a lead in chat (issue 13 item 4: change a person's role
 * or zone), as `npm run admin -- staff role` does, with what a chat may not do: name a newcomer
 * (they join with an invite code), touch the admin role unless the lead is an admin, or leave
 * the property without an admin (the CLI's --force has no chat form). Recorded in the audit log.
 */
import type { PersonStore } from "../people/store.js";
import type { PropertyRecord } from "../property/store.js";
import type { StaffContext } from "../staff/extension.js";
import { STAFF_ROLES, type StaffRole, type StaffStore } from "../staff/roles.js";
import { t, type Text } from "../text.js";
import { truncate } from "../util/input.js";
import { nameOf } from "../people/name.js";
import { changeStaffRole } from "./staff-removal.js";
import type { RegistryStore } from "./store.js";

export type StaffRoleStores = RegistryStore & StaffStore & PersonStore;

/** `words`: who, the role, and optionally the zone code; `property`: the one property the lead acts on here. */
export async function setRoleInChat(store: StaffRoleStores, ctx: StaffContext, property: PropertyRecord, words: readonly string[]): Promise<Text> {
  const [who, roleWord, zoneWord] = words;
  const role = STAFF_ROLES.find((r) => r === roleWord?.toLowerCase());
  if (!who || !role || words.length > 3) return t("roster.staff.role_usage");
  const zone = zoneWord ? property.zones.find((z) => z.code.toUpperCase() === zoneWord.toUpperCase()) : undefined;
  if (zoneWord && !zone) return t("roster.staff.unknown_zone", { zone: truncate(zoneWord, 10), property: property.name });
  const people = await store.findPeople(who);
  if (people.length !== 1) return t(people.length ? "roster.staff.ambiguous" : "roster.staff.unknown_person", { who: truncate(who, 30) });
  const person = people[0]!;
  const held = (await store.staffRoles(person.id)).filter((r) => r.propertyId === property.id);
  if (held.length === 0) return t("roster.staff.not_staff", { name: nameOf(person), property: property.name });
  const isAdmin = (roles: readonly { role: StaffRole }[]) => roles.some((r) => r.role === "admin");
  if ((role === "admin" || isAdmin(held)) && !isAdmin(ctx.roles.filter((r) => r.propertyId === property.id))) return t("roster.staff.admin_only");
  const changed = await changeStaffRole({ store }, { propertyId: property.id, person, role, zoneId: zone?.id ?? null, actor: { personId: ctx.person.id }, at: ctx.now, force: false });
  if (!changed.ok) return t("roster.staff.last_admin", { name: nameOf(person), property: property.name });
  const zonePart = zone ? t("roster.staff.zone_suffix", { zone: zone.name }) : "";
  return t("roster.staff.role_set", { name: nameOf(person), property: property.name, role: t(`role.${role}`), zone: zonePart });
}
