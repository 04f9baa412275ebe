/**
 * The SlaStore port over Prisma: SLA policy overrides per property (one row, JSON text), and the
 * SLA jobs' reads, each on an index of Ticket: (propertyId, status) for the unclaimed and the
 * open complaints, (status, nextReplyDueAt) for passed promises, (propertyId, resolvedAt) for
 * callbacks.
 */
import { z } from "zod";
import { CLAIM_STATUSES, REPLY_STATUSES, UNRESOLVED_STATUSES } from "../../core/sla/deadlines.js";
import { applyOverrides, type SlaOverrides } from "../../core/sla/policy.js";
import type { SlaStore } from "../../core/sla/store.js";
import type { TicketRecord } from "../../core/ticket/store.js";
import type { Ctx } from "./db.js";
import { jsonColumn, toTicket } from "./rows.js";

const overridesShape = z.record(z.string(), z.string());

function readOverrides(propertyId: string, text: string): SlaOverrides {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`Unreadable SlaPolicy row ${propertyId}: not valid JSON`);
  }
  const parsed = overridesShape.safeParse(value);
  if (!parsed.success) throw new Error(`Unreadable SlaPolicy row ${propertyId}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const oldestFirst = [{ createdAt: "asc" as const }, { seq: "asc" as const }];

export function createSlaStore({ db, sql }: Ctx): SlaStore {
  // A hot statement (hot-sql.ts): every filing reads the policy for the reply time it promises.
  async function overridesOf(propertyId: string): Promise<SlaOverrides> {
    const [row] = await sql.all(`SELECT "overrides" FROM "SlaPolicy" WHERE "propertyId" = ?`, [propertyId]);
    return row ? readOverrides(propertyId, String(row.overrides)) : {};
  }

  return {
    overridesOf,
    async policyOf(propertyId) {
      const applied = applyOverrides(await overridesOf(propertyId));
      if (applied.ok) return applied.policy;
      throw new Error(`SLA policy of property ${propertyId} has bad overrides: ${applied.errors.map((e) => e.key).join(", ")}`);
    },
    async setOverrides(propertyId, overrides, at) {
      const data = { overrides: jsonColumn(overrides), updatedAt: at };
      await db.slaPolicy.upsert({ where: { propertyId }, create: { propertyId, ...data }, update: data });
    },
    async sweepCandidates(q) {
      const take = Math.max(0, q.limit);
      const [unclaimed, promised, complaints] = await Promise.all([
        db.ticket.findMany({
          where: {
            propertyId: q.propertyId,
            status: { in: [...CLAIM_STATUSES] },
            OR: [{ awaitingClaimSince: { lte: q.awaitingClaimBefore } }, { awaitingClaimSince: null, createdAt: { lte: q.awaitingClaimBefore } }],
          },
          orderBy: [{ awaitingClaimSince: "asc" }, { seq: "asc" }],
          take,
        }),
        db.ticket.findMany({
          where: { propertyId: q.propertyId, status: { in: [...REPLY_STATUSES] }, nextReplyDueAt: { lte: q.replyDueBefore } },
          orderBy: [{ nextReplyDueAt: "asc" }, { seq: "asc" }],
          take,
        }),
        db.ticket.findMany({
          where: { propertyId: q.propertyId, status: { in: [...UNRESOLVED_STATUSES] }, kind: "complaint", createdAt: { lte: q.complaintsFiledBefore } },
          orderBy: oldestFirst,
          take,
        }),
      ]);
      const byId = new Map<string, TicketRecord>();
      for (const row of [...unclaimed, ...promised, ...complaints]) if (!byId.has(row.id)) byId.set(row.id, toTicket(row));
      return [...byId.values()];
    },
    async awaitingCallback(propertyId, resolvedBefore, limit) {
      const rows = await db.ticket.findMany({
        where: { propertyId, status: "resolved", resolvedAt: { lte: resolvedBefore } },
        orderBy: [{ resolvedAt: "asc" }, { seq: "asc" }],
        take: Math.max(0, limit),
      });
      return rows.map(toTicket);
    },
  };
}
