import type { EventPatch, NewTicket, NewTicketEvent, TicketEventRecord, TicketRecord, TicketStore, TransitionWriteResult } from "../../core/ticket/store.js";
import { formatTicketNumber, parseTicketNumber } from "../../core/ticket/number.js";
import type { TicketStatus } from "../../core/ticket/status.js";
import { CLAIM_STATUSES } from "../../core/sla/deadlines.js";
import { isRecordMissing, isUniqueViolation, TX_OPTIONS, type Ctx, type Tx } from "./db.js";
import { jsonColumn, ticketOfRow, toStatus, toTicket, toTicketEvent } from "./rows.js";
import { writeOutbox, writeOutboxSql } from "./outbox.js";
import { insertRows, type HotSql } from "./hot-sql.js";
import { CONTACT_UPDATE, filedTicket, filingRows, OWNER_ROOM_UPSERT, TICKET_CONFLICT } from "./filing-rows.js";
import { fileInOne } from "./pg-filing.js";
import { markWithin } from "./update-mark.js";
import type { NewOutboxMessage } from "../../core/outbox.js";

type Filed = { ticket: TicketRecord; created: boolean };

/**
 * Filing as hot statements (hot-sql.ts) in one transaction: through the model API it was
 * thirteen statements in Prisma's query compiler, the costliest turn an owner has (issue 16).
 * The rows are the ones the model API wrote, dates and booleans as its adapter stores them.
 * On PostgreSQL the same rows go first as one statement (pg-filing.ts); the transaction is
 * what it falls back to, and what tells a second filing of one intake from an error.
 */
export async function fileTicket(ctx: Ctx, input: NewTicket): Promise<Filed> {
  if (ctx.sql.postgres) {
    const ticket = await fileInOne(ctx.sql, ctx.newId, input);
    if (ticket) return { ticket, created: true };
  }
  try {
    return { ticket: await ctx.sql.transaction((sql) => fileIn(sql, ctx.newId, input)), created: true };
  } catch (e) {
    if (e !== FILED_BEFORE) throw e;
  }
  // The same intake filed before, or twice at once: this transaction (and its number) was
  // rolled back, and it answers with the ticket that was filed.
  const row = await ctx.db.ticket.findUnique({ where: { intakeId: input.intakeId } });
  if (!row) throw new Error(`fileTicket: intake ${input.intakeId} was filed, and its ticket is gone`);
  return { ticket: toTicket(row), created: false };
}

/** Thrown inside the filing's transaction to roll it back: its intake has a ticket already. */
const FILED_BEFORE = new Error("intake filed before");

async function fileIn(sql: HotSql, newId: () => string, input: NewTicket): Promise<TicketRecord> {
  // The increment locks the property row until commit (PostgreSQL; SQLite has one writer), so
  // concurrent filings queue here and each gets the next number, without gaps: a filing that
  // rolls back gives its number back.
  const [property] = await sql.all(`UPDATE "Property" SET "ticketSeq" = "ticketSeq" + 1 WHERE "id" = ? RETURNING "code", "ticketSeq"`, [input.propertyId]);
  if (!property) throw new Error(`fileTicket: no property ${input.propertyId}`);
  const seq = Number(property.ticketSeq);
  const rows = filingRows(newId, input);
  const row = { ...rows.ticket, number: formatTicketNumber(String(property.code), seq), seq };
  if ((await insertRows(sql, "Ticket", [row], TICKET_CONFLICT)) === 0) throw FILED_BEFORE;
  await insertRows(sql, "TicketAttachment", rows.attachments);
  await insertRows(sql, "TicketEvent", rows.events);
  if (rows.ownerRoom) await insertRows(sql, "OwnerRoom", [rows.ownerRoom], OWNER_ROOM_UPSERT);
  if (rows.contact) await sql.run(CONTACT_UPDATE, rows.contact);
  const ticket = filedTicket(row);
  await writeOutboxSql(sql, newId, input.outbox?.(ticket), input.createdAt);
  return ticket;
}

