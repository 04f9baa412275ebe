/**
 * The WrittenComplaintStore of src/core/reports/written.ts over Prisma: the property's open tickets
 * of weight `written` (an index range on Ticket (propertyId, status)) joined in memory to their
 * entries in 收文登记簿, on SQLite and PostgreSQL alike.
 */
import { registerNumber } from "../../core/frontdesk/register.js";
import type { WrittenComplaint } from "../../core/reports/written.js";
import { z } from "zod";
import { OPEN_STATUSES, TICKET_STATUSES } from "../../core/ticket/status.js";
import type { Ctx } from "./db.js";

export async function openWrittenComplaints({ db }: Pick<Ctx, "db">, propertyId: string, to: Date): Promise<WrittenComplaint[]> {
  const tickets = await db.ticket.findMany({
    where: { propertyId, weight: "written", status: { in: [...OPEN_STATUSES] }, createdAt: { lt: to } },
    select: { id: true, number: true, roomLabel: true, status: true, nextReplyDueAt: true },
    orderBy: [{ createdAt: "asc" }, { seq: "asc" }],
  });
  if (tickets.length === 0) return [];
  const [entries, property] = await Promise.all([
    db.letterEntry.findMany({ where: { ticketId: { in: tickets.map((x) => x.id) } }, select: { ticketId: true, year: true, seq: true, sender: true } }),
    db.property.findUnique({ where: { id: propertyId }, select: { code: true } }),
  ]);
  const entryOf = new Map(entries.map((e) => [e.ticketId, e]));
  const list = tickets.map((x): WrittenComplaint => {
    const entry = entryOf.get(x.id);
    return {
      ticketNumber: x.number,
      registerNumber: entry ? registerNumber(property?.code ?? "?", entry.year, entry.seq) : null,
      sender: entry?.sender ?? null,
      roomLabel: x.roomLabel,
      status: z.enum(TICKET_STATUSES).parse(x.status),
      nextReplyDueAt: x.nextReplyDueAt,
    };
  });
  // Soonest due first; the sort is stable, so equal ones and those without a deadline keep filing order.
  const due = (x: WrittenComplaint) => x.nextReplyDueAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
  return list.sort((a, b) => due(a) - due(b));
}
