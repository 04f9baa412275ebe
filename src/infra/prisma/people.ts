import type { OwnerRoomRecord, PersonPatch, PersonRecord, Store } from "../../core/ports.js";
import { isRecordMissing, isUniqueViolation, type Ctx } from "./db.js";
import { toOwnerRoom, toPerson } from "./rows.js";

type Identity = Parameters<Store["person"]>[0];

/**
 * Called for every inbound message, so a known person costs exactly one indexed read. The
 * platform's display name and language hint are only taken on first contact; later changes go
 * through updatePerson.
 */
export async function person({ db, newId }: Ctx, identity: Identity): Promise<PersonRecord> {
  const key = { platform: identity.platform, platformUserId: identity.platformUserId };
  const found = await db.person.findUnique({ where: { platform_platformUserId: key } });
  if (found) return toPerson(found);
  try {
    const created = await db.person.create({
      data: {
        id: newId(),
        ...key,
        displayName: identity.displayName ?? null,
        locale: identity.locale,
        localeExplicit: false,
      },
    });
    return toPerson(created);
  } catch (e) {
    // Two first messages at once: the other one created the person.
    if (!isUniqueViolation(e)) throw e;
    return toPerson(await db.person.findUniqueOrThrow({ where: { platform_platformUserId: key } }));
  }
}

export async function updatePerson({ db }: Ctx, id: string, patch: PersonPatch): Promise<PersonRecord> {
  try {
    const row = await db.person.update({
      where: { id },
      data: { name: patch.name, phone: patch.phone, locale: patch.locale, localeExplicit: patch.localeExplicit },
    });
    return toPerson(row);
  } catch (e) {
    if (isRecordMissing(e)) throw new Error(`updatePerson: no person ${id}`);
    throw e;
  }
}

/** Most recently used first: the room a returning owner most likely means. */
export async function ownerRooms({ db }: Ctx, personId: string): Promise<OwnerRoomRecord[]> {
  const rows = await db.ownerRoom.findMany({
    where: { personId },
    orderBy: [{ lastUsedAt: "desc" }, { roomLabel: "asc" }],
  });
  return rows.map(toOwnerRoom);
}
