/**
 * The RegistryStore port over Prisma: the room registry's roster fields, the staff list, role
 * changes and removals, invite revocation, chat unbinding, and the AuditEvent log each of them
 * writes in the same transaction as the change.
 */
import { z } from "zod";
import { CHANNELS, type ChatRef } from "../../core/messages.js";
import { chatBinding } from "./chats.js";
import type { AuditActor, AuditEntry, RegistryStore, RevokeResult, RosterLookup, RosterMatch, RosterRoom, StaffMember } from "../../core/registry/store.js";
import { AUDIT_ACTIONS } from "../../core/registry/store.js";
import type { ChatBindingRecord } from "../../core/staff/chats.js";
import { STAFF_ROLES, type StaffRole } from "../../core/staff/roles.js";
import { TX_OPTIONS, type Ctx, type Tx } from "./db.js";
import { textOrNull, type Row } from "./hot-sql.js";
import { jsonColumn, toPerson } from "./rows.js";

const ROSTER_SELECT = { label: true, zoneId: true, ownerName: true, ownerPhone: true, vip: true, vipNote: true, notes: true } as const;

/** Labels sort as people read them: 3-1201 before 12-0803 (numbers by value, parts in order). */
const byLabel = (a: RosterRoom, b: RosterRoom) => a.label.localeCompare(b.label, "en", { numeric: true });

/** Rows written per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

const actorColumn = (actor: AuditActor): string => (actor === "cli" ? "cli" : actor.personId);

async function writeAudit(tx: Tx, newId: () => string, e: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: { id: newId(), propertyId: e.propertyId, at: e.at, actor: actorColumn(e.actor), action: e.action, subject: e.subject, data: jsonColumn(e.data) },
  });
}

async function roster({ db }: Ctx, propertyId: string): Promise<RosterRoom[]> {
  return (await db.room.findMany({ where: { propertyId }, select: ROSTER_SELECT })).sort(byLabel);
}

async function applyRoster({ db, newId }: Ctx, propertyId: string, changes: { added: readonly RosterRoom[]; changed: readonly RosterRoom[] }, audit: AuditEntry): Promise<void> {
  await db.$transaction(async (tx) => {
    for (let i = 0; i < changes.added.length; i += CHUNK) {
      await tx.room.createMany({
        data: changes.added.slice(i, i + CHUNK).map((r) => ({ id: newId(), propertyId, ...r, updatedAt: audit.at })),
      });
    }
    for (const r of changes.changed) {
      const { label, ...fields } = r;
      await tx.room.update({ where: { propertyId_label: { propertyId, label } }, data: { ...fields, updatedAt: audit.at } });
    }
    await writeAudit(tx, newId, audit);
  }, { ...TX_OPTIONS, timeout: 120_000 });
}

async function setVip({ db, newId }: Ctx, propertyId: string, label: string, vip: { vip: boolean; note: string | null }, audit: AuditEntry): Promise<RosterRoom | null> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.room.updateMany({ where: { propertyId, label }, data: { vip: vip.vip, vipNote: vip.note, updatedAt: audit.at } });
    if (count === 0) return null;
    await writeAudit(tx, newId, audit);
    return tx.room.findUniqueOrThrow({ where: { propertyId_label: { propertyId, label } }, select: ROSTER_SELECT });
  }, TX_OPTIONS);
}

async function vipRooms({ db }: Ctx, propertyId: string): Promise<RosterRoom[]> {
  return (await db.room.findMany({ where: { propertyId, vip: true }, select: ROSTER_SELECT })).sort(byLabel);
}

async function roomsByPhone({ db }: Ctx, propertyId: string, phone: string): Promise<RosterRoom[]> {
  return (await db.room.findMany({ where: { propertyId, ownerPhone: phone }, select: ROSTER_SELECT })).sort(byLabel);
}

const MATCH_COLUMNS = `SELECT "id", "label", "zoneId", "ownerName", "ownerPhone" FROM "Room" WHERE "propertyId" = ? AND`;
const toMatch = (r: Row): RosterMatch => ({
  roomId: String(r.id),
  label: String(r.label),
  zoneId: textOrNull(r.zoneId),
  ownerName: textOrNull(r.ownerName),
  ownerPhone: textOrNull(r.ownerPhone),
});

/**
 * The owner's conversation asks on its hot path: one indexed row, by the unique label or the
 * phone index, as hot statements (hot-sql.ts).
 */
