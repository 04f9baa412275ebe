/**
 * The playground's demo property, set up the way `npm run admin` and the invite codes would: 虹港家园
 * (seed 001's project) with its staff (front desk, A区's 管家, the supervisor, the director: seeds
 * 000 and 001), its staff group, the director's chat and 工程部's group. Safe to run at every
 * start: people are found again, roles granted once, chats bound only while unbound.
 */
import { GROUPS, STAFF } from "./adapters/playground/cast.js";
import type { PersonRecord } from "./core/people/store.js";
import type { PropertyRecord } from "./core/property/store.js";
import type { Locale } from "./core/text.js";
import type { Clock } from "./core/time/clock.js";
import { DEMO_PROPERTY } from "./infra/demo-property.js";
import type { Stores } from "./infra/prisma/store.js";

export async function seedPlayground(store: Stores, clock: Clock, staffLocale: Locale): Promise<PropertyRecord> {
  const property = (await store.properties()).find((p) => p.code === DEMO_PROPERTY.code) ?? (await store.createProperty(DEMO_PROPERTY));
  const people = await setStaffLocale(store, staffLocale);
  for (const [i, s] of STAFF.entries()) {
    const person = people[i]!;
    const zoneId = s.zone ? (property.zones.find((z) => z.code === s.zone)?.id ?? null) : null;
    await store.grantStaffRole(person.id, { propertyId: property.id, zoneId, role: s.role });
  }
  for (const g of GROUPS) {
    if (!g.purpose) continue;
    const ref = { platform: "telegram" as const, chatId: g.id };
    if ((await store.chatBinding(ref))?.active) continue;
    await store.bindChat({ ...ref, propertyId: property.id, purpose: g.purpose, department: g.department ?? null }, clock.now());
  }
  return property;
}

/** The staff, named, and spoken to in `locale` in their private chats (the page's language). */
export async function setStaffLocale(store: Stores, locale: Locale): Promise<PersonRecord[]> {
  const people: PersonRecord[] = [];
  for (const s of STAFF) {
    const person = await store.person({ platform: "telegram", platformUserId: String(s.id), displayName: s.name, username: s.username, locale });
    people.push(person.name === s.name && person.locale === locale ? person : await store.updatePerson(person.id, { name: s.name, locale }));
  }
  return people;
}
