import type { Channel } from "../../core/messages.js";
import type { OwnerRoomRecord, PersonHandle, PersonIdentity, PersonPatch, PersonRecord, PersonStore } from "../../core/people/store.js";
import { STAFF_ROLES, type StaffRoleRecord, type StaffStore } from "../../core/staff/roles.js";
import { isRecordMissing, isUniqueViolation, type Ctx } from "./db.js";
import { textOrNull, type HotSql, type Row } from "./hot-sql.js";
import { toOwnerRoom, toPerson } from "./rows.js";

/**
 * Called for every inbound message, so a known person costs exactly one indexed read. The
 * platform's display name and language hint are only taken on first contact; later changes go
 * through updatePerson. Hot statements (hot-sql.ts): a first message creates the person, and
 * through the model API that was three statements in Prisma's query compiler (issue 16).
 */
export async function person(ctx: Ctx, identity: PersonIdentity): Promise<PersonRecord> {
  return personOf(await readOrCreatePerson(ctx, identity, (sql) => readByPlatformId(sql, identity.platform, identity.platformUserId)));
}

const readByPlatformId = (sql: HotSql, platform: string, platformUserId: string): Promise<Row[]> =>
  sql.all(`SELECT ${PERSON_COLUMNS} FROM "Person" p WHERE p."platform" = ? AND p."platformUserId" = ?`, [platform, platformUserId]);

/** The columns of a PersonRecord, as `p`; `personOf` turns a row of them into one on both databases. */
export const PERSON_COLUMNS = `p."id", p."platform", p."platformUserId", p."displayName", p."username", p."name", p."phone", p."locale", p."localeExplicit"`;

/** A row read with PERSON_COLUMNS as a PersonRecord; SQLite has no boolean type and gives 0/1. */
export function personOf(row: Row): PersonRecord {
  return toPerson({ ...row, localeExplicit: Boolean(row.localeExplicit) });
}

/**
 * The person's row as `read` finds it (PERSON_COLUMNS and whatever else it selects), created on
 * first contact and read again, with a changed handle stored. `read` is the caller's one indexed
 * read, so a known person still costs exactly that.
 */
export async function readOrCreatePerson(
  ctx: Ctx,
  identity: PersonIdentity,
  read: (sql: HotSql) => Promise<Row[]>,
): Promise<Row> {
  let [row] = await read(ctx.sql);
  if (!row) {
    await insertPerson(ctx, identity);
    [row] = await read(ctx.sql);
    if (!row) throw new Error(`no person ${identity.platform}:${identity.platformUserId} right after creating it`);
  }
  return withHandle(ctx.sql, identity, row);
}

/**
 * First contact. Two first messages at once: the second insert does nothing and both read the
 * one person. `createdAt` and `updatedAt` as the model API sets them (the wall clock, not the
 * turn's: findPerson orders by `updatedAt`, and other writes stamp it that way).
 */
async function insertPerson({ sql, newId }: Ctx, identity: PersonIdentity): Promise<void> {
  const now = new Date();
  await sql.run(
    `INSERT INTO "Person" ("id", "platform", "platformUserId", "displayName", "username", "locale", "localeExplicit", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("platform", "platformUserId") DO NOTHING`,
    [newId(), identity.platform, identity.platformUserId, identity.displayName ?? null, identity.username ?? null, identity.locale, false, now, now],
  );
}

/** A changed handle is stored (it is how staff name a colleague); the row as it is now. */
async function withHandle(sql: HotSql, identity: PersonIdentity, row: Row): Promise<Row> {
  if (identity.username === undefined || identity.username === row.username) return row;
  await sql.run(`UPDATE "Person" SET "username" = ?, "updatedAt" = ? WHERE "id" = ?`, [identity.username, new Date(), row.id]);
  return { ...row, username: identity.username };
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
 * Most recently used first: the room a returning owner most likely means. A hot statement
 * (hot-sql.ts): the room question reads it on every prompt and answer.
 */
export async function ownerRooms({ sql }: Ctx, personId: string): Promise<OwnerRoomRecord[]> {
  const rows = await sql.all(
    `SELECT "propertyId", "roomLabel", "roomId", "zoneId" FROM "OwnerRoom" WHERE "personId" = ? ORDER BY "lastUsedAt" DESC, "roomLabel" ASC`,
    [personId],
  );
  return rows.map(toOwnerRoom);
}

/** The same row filing writes (tickets.ts), so a linked room and a used one are one record. */
export async function linkOwnerRoom({ db, newId }: Ctx, personId: string, room: OwnerRoomRecord, at: Date): Promise<void> {
  const key = { personId, propertyId: room.propertyId, roomLabel: room.roomLabel };
  const fields = { roomId: room.roomId, zoneId: room.zoneId, lastUsedAt: at };
  await db.ownerRoom.upsert({ where: { personId_propertyId_roomLabel: key }, create: { id: newId(), ...key, ...fields }, update: fields });
}

/** A hot statement (hot-sql.ts): every staff card the outbox sender renders reads its people. */
export async function personById({ sql }: Ctx, id: string): Promise<PersonRecord | null> {
  const [row] = await sql.all(`SELECT ${PERSON_COLUMNS} FROM "Person" p WHERE p."id" = ?`, [id]);
  return row ? personOf(row) : null;
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
    // The hot statement person() reads with: every photo an owner sends is offered to the staff
    // desk first (a letter's scan), which asks whether the sender is staff by this lookup.
    const [row] = await readByPlatformId(ctx.sql, platform, handle.platformUserId);
    return row ? personOf(row) : null;
  }
  const exact = await db.person.findFirst({ where: { platform, username: handle.username }, orderBy: { updatedAt: "desc" } });
  if (exact) return toPerson(exact);
  const [folded] = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Person" WHERE "platform" = ${platform} AND LOWER("username") = ${handle.username.toLowerCase()}
    ORDER BY "updatedAt" DESC LIMIT 1`;
  return folded ? personById(ctx, folded.id) : null;
}

/** Hot statements (hot-sql.ts), like staffOf: every filing reads the zone specialists' roles. */
export async function staffRoles({ sql }: Ctx, personId: string): Promise<StaffRoleRecord[]> {
  const rows = await sql.all(`SELECT "id", "propertyId", "zoneId", "role" FROM "StaffRole" WHERE "personId" = ? ORDER BY "createdAt" ASC`, [personId]);
  return rows.map((r) => {
    const role = STAFF_ROLES.find((x) => x === r.role);
    if (!role) throw new Error(`StaffRole ${String(r.id)}: unknown role "${String(r.role)}"`);
    return { propertyId: String(r.propertyId), zoneId: textOrNull(r.zoneId), role };
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

/** Who holds a role at a property, longest first; a hot statement: every filing reads them. */
export async function staffOf({ sql }: Ctx, propertyId: string, role: StaffRoleRecord["role"]): Promise<PersonRecord[]> {
  const rows = await sql.all(
    `SELECT ${PERSON_COLUMNS} FROM "StaffRole" r JOIN "Person" p ON p."id" = r."personId"
     WHERE r."propertyId" = ? AND r."role" = ? ORDER BY r."createdAt" ASC`,
    [propertyId, role],
  );
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(String(r.id)) && seen.add(String(r.id))).map(personOf);
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