export function rosterLookup({ sql }: Ctx): RosterLookup {
  return {
    async rosterRoom(propertyId, label) {
      const [row] = await sql.all(`${MATCH_COLUMNS} "label" = ?`, [propertyId, label]);
      return row ? toMatch(row) : null;
    },
    async rosterRoomsByPhone(propertyId, phone) {
      const rows = await sql.all(`${MATCH_COLUMNS} "ownerPhone" = ?`, [propertyId, phone]);
      return rows.map(toMatch).sort((a, b) => a.label.localeCompare(b.label, "en", { numeric: true }));
    },
  };
}

const toRole = (role: string): StaffRole => {
  const found = STAFF_ROLES.find((r) => r === role);
  if (!found) throw new Error(`StaffRole: unknown role "${role}"`);
  return found;
};

async function staffMembers({ db }: Ctx, propertyId: string): Promise<StaffMember[]> {
  const rows = await db.staffRole.findMany({ where: { propertyId }, include: { person: true }, orderBy: [{ createdAt: "asc" }] });
  const order = (r: (typeof rows)[number]) => STAFF_ROLES.indexOf(toRole(r.role));
  return rows
    .sort((a, b) => order(a) - order(b) || a.createdAt.getTime() - b.createdAt.getTime())
    .map((r) => ({ person: toPerson(r.person), role: toRole(r.role), zoneId: r.zoneId, since: r.createdAt }));
}

async function findPeople({ db }: Ctx, typed: string) {
  const text = typed.trim();
  if (!text) return [];
  const byId = await db.person.findUnique({ where: { id: text } });
  if (byId) return [toPerson(byId)];
  const platformId = /^([a-z]+):(.+)$/.exec(text);
  if (platformId && (CHANNELS as readonly string[]).includes(platformId[1]!)) {
    const row = await db.person.findUnique({ where: { platform_platformUserId: { platform: platformId[1]!, platformUserId: platformId[2]! } } });
    return row ? [toPerson(row)] : [];
  }
  const name = text.replace(/^@/, "").toLowerCase();
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Person" WHERE LOWER("username") = ${name} ORDER BY "platform", "updatedAt" DESC`;
  const people = await db.person.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
  return people.map(toPerson);
}

async function setStaffRole({ db, newId }: Ctx, personId: string, propertyId: string, role: StaffRole, zoneId: string | null, audit: AuditEntry): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.staffRole.deleteMany({ where: { personId, propertyId } });
    await tx.staffRole.create({ data: { id: newId(), personId, propertyId, role, zoneId, createdAt: audit.at } });
    await writeAudit(tx, newId, audit);
  }, TX_OPTIONS);
}

async function removeStaffRoles({ db, newId }: Ctx, personId: string, propertyId: string, audit: AuditEntry): Promise<StaffRole[]> {
  return db.$transaction(async (tx) => {
    const held = await tx.staffRole.findMany({ where: { personId, propertyId }, select: { role: true } });
    await tx.staffRole.deleteMany({ where: { personId, propertyId } });
    await writeAudit(tx, newId, audit);
    return held.map((r) => toRole(r.role));
  }, TX_OPTIONS);
}

