/** Invite codes, chat bindings and processed updates: how a property is set up in chat. */
import { randomInt } from "node:crypto";
import { z } from "zod";
import { CHANNELS } from "../../core/messages.js";
import { CHAT_PURPOSES, type ChatBindingRecord, type NewChatBinding } from "../../core/staff/chats.js";
import { type ChatRef } from "../../core/messages.js";
import { type InviteGrant, type InviteRecord, type RedeemResult } from "../../core/staff/invites.js";
import { STAFF_ROLES } from "../../core/staff/roles.js";
import { isUniqueViolation, TX_OPTIONS, type Ctx } from "./db.js";
import type { NewOutboxMessage } from "../../core/outbox.js";
import { writeOutbox } from "./outbox.js";
import type { ChatStore } from "../../core/staff/chats.js";
import type { InviteStore } from "../../core/staff/invites.js";
import type { RedeliveryGuard } from "../../core/desk/inbound.js";
import type { HotSql } from "./hot-sql.js";

/** No 0/O, 1/I/L: codes are read aloud and typed on phones. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LENGTH = 8;

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

const inviteRow = z.object({
  code: z.string(),
  propertyId: z.string(),
  zoneId: z.string().nullable(),
  kind: z.enum(["join", "bind"]),
  role: z.enum(STAFF_ROLES).nullable(),
  purpose: z.enum(CHAT_PURPOSES).nullable(),
  department: z.string().nullable(),
  expiresAt: z.date(),
  usedAt: z.date().nullable(),
});

function toInvite(raw: unknown): InviteRecord {
  const r = inviteRow.parse(raw);
  const grant: InviteGrant =
    r.kind === "join"
      ? { kind: "join", role: r.role ?? "front_desk", zoneId: r.zoneId }
      : { kind: "bind", purpose: r.purpose ?? "staff", department: r.department, zoneId: r.zoneId };
  return { code: r.code, propertyId: r.propertyId, grant, expiresAt: r.expiresAt, usedAt: r.usedAt };
}

const bindingRow = z.object({
  platform: z.enum(CHANNELS),
  chatId: z.string(),
  propertyId: z.string(),
  purpose: z.enum(CHAT_PURPOSES),
  department: z.string().nullable(),
  active: z.boolean(),
  zoneId: z.string().nullable(),
});
const toBinding = (raw: unknown): ChatBindingRecord => bindingRow.parse(raw);

export async function createInvite(
  { db, newId }: Ctx,
  input: { propertyId: string; grant: InviteGrant; expiresAt: Date; createdAt: Date },
): Promise<InviteRecord> {
  const g = input.grant;
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await db.inviteCode.create({
        data: {
          id: newId(),
          code: newCode(),
          propertyId: input.propertyId,
          zoneId: g.zoneId ?? null,
          kind: g.kind,
          role: g.kind === "join" ? g.role : null,
          purpose: g.kind === "bind" ? g.purpose : null,
          department: g.kind === "bind" ? g.department : null,
          expiresAt: input.expiresAt,
          createdAt: input.createdAt,
        },
      });
      return toInvite(row);
    } catch (e) {
      // 31^8 codes: a collision is rare; a few retries make it irrelevant.
      if (!isUniqueViolation(e) || attempt >= 4) throw e;
    }
  }
}

export async function findInvite({ db }: Ctx, code: string): Promise<InviteRecord | null> {
  const found = await db.inviteCode.findUnique({ where: { code: code.trim().toUpperCase() } });
  return found ? toInvite(found) : null;
}

/** One use only: the conditional update is the check, so two people racing for a code get one. */
export async function redeemInvite(
  { db }: Ctx,
  code: string,
  kind: InviteGrant["kind"],
  personId: string,
  at: Date,
): Promise<RedeemResult> {
  const normal = code.trim().toUpperCase();
  const found = await db.inviteCode.findUnique({ where: { code: normal } });
  if (!found) return { ok: false, code: "invite_unknown" };
  const invite = toInvite(found);
  if (invite.grant.kind !== kind) return { ok: false, code: "invite_wrong_kind" };
  if (invite.usedAt) return { ok: false, code: "invite_used" };
  if (invite.expiresAt.getTime() <= at.getTime()) return { ok: false, code: "invite_expired" };
  const { count } = await db.inviteCode.updateMany({
    where: { code: normal, usedAt: null },
    data: { usedAt: at, usedById: personId },
  });
  return count === 1 ? { ok: true, invite: { ...invite, usedAt: at } } : { ok: false, code: "invite_used" };
}

