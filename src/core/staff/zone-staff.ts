/**
 * A zone's 管家 (客服专员, seed 001: one or more per zone, "负责管辖区域内业主报修工作的跟进"): who
 * hears in private of a new ticket of their zone, of a VIP's ticket (issue 13 §2), and first of
 * an unclaimed ticket's overdue claim (issue 13 §3).
 */
import type { PersonRecord } from "../people/store.js";
import type { StaffStore } from "./roles.js";

/** The property's zone specialists by zone; a specialist of the whole property (no zone) is in none. */
export async function specialistsByZone(store: StaffStore, propertyId: string): Promise<Map<string, PersonRecord[]>> {
  const byZone = new Map<string, PersonRecord[]>();
  const seen = new Set<string>();
  for (const person of await store.staffOf(propertyId, "zone_specialist")) {
    if (seen.has(person.id)) continue;
    seen.add(person.id);
    for (const role of await store.staffRoles(person.id)) {
      if (role.role !== "zone_specialist" || role.propertyId !== propertyId || role.zoneId === null) continue;
      byZone.set(role.zoneId, [...(byZone.get(role.zoneId) ?? []), person]);
    }
  }
  return byZone;
}

/** The 管家 of one zone; nobody for an unzoned ticket. */
export async function zoneSpecialists(store: StaffStore, propertyId: string, zoneId: string | null): Promise<PersonRecord[]> {
  return zoneId ? ((await specialistsByZone(store, propertyId)).get(zoneId) ?? []) : [];
}