async function revokeInvite({ db, newId }: Ctx, code: string, at: Date, actor: AuditActor): Promise<RevokeResult> {
  const normal = code.trim().toUpperCase();
  return db.$transaction(async (tx): Promise<RevokeResult> => {
    const found = await tx.inviteCode.findUnique({ where: { code: normal } });
    if (!found) return "unknown";
    if (found.usedAt) return "used";
    if (found.expiresAt.getTime() <= at.getTime()) return "expired";
    // Expiring it now is what redeemInvite already refuses; no second "revoked" state to check.
    const { count } = await tx.inviteCode.updateMany({ where: { code: normal, usedAt: null }, data: { expiresAt: at } });
    if (count === 0) return "used";
    await writeAudit(tx, newId, { propertyId: found.propertyId, at, actor, action: "invite_revoked", subject: normal, data: { kind: found.kind, role: found.role, purpose: found.purpose } });
    return "revoked";
  }, TX_OPTIONS);
}

/** Read through chats.ts's own reader, so a binding row is checked in one place; a property has a handful. */
async function boundChats(ctx: Ctx, propertyId: string): Promise<ChatBindingRecord[]> {
  const refs = await ctx.db.chatBinding.findMany({ where: { propertyId }, orderBy: [{ purpose: "asc" }, { createdAt: "asc" }], select: { platform: true, chatId: true } });
  const bindings = await Promise.all(refs.map((r) => chatBinding(ctx, { platform: r.platform as ChatRef["platform"], chatId: r.chatId })));
  return bindings.filter((b): b is ChatBindingRecord => b !== null);
}

async function unbindChatAudited(ctx: Ctx, ref: ChatRef, at: Date, actor: AuditActor): Promise<ChatBindingRecord | null> {
  const binding = await chatBinding(ctx, ref);
  if (!binding?.active) return null;
  return ctx.db.$transaction(async (tx) => {
    // Deactivated as an in-chat /unbind does: a later /bind re-activates and re-purposes the row.
    const { count } = await tx.chatBinding.updateMany({ where: { platform: ref.platform, chatId: ref.chatId, active: true }, data: { active: false } });
    if (count === 0) return null;
    await writeAudit(tx, ctx.newId, { propertyId: binding.propertyId, at, actor, action: "chat_unbound", subject: `${ref.platform}:${ref.chatId}`, data: { purpose: binding.purpose, department: binding.department } });
    return binding;
  }, TX_OPTIONS);
}

const auditRow = z.object({
  propertyId: z.string().nullable(),
  at: z.date(),
  actor: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  subject: z.string().nullable(),
  data: z.string().transform((s) => JSON.parse(s) as Record<string, unknown>),
});

async function auditLog({ db }: Ctx, propertyId: string, limit: number): Promise<AuditEntry[]> {
  const rows = await db.auditEvent.findMany({ where: { propertyId }, orderBy: { at: "desc" }, take: limit });
  return rows.map((r) => {
    const a = auditRow.parse(r);
    return { ...a, actor: a.actor === "cli" ? "cli" : { personId: a.actor } };
  });
}

export function registryStore(ctx: Ctx): RegistryStore {
  return {
    roster: (propertyId) => roster(ctx, propertyId),
    applyRoster: (propertyId, changes, audit) => applyRoster(ctx, propertyId, changes, audit),
    setVip: (propertyId, label, vip, audit) => setVip(ctx, propertyId, label, vip, audit),
    vipRooms: (propertyId) => vipRooms(ctx, propertyId),
    roomsByPhone: (propertyId, phone) => roomsByPhone(ctx, propertyId, phone),
    staffMembers: (propertyId) => staffMembers(ctx, propertyId),
    findPeople: (typed) => findPeople(ctx, typed),
    setStaffRole: (personId, propertyId, role, zoneId, audit) => setStaffRole(ctx, personId, propertyId, role, zoneId, audit),
    removeStaffRoles: (personId, propertyId, audit) => removeStaffRoles(ctx, personId, propertyId, audit),
    revokeInvite: (code, at, actor) => revokeInvite(ctx, code, at, actor),
    boundChats: (propertyId) => boundChats(ctx, propertyId),
    unbindChatAudited: (ref, at, actor) => unbindChatAudited(ctx, ref, at, actor),
    auditLog: (propertyId, limit) => auditLog(ctx, propertyId, limit),
  };
}