/**
 * One ticket by a unique column, as a hot statement: every card the sender posts or edits reads
 * its ticket (src/core/staff/card.ts), and through the model API each read cost a query compile.
 */
async function ticketWhere(sql: HotSql, column: "id" | "number", value: string): Promise<TicketRecord | null> {
  const [row] = await sql.all(`SELECT * FROM "Ticket" WHERE "${column}" = ?`, [value]);
  return row ? ticketOfRow(row) : null;
}

/** Accepts the forms owners type ("hg-42", "HG0042"); anything unparseable finds nothing. */
export async function ticketByNumber({ sql }: Ctx, number: string): Promise<TicketRecord | null> {
  const normal = parseTicketNumber(number);
  return normal === null ? null : ticketWhere(sql, "number", normal);
}

export async function ticketById({ sql }: Ctx, id: string): Promise<TicketRecord | null> {
  return ticketWhere(sql, "id", id);
}

/** Oldest first: the one waiting longest is the one to pick up. */
export async function findTickets(
  { db }: Ctx,
  q: { propertyIds: readonly string[]; statuses: readonly TicketStatus[]; assigneeId?: string; replyDueBefore?: Date; seenFromZone?: string; limit: number },
): Promise<TicketRecord[]> {
  const rows = await db.ticket.findMany({
    where: {
      propertyId: { in: [...q.propertyIds] },
      status: { in: [...q.statuses] },
      ...(q.assigneeId !== undefined ? { assigneeId: q.assigneeId } : {}),
      ...(q.replyDueBefore !== undefined ? { nextReplyDueAt: { lt: q.replyDueBefore } } : {}),
      ...(q.seenFromZone !== undefined ? { OR: [{ zoneId: q.seenFromZone }, { zoneId: null }] } : {}),
    },
    orderBy: [{ createdAt: "asc" }, { seq: "asc" }],
    take: Math.max(0, q.limit),
  });
  return rows.map(toTicket);
}

/** Newest first. */
export async function ticketsOfOwner({ db }: Ctx, personId: string, limit: number): Promise<TicketRecord[]> {
  const rows = await db.ticket.findMany({
    where: { ownerId: personId },
    orderBy: [{ createdAt: "desc" }, { seq: "desc" }],
    take: Math.max(0, limit),
  });
  return rows.map(toTicket);
}

export async function ticketEvents({ db }: Ctx, ticketId: string): Promise<TicketEventRecord[]> {
  const rows = await db.ticketEvent.findMany({ where: { ticketId }, orderBy: [{ at: "asc" }, { seq: "asc" }] });
  return rows.map(toTicketEvent);
}

function eventRow(id: string, ticketId: string, seq: number, event: NewTicketEvent) {
  return {
    id,
    ticketId,
    seq,
    at: event.at,
    type: event.type,
    actorKind: event.actorKind,
    actorId: event.actorId,
    channel: event.channel,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    data: jsonColumn(event.data),
  };
}

export async function appendEvent(
  { db, newId }: Ctx,
  ticketId: string,
  event: NewTicketEvent,
  patch?: EventPatch,
  outbox?: readonly NewOutboxMessage[],
): Promise<void> {
  const fileRef = event.type === "photo_added" ? event.data["fileRef"] : undefined;
  const photo = typeof fileRef === "string" ? fileRef : null;
  try {
    await db.$transaction(async (tx) => {
      const { eventSeq } = await tx.ticket.update({
        where: { id: ticketId },
        data: {
          eventSeq: { increment: 1 },
          nextReplyDueAt: patch?.nextReplyDueAt,
          weight: patch?.weight,
          firstResponseAt: patch?.firstResponseAt,
          calledBackAt: patch?.calledBackAt,
          rating: patch?.rating,
          nextCallbackAt: patch?.nextCallbackAt,
          ...(photo !== null ? { photoCount: { increment: 1 } } : {}),
        },
        select: { eventSeq: true },
      });
      await tx.ticketEvent.create({ data: eventRow(newId(), ticketId, eventSeq, event) });
      await writeOutbox(tx, newId, outbox, event.at);
      if (photo !== null) {
        await tx.ticketAttachment.create({
          data: { id: newId(), ticketId, kind: "photo", fileRef: photo, createdAt: event.at, addedById: event.actorId },
        });
      }
      await markWithin(tx);
    }, TX_OPTIONS);
  } catch (e) {
    if (isRecordMissing(e)) throw new Error(`appendEvent: no ticket ${ticketId}`);
    throw e;
  }
}

