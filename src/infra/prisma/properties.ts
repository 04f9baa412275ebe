import type { NewProperty, PropertyRecord, PropertyStore, RoomMatch } from "../../core/property/store.js";
import { labelForms } from "../../core/registry/roster.js";
import { isUniqueViolation, TX_OPTIONS, type Ctx } from "./db.js";
import { placeholders, textOrNull, type Row } from "./hot-sql.js";

interface PropertyRow {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  zones: { id: string; code: string; name: string }[];
  _count: { rooms: number };
}

const withZonesAndRoomCount = {
  zones: { select: { id: true, code: true, name: true }, orderBy: { code: "asc" } },
  // A count, not a `take: 1` include: the latter may load every room of every property.
  _count: { select: { rooms: true } },
} as const;

function toProperty(row: PropertyRow): PropertyRecord {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    zones: row.zones,
    hasRoomRegistry: row._count.rooms > 0,
  };
}

/**
 * Hot statements (hot-sql.ts): every staff card the outbox sender renders reads the list. Whether
 * a property has a room registry is an EXISTS, not a count of its rooms.
 */
export async function properties({ sql }: Ctx): Promise<PropertyRecord[]> {
  const rows = await sql.all(
    `SELECT p."id", p."code", p."name", p."nameEn", EXISTS (SELECT 1 FROM "Room" r WHERE r."propertyId" = p."id") AS "hasRooms"
     FROM "Property" p ORDER BY p."code" ASC`,
    [],
  );
  const zones = await sql.all(`SELECT "id", "code", "name", "propertyId" FROM "Zone" ORDER BY "code" ASC`, []);
  return rows.map((p) => ({
    id: String(p.id),
    code: String(p.code),
    name: String(p.name),
    nameEn: textOrNull(p.nameEn),
    zones: zones.filter((z) => z.propertyId === p.id).map((z) => ({ id: String(z.id), code: String(z.code), name: String(z.name) })),
    // SQLite gives 0/1 where PostgreSQL gives false/true.
    hasRoomRegistry: Boolean(p.hasRooms),
  }));
}

/**
 * Ticket numbers are `<code>-<seq>` and parseTicketNumber only reads 1–6 letters, so any other
 * code would make the property's tickets impossible to look up.
 */
const CODE = /^[A-Za-z]{1,6}$/;

export async function createProperty({ db, newId }: Ctx, input: NewProperty): Promise<PropertyRecord> {
  if (!CODE.test(input.code)) throw new Error(`createProperty: code "${input.code}" must be 1–6 letters`);
  const code = input.code.toUpperCase();
  const zones = (input.zones ?? []).map((z) => ({ id: newId(), code: z.code, name: z.name }));
  const zoneIds = new Map(zones.map((z) => [z.code, z.id]));
  const rooms = (input.rooms ?? []).map((r) => {
    const zoneId = r.zoneCode === undefined ? null : zoneIds.get(r.zoneCode);
    if (zoneId === undefined) throw new Error(`createProperty: room ${r.label} names unknown zone ${r.zoneCode}`);
    return { id: newId(), label: r.label, zoneId };
  });
  try {
    const row = await db.$transaction(async (tx) => {
      const id = newId();
      await tx.property.create({
        data: { id, code, name: input.name, nameEn: input.nameEn ?? null, zones: { create: zones } },
      });
      if (rooms.length) await tx.room.createMany({ data: rooms.map((r) => ({ ...r, propertyId: id })) });
      return tx.property.findUniqueOrThrow({ where: { id }, include: withZonesAndRoomCount });
    }, TX_OPTIONS);
    return toProperty(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw new Error(`createProperty: ${code} exists, or a zone code or room label repeats`);
    throw e;
  }
}

/**
 * The exact label first; then the other forms of the same room (an owner who leaves out the
 * zone letter the roster has, or adds one it has not), when exactly one of them is registered.
 * Hot statements (hot-sql.ts): the room question and every filing read it.
 */
export async function findRoom({ sql }: Ctx, propertyId: string, label: string): Promise<RoomMatch | null> {
  const columns = `SELECT "id", "label", "zoneId", "vip", "vipNote" FROM "Room" WHERE "propertyId" = ? AND`;
  const match = (row: Row): RoomMatch => ({
    id: String(row.id),
    label: String(row.label),
    zoneId: textOrNull(row.zoneId),
    // SQLite has no boolean type: 0/1 where the model API gives false/true.
    vip: row.vip ? { note: textOrNull(row.vipNote) } : null,
  });
  const [exact] = await sql.all(`${columns} "label" = ?`, [propertyId, label]);
  if (exact) return match(exact);
  const zones = await sql.all(`SELECT "id", "code", "name" FROM "Zone" WHERE "propertyId" = ?`, [propertyId]);
  const forms = labelForms(label, zones.map((z) => ({ id: String(z.id), code: String(z.code), name: String(z.name) }))).slice(1);
  if (forms.length === 0) return null;
  const others = await sql.all(`${columns} "label" IN (${placeholders(forms.length)}) LIMIT 2`, [propertyId, ...forms]);
  return others.length === 1 ? match(others[0]!) : null;
}

/** The PropertyStore port over Prisma. */
export function propertyStore(ctx: Ctx): PropertyStore {
  return {
    properties: () => properties(ctx),
    createProperty: (input) => createProperty(ctx, input),
    findRoom: (propertyId, label) => findRoom(ctx, propertyId, label),
  };
}
