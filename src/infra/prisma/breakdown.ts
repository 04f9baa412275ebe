/**
 * The Breakdown of src/core/reports/breakdown.ts over Prisma: one grouped count of the window's
 * tickets by kind, category and source, the same statement on SQLite and PostgreSQL.
 */
import { z } from "zod";
import { breakdownOf, type Breakdown } from "../../core/reports/breakdown.js";
import { CATEGORIES, TICKET_KINDS, TICKET_SOURCES } from "../../core/ticket/kinds.js";
import type { Ctx } from "./db.js";

const Group = z.object({ kind: z.enum(TICKET_KINDS), category: z.enum(CATEGORIES), source: z.enum(TICKET_SOURCES), _count: z.object({ _all: z.number() }) });

export async function breakdown({ db }: Pick<Ctx, "db">, propertyId: string, from: Date, to: Date): Promise<Breakdown> {
  const groups = await db.ticket.groupBy({
    by: ["kind", "category", "source"],
    where: { propertyId, createdAt: { gte: from, lt: to } },
    _count: { _all: true },
  });
  return breakdownOf(groups.map((g) => Group.parse(g)).map((g) => ({ kind: g.kind, category: g.category, source: g.source, count: g._count._all })));
}