/**
 * The UPDATE's `status = from` condition is the compare-and-set: on PostgreSQL the second of two
 * racing claims waits for the first's row lock, re-checks the condition and matches nothing.
 * The event records `from` and `to` as applied, whatever the caller put in it.
 */
export async function applyTransition(
  { db, newId }: Ctx,
  ...[ticketId, from, to, event, patch, outbox]: Parameters<TicketStore["applyTransition"]>
): Promise<TransitionWriteResult> {
  return db.$transaction(async (tx): Promise<TransitionWriteResult> => {
    const { count } = await tx.ticket.updateMany({
      where: { id: ticketId, status: from },
      data: {
        status: to,
        eventSeq: { increment: 1 },
        assigneeId: patch?.assigneeId,
        resolvedAt: patch?.resolvedAt,
        closedAt: patch?.closedAt,
        nextReplyDueAt: patch?.nextReplyDueAt,
        weight: patch?.weight,
        claimedAt: patch?.claimedAt,
        firstResponseAt: patch?.firstResponseAt,
        calledBackAt: patch?.calledBackAt,
        rating: patch?.rating,
        nextCallbackAt: patch?.nextCallbackAt,
        ...(patch?.countReopen ? { reopenCount: { increment: 1 } } : {}),
        // Back in the pool (unclaimed) or back to be done (reopened): the claim clock starts again.
        ...(CLAIM_STATUSES.includes(to) && !CLAIM_STATUSES.includes(from) ? { awaitingClaimSince: event.at } : {}),
      },
    });
    if (count === 0) {
      const current = await tx.ticket.findUnique({ where: { id: ticketId }, select: { status: true } });
      if (!current) return { ok: false, code: "not_found" };
      return { ok: false, code: "stale", current: toStatus(current.status) };
    }
    const row = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    await tx.ticketEvent.create({
      data: eventRow(newId(), ticketId, row.eventSeq, { ...event, fromStatus: from, toStatus: to }),
    });
    const ticket = toTicket(row);
    await writeOutbox(tx, newId, outbox?.(ticket), event.at);
    await markWithin(tx);
    return { ok: true, ticket };
  }, TX_OPTIONS);
}

async function ticketPhotos({ db }: Ctx, ticketId: string): Promise<string[]> {
  const rows = await db.ticketAttachment.findMany({ where: { ticketId, kind: "photo" }, orderBy: { createdAt: "asc" }, select: { fileRef: true } });
  return rows.map((r) => r.fileRef);
}

/** The TicketStore port over Prisma. */
export function ticketStore(ctx: Ctx): TicketStore {
  return {
    fileTicket: (input) => fileTicket(ctx, input),
    ticketByNumber: (number) => ticketByNumber(ctx, number),
    ticketById: (id) => ticketById(ctx, id),
    ticketsOfOwner: (personId, limit) => ticketsOfOwner(ctx, personId, limit),
    findTickets: (query) => findTickets(ctx, query),
    ticketEvents: (ticketId) => ticketEvents(ctx, ticketId),
    ticketPhotos: (ticketId) => ticketPhotos(ctx, ticketId),
    appendEvent: (ticketId, event, patch, outbox) => appendEvent(ctx, ticketId, event, patch, outbox),
    applyTransition: (ticketId, from, to, event, patch, outbox) => applyTransition(ctx, ticketId, from, to, event, patch, outbox),
  };
}