export async function bindChat(
  { db, newId }: Ctx,
  binding: NewChatBinding,
  at: Date,
  outbox: readonly NewOutboxMessage[] = [],
): Promise<ChatBindingRecord> {
  const key = { platform: binding.platform, chatId: binding.chatId };
  // Bound again without a zone, a zone's group becomes the whole property's.
  const data = { propertyId: binding.propertyId, purpose: binding.purpose, department: binding.department, zoneId: binding.zoneId ?? null, active: true };
  const upsert = { where: { platform_chatId: key }, create: { id: newId(), ...key, ...data, createdAt: at }, update: data };
  if (outbox.length === 0) return toBinding(await db.chatBinding.upsert(upsert));
  return db.$transaction(async (tx) => {
    const row = await tx.chatBinding.upsert(upsert);
    await writeOutbox(tx, newId, outbox, at);
    return toBinding(row);
  }, TX_OPTIONS);
}

export async function chatBinding({ db }: Ctx, ref: ChatRef): Promise<ChatBindingRecord | null> {
  const row = await db.chatBinding.findUnique({ where: { platform_chatId: { platform: ref.platform, chatId: ref.chatId } } });
  return row ? toBinding(row) : null;
}

/** Active chats of a property for a purpose. A hot statement (hot-sql.ts): every filing reads them. */
export async function propertyChats({ sql }: Ctx, propertyId: string, purpose: ChatBindingRecord["purpose"]): Promise<ChatBindingRecord[]> {
  const rows = await sql.all(
    `SELECT "platform", "chatId", "propertyId", "purpose", "department", "active", "zoneId" FROM "ChatBinding"
     WHERE "propertyId" = ? AND "purpose" = ? AND "active" = ? ORDER BY "createdAt" ASC`,
    [propertyId, purpose, true],
  );
  // SQLite has no boolean type: 0/1 where the model API gives false/true.
  return rows.map((r) => toBinding({ ...r, active: Boolean(r.active) }));
}

export async function deactivateChat({ db }: Ctx, ref: ChatRef): Promise<void> {
  await db.chatBinding.updateMany({ where: { platform: ref.platform, chatId: ref.chatId }, data: { active: false } });
}

/** Compare-and-set on `active`, so of two `/unbind`s only one tells the property. */
export async function unbindChat({ db, newId }: Ctx, ref: ChatRef, at: Date, outbox: readonly NewOutboxMessage[]): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.chatBinding.updateMany({ where: { platform: ref.platform, chatId: ref.chatId, active: true }, data: { active: false } });
    if (count === 1) await writeOutbox(tx, newId, outbox, at);
    return count === 1;
  }, TX_OPTIONS);
}

/**
 * Was the update handled? One hot statement (hot-sql.ts): it runs for every update, and through
 * the model API it cost a fifth of a whole conversation turn.
 */
export async function processed({ sql }: Ctx, platform: ChatRef["platform"], updateId: string): Promise<boolean> {
  const rows = await sql.all(`SELECT 1 AS "x" FROM "ProcessedUpdate" WHERE "platform" = ? AND "updateId" = ?`, [platform, updateId]);
  return rows.length > 0;
}

/**
 * Records an update handled; true if this call recorded it, false if it already was. Inside an
 * owner turn's save transaction (conversations.ts) or after a staff update's effects.
 */
export async function markProcessed(sql: HotSql, platform: ChatRef["platform"], updateId: string, at: Date): Promise<boolean> {
  const inserted = await sql.run(
    `INSERT INTO "ProcessedUpdate" ("platform", "updateId", "at") VALUES (?, ?, ?) ON CONFLICT ("platform", "updateId") DO NOTHING`,
    [platform, updateId, at],
  );
  return inserted === 1;
}

/** The ChatStore port over Prisma. */
export function chatStore(ctx: Ctx): ChatStore {
  return {
    bindChat: (binding, at, outbox) => bindChat(ctx, binding, at, outbox),
    chatBinding: (ref) => chatBinding(ctx, ref),
    propertyChats: (propertyId, purpose) => propertyChats(ctx, propertyId, purpose),
    deactivateChat: (ref) => deactivateChat(ctx, ref),
    unbindChat: (ref, at, outbox) => unbindChat(ctx, ref, at, outbox),
  };
}

/** The InviteStore port over Prisma. */
export function inviteStore(ctx: Ctx): InviteStore {
  return {
    createInvite: (input) => createInvite(ctx, input),
    findInvite: (code) => findInvite(ctx, code),
    redeemInvite: (code, kind, personId, at) => redeemInvite(ctx, code, kind, personId, at),
  };
}

/** The RedeliveryGuard port over the hot statements. */
export function redeliveryGuard(ctx: Ctx): RedeliveryGuard {
  return {
    processed: (platform, updateId) => processed(ctx, platform, updateId),
    markProcessed: async (platform, updateId, at) => void (await markProcessed(ctx.sql, platform, updateId, at)),
  };
}
