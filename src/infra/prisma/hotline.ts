/** The HotlineStore port over Prisma (seed 002; issue 14): company roles, chats, codes and case files. */
import { randomInt } from "node:crypto";
import { z } from "zod";
import { CHANNELS, type ChatRef } from "../../core/messages.js";
import { COMPANY_ROLES, HOTLINE_EVENT_TYPES, HOTLINE_STATUSES, caseNumber, type HotlineCaseRecord, type HotlineEventRecord } from "../../core/hotline/case.js";
import type { CompanyGrant, HotlineStore } from "../../core/hotline/store.js";
import { isUniqueViolation, TX_OPTIONS, type Ctx } from "./db.js";
import { writeOutbox } from "./outbox.js";
import { toPerson, toTicket } from "./rows.js";

/** As the property codes: no 0/O, 1/I/L, since codes are read aloud and typed on phones. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const newCode = (): string => `HL-${Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("")}`;

const caseRow = z.object({
  id: z.string(),
  number: z.string(),
  propertyId: z.string(),
  tickets: z.string().transform((s) => z.array(z.string()).parse(JSON.parse(s))),
  ownerId: z.string().nullable(),
  roomLabel: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  matter: z.string(),
  source: z.enum(["chat", "phone"]),
  major: z.boolean(),
  status: z.enum(HOTLINE_STATUSES),
  recordedById: z.string().nullable(),
  measures: z.string().nullable(),
  departmentHeadId: z.string().nullable(),
  measuresDueAt: z.date(),
  measuresAt: z.date().nullable(),
  createdAt: z.date(),
  closedAt: z.date().nullable(),
});
const toCase = (row: unknown): HotlineCaseRecord => caseRow.parse(row);

const eventRow = z.object({
  seq: z.number(),
  at: z.date(),
  type: z.enum(HOTLINE_EVENT_TYPES),
  actorId: z.string().nullable(),
  data: z.string().transform((s) => z.record(z.string(), z.unknown()).parse(JSON.parse(s))),
});
const toEvent = (row: unknown): HotlineEventRecord => eventRow.parse(row);

const grantOf = (r: { kind: string; role: string | null }): CompanyGrant =>
  r.kind === "join" ? { kind: "join", role: z.enum(COMPANY_ROLES).parse(r.role) } : { kind: "bind" };

export function hotlineStore({ db, newId }: Ctx): HotlineStore {
  return {
    async companyRoles(personId) {
      return (await db.companyRole.findMany({ where: { personId }, orderBy: { createdAt: "asc" } })).map((r) => z.enum(COMPANY_ROLES).parse(r.role));
    },
    async companyPeople(role) {
      const ids = (await db.companyRole.findMany({ where: { role }, select: { personId: true } })).map((r) => r.personId);
      return (await db.person.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: "asc" } })).map(toPerson);
    },
    async hotlineChats() {
      const rows = await db.companyChat.findMany({ where: { purpose: "hotline", active: true }, orderBy: { createdAt: "asc" } });
      return rows.map((r): ChatRef => ({ platform: z.enum(CHANNELS).parse(r.platform), chatId: r.chatId }));
    },
    async isCompanyChat(ref) {
      return (await db.companyChat.count({ where: { platform: ref.platform, chatId: ref.chatId, active: true } })) > 0;
    },
    async createCompanyInvite(grant, expiresAt, createdAt) {
      const code = newCode();
      await db.companyInvite.create({ data: { code, kind: grant.kind, role: grant.kind === "join" ? grant.role : null, expiresAt, createdAt } });
      return { code, grant, expiresAt };
    },
    async redeemCompanyInvite(code, kind, personId, chat, at) {
      const normal = code.trim().toUpperCase();
      return db.$transaction(async (tx) => {
        const found = await tx.companyInvite.findUnique({ where: { code: normal } });
        if (!found) return { ok: false, code: "invite_unknown" } as const;
        if (found.kind !== kind) return { ok: false, code: "invite_wrong_kind" } as const;
        if (found.usedAt) return { ok: false, code: "invite_used" } as const;
        if (found.expiresAt.getTime() <= at.getTime()) return { ok: false, code: "invite_expired" } as const;
        // The conditional update is the check: of two people racing for a code, one gets it.
        const { count } = await tx.companyInvite.updateMany({ where: { code: normal, usedAt: null }, data: { usedAt: at, usedById: personId } });
        if (count !== 1) return { ok: false, code: "invite_used" } as const;
        const grant = grantOf(found);
        if (grant.kind === "join") {
          await tx.companyRole.upsert({ where: { personId_role: { personId, role: grant.role } }, create: { id: newId(), personId, role: grant.role, createdAt: at }, update: {} });
        } else if (chat) {
          const key = { platform_chatId: { platform: chat.platform, chatId: chat.chatId } };
          await tx.companyChat.upsert({ where: key, create: { platform: chat.platform, chatId: chat.chatId, purpose: "hotline", createdAt: at }, update: { active: true, purpose: "hotline" } });
        }
        return { ok: true, grant } as const;
      }, TX_OPTIONS);
    },
    async fileCase(input, outbox) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.$transaction(async (tx) => {
            // Two first cases of a year both create the counter on PostgreSQL: one fails, and is tried again.
            const { seq } = await tx.hotlineCounter.upsert({ where: { year: input.year }, create: { year: input.year, seq: 1 }, update: { seq: { increment: 1 } } });
            const { tickets, ...rest } = input;
            const row = await tx.hotlineCase.create({
              data: { ...rest, number: caseNumber(input.year, seq), seq, tickets: JSON.stringify(tickets), status: "awaiting_measures", eventSeq: 1 },
            });
            const created = toCase(row);
            await tx.hotlineEvent.create({ data: { id: newId(), caseId: created.id, seq: 1, at: input.createdAt, type: "filed", actorId: input.recordedById, data: JSON.stringify({ source: input.source, major: input.major }) } });
            await writeOutbox(tx, newId, outbox(created), input.createdAt);
            return created;
          }, TX_OPTIONS);
        } catch (e) {
          if (!isUniqueViolation(e) || attempt >= 3) throw e;
        }
      }
    },
    async caseByNumber(number) {
      const row = await db.hotlineCase.findUnique({ where: { number } });
      return row ? toCase(row) : null;
    },
    async cases(f) {
      const rows = await db.hotlineCase.findMany({
        where: {
          status: { in: [...f.statuses] },
          ...(f.propertyIds ? { propertyId: { in: [...f.propertyIds] } } : {}),
          ...(f.departmentHeadId ? { departmentHeadId: f.departmentHeadId } : {}),
        },
        orderBy: { createdAt: "desc" },
        take: f.limit,
      });
      return rows.map(toCase);
    },
    async setMeasures(caseId, input, outbox) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.hotlineCase.updateMany({
          where: { id: caseId, status: "awaiting_measures" },
          data: { status: "in_hand", measures: input.measures, departmentHeadId: input.departmentHeadId, measuresAt: input.at, eventSeq: { increment: 1 } },
        });
        if (count !== 1) return false;
        const { eventSeq } = await tx.hotlineCase.findUniqueOrThrow({ where: { id: caseId }, select: { eventSeq: true } });
        await tx.hotlineEvent.create({
          data: { id: newId(), caseId, seq: eventSeq, at: input.at, type: "measures", actorId: input.actorId, data: JSON.stringify({ measures: input.measures, departmentHeadId: input.departmentHeadId }) },
        });
        await writeOutbox(tx, newId, outbox, input.at);
        return true;
      }, TX_OPTIONS);
    },
    async recordEvent(caseId, event, move, outbox) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.hotlineCase.updateMany({
          where: { id: caseId, ...(move ? { status: { in: [...move.from] } } : {}) },
          data: { eventSeq: { increment: 1 }, ...(move?.to ? { status: move.to, ...(move.to === "closed" ? { closedAt: event.at } : {}) } : {}) },
        });
        if (count !== 1) return false;
        const { eventSeq } = await tx.hotlineCase.findUniqueOrThrow({ where: { id: caseId }, select: { eventSeq: true } });
        await tx.hotlineEvent.create({ data: { id: newId(), caseId, seq: eventSeq, at: event.at, type: event.type, actorId: event.actorId, data: JSON.stringify(event.data) } });
        await writeOutbox(tx, newId, outbox, event.at);
        return true;
      }, TX_OPTIONS);
    },
    async callerTickets(match, limit) {
      const or = [
        ...(match.roomLabel ? [{ roomLabel: match.roomLabel }] : []),
        ...(match.phone ? [{ contactPhone: match.phone }, { owner: { phone: match.phone } }] : []),
      ];
      if (or.length === 0) return [];
      // A patrol finding has no owner on the line.
      const rows = await db.ticket.findMany({ where: { OR: or, source: { not: "patrol" } }, orderBy: [{ createdAt: "desc" }, { seq: "desc" }], take: limit });
      return rows.map(toTicket);
    },
    async casesFiled(from, to) {
      return (await db.hotlineCase.findMany({ where: { createdAt: { gte: from, lt: to } }, orderBy: { createdAt: "asc" } })).map(toCase);
    },
    async caseEvents(caseId) {
      return (await db.hotlineEvent.findMany({ where: { caseId }, orderBy: { seq: "asc" } })).map(toEvent);
    },
  };
}
