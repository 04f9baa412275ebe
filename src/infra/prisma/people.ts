import type { Channel } from "../../core/messages.js";
import type { OwnerRoomRecord, PersonHandle, PersonIdentity, PersonPatch, PersonRecord, PersonStore } from "../../core/people/store.js";
import { STAFF_ROLES, type StaffRoleRecord, type StaffStore } from "../../core/staff/roles.js";
import { isRecordMissing, isUniqueViolation, type Ctx } from "./db.js";
import { toOwnerRoom, toPerson } from "./rows.js";

/**
 * Called for every inbound message, so a known person costs exactly one indexed read. The
 * platform's display name and language hint are only taken on first contact; later changes go
 * through updatePerson.
 */
export async function person({ db, newId }: Ctx, identity: PersonIdentity): Promise<PersonRecord> {
  const key = { platform: identity.platform, platformUserId: identity.platformUserId };
  const found = await db.person.findUnique({ where: { platform_platformUserId: key } });
  if (found && (identity.username === undefined || identity.username === found.username)) return toPerson(found);
  if (found) return toPerson(await db.person.update({ where: { id: found.id }, data: { username: identity.username } }));
  try {
    const created = await db.person.create({
      data: {
        id: newId(),
        ...key,
        displayName: identity.displayName ?? null,
        username: identity.username ?? null,
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

/**
 * Most recently used first: the room a returning owner most likely means. Raw SQL because the
 * room question reads it on every prompt and answer (see conversations.ts on the model API's cost).
 */
export async function ownerRooms({ db }: Ctx, personId: string): Promise<OwnerRoomRecord[]> {
  const rows = await db.$queryRaw<unknown[]>`
    SELECT "propertyId", "roomLabel", "roomId", "zoneId" FROM "OwnerRoom"
    WHERE "personId" = ${personId} ORDER BY "lastUsedAt" DESC, "roomLabel" ASC`;
  return rows.map(toOwnerRoom);
}

/** The same row filing writes (tickets.ts), so a linked room and a used one are one record. */
export async function linkOwnerRoom({ db, newId }: Ctx, personId: string, room: OwnerRoomRecord, at: Date): Promise<void> {
  const key = { personId, propertyId: room.propertyId, roomLabel: room.roomLabel };
  const fields = { roomId: room.roomId, zoneId: room.zoneId, lastUsedAt: at };
  await db.ownerRoom.upsert({ where: { personId_propertyId_roomLabel: key }, create: { id: newId(), ...key, ...fields }, update: fields });
}

export async function personById({ db }: Ctx, id: string): Promise<PersonRecord | null> {
  const row = await db.person.findUnique({ where: { id } });
  return row ? toPerson(row) : null;
}

/**
 * Looks a handle up without creating anyone. A username is stored as the platform spelled it;
 * people usually type it that way (Telegram completes @mentions), so the indexed exact match comes
 * first, and a case-insensitive scan of the platform's people only when it finds nobody. A handle
 * that moved to another account (Telegram lets it) belongs to whoever showed it to us last.
 */
export async function findPerson(ctx: Ctx, platform: Channel, handle: PersonHandle): Promise<PersonRecord | null> {
  const { db } = ctx;
  if ("platformUserId" in handle) {
    const row = await db.person.findUnique({ where: { platform_platformUserId: { platform, platformUserId: handle.platformUserId } } });
    return row ? toPerson(row) : null;
  }
  const exact = await db.person.findFirst({ where: { platform, username: handle.username }, orderBy: { updatedAt: "desc" } });
  if (exact) return toPerson(exact);
  const [folded] = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Person" WHERE "platform" = ${platform} AND LOWER("username") = ${handle.username.toLowerCase()}
    ORDER BY "updatedAt" DESC LIMIT 1`;
  return folded ? personById(ctx, folded.id) : null;
}

export async function staffRoles({ db }: Ctx, personId: string): Promise<StaffRoleRecord[]> {
  const rows = await db.staffRole.findMany({ where: { personId }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => {
    const role = STAFF_ROLES.find((x) => x === r.role);
    if (!role) throw new Error(`StaffRole ${r.id}: unknown role "${r.role}"`);
    return { propertyId: r.propertyId, zoneId: r.zoneId, role };
  });
}

/** The unique key does not cover a null zone (see schema.prisma), so look before inserting. */
export async function grantStaffRole({ db, newId }: Ctx, personId: string, grant: StaffRoleRecord): Promise<void> {
  const where = { personId, propertyId: grant.propertyId, zoneId: grant.zoneId, role: grant.role };
  if (await db.staffRole.findFirst({ where })) return;
  try {
    await db.staffRole.create({ data: { id: newId(), ...where } });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
}

export async function staffOf({ db }: Ctx, propertyId: string, role: StaffRoleRecord["role"]): Promise<PersonRecord[]> {
  const rows = await db.staffRole.findMany({ where: { propertyId, role }, include: { person: true }, orderBy: { createdAt: "asc" } });
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.personId) && seen.add(r.personId)).map((r) => toPerson(r.person));
}

/** The PersonStore port over Prisma. */
export function personStore(ctx: Ctx): PersonStore {
  return {
    person: (identity) => person(ctx, identity),
    updatePerson: (id, patch) => updatePerson(ctx, id, patch),
    personById: (id) => personById(ctx, id),
    findPerson: (platform, handle) => findPerson(ctx, platform, handle),
    ownerRooms: (personId) => ownerRooms(ctx, personId),
    linkOwnerRoom: (personId, room, at) => linkOwnerRoom(ctx, personId, room, at),
  };
}

/** The StaffStore port over Prisma: roles live on the people they name. */
export function staffStore(ctx: Ctx): StaffStore {
  return {
    staffRoles: (personId) => staffRoles(ctx, personId),
    staffOf: (propertyId, role) => staffOf(ctx, propertyId, role),
    grantStaffRole: (personId, grant) => grantStaffRole(ctx, personId, grant),
  };
}
