import type { EventPatch, NewTicket, NewTicketEvent, TicketEventRecord, TicketRecord, TicketStore, TransitionWriteResult } from "../../core/ticket/store.js";
import { formatTicketNumber, parseTicketNumber } from "../../core/ticket/number.js";
import type { TicketStatus } from "../../core/ticket/status.js";
import { CLAIM_STATUSES } from "../../core/sla/deadlines.js";
import { isRecordMissing, isUniqueViolation, TX_OPTIONS, type Ctx, type Tx } from "./db.js";
import { jsonColumn, toStatus, toTicket, toTicketEvent } from "./rows.js";
import { writeOutbox, writeOutboxSql } from "./outbox.js";
import { insertRows, type HotSql } from "./hot-sql.js";
import { markWithin } from "./update-mark.js";
import type { NewOutboxMessage } from "../../core/outbox.js";

type Filed = { ticket: TicketRecord; created: boolean };

/**
 * Filing as hot statements (hot-sql.ts) in one transaction: through the model API it was
 * thirteen statements in Prisma's query compiler, the costliest turn an owner has (issue 16).
 * The rows are the ones the model API wrote, dates and booleans as its adapter stores them.
 */
export async function fileTicket(ctx: Ctx, input: NewTicket): Promise<Filed> {
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
  const at = input.createdAt;
  const confirmation = jsonColumn(input.confirmation);
  const row = {
    id: newId(),
    number: formatTicketNumber(String(property.code), seq),
    propertyId: input.propertyId,
    seq,
    intakeId: input.intakeId,
    zoneId: input.zoneId,
    roomId: input.roomId,
    kind: input.kind,
    category: input.category,
    weight: input.weight,
    majorReasons: jsonColumn(input.majorReasons),
    status: "new",
    ownerId: input.ownerId,
    roomLabel: input.roomLabel,
    contactName: input.contactName,
    contactPhone: input.contactPhone,
    location: input.location,
    place: input.place,
    description: input.description,
    since: input.since,
    visitTime: input.visitTime,
    channel: input.channel,
    locale: input.locale,
    photoCount: input.photos.length,
    eventSeq: 2,
    confirmation,
    createdAt: at,
    // Filing happens when the owner confirms the read-back, so both moments are one.
    confirmedAt: at,
    nextReplyDueAt: input.nextReplyDueAt,
    firstReplyDueAt: input.nextReplyDueAt,
    awaitingClaimSince: at,
    source: input.source ?? "chat",
    summary: input.summary ?? null,
    vip: !!input.vip,
    vipNote: input.vip?.note ?? null,
    // What the model API stamps on every write of the row: the wall clock.
    updatedAt: new Date(),
  };
  if ((await insertRows(sql, "Ticket", [row], `ON CONFLICT ("intakeId") DO NOTHING`)) === 0) throw FILED_BEFORE;
  const ticketId = row.id;
  await insertRows(
    sql,
    "TicketAttachment",
    input.photos.map((fileRef) => ({ id: newId(), ticketId, kind: "photo", fileRef, createdAt: at, addedById: input.ownerId })),
  );
  // A matter recorded at the front desk is the scribe's act, read back and confirmed by them (issue 12).
  const by = input.scribeId ? { actorKind: "staff", actorId: input.scribeId } : { actorKind: "owner", actorId: input.ownerId };
  const event = (seq: number, type: string, toStatus: string | null, data: string) => ({ id: newId(), ticketId, seq, at, type, ...by, channel: input.channel, fromStatus: null, toStatus, data });
  await insertRows(sql, "TicketEvent", [event(1, "created", "new", "{}"), event(2, "confirmed", null, confirmation)]);
  if (input.roomLabel !== null) {
    await insertRows(
      sql,
      "OwnerRoom",
      [{ id: newId(), personId: input.ownerId, propertyId: input.propertyId, roomLabel: input.roomLabel, roomId: input.roomId, zoneId: input.zoneId, lastUsedAt: at }],
      `ON CONFLICT ("personId", "propertyId", "roomLabel") DO UPDATE SET "roomId" = excluded."roomId", "zoneId" = excluded."zoneId", "lastUsedAt" = excluded."lastUsedAt"`,
    );
  }
  // The contact the owner gave is kept on the person; one given as null leaves theirs as it was.
  if (input.contactName !== null || input.contactPhone !== null) {
    await sql.run(`UPDATE "Person" SET "name" = COALESCE(?, "name"), "phone" = COALESCE(?, "phone"), "updatedAt" = ? WHERE "id" = ?`, [
      input.contactName,
      input.contactPhone,
      new Date(),
      input.ownerId,
    ]);
  }
  const ticket = toTicket({ ...row, assigneeId: null, resolvedAt: null, closedAt: null, firstResponseAt: null, claimedAt: null, calledBackAt: null, rating: null, reopenCount: 0, nextCallbackAt: null });
  await writeOutboxSql(sql, newId, input.outbox?.(ticket), at);
  return ticket;
}

/** Accepts the forms owners type ("hg-42", "HG0042"); anything unparseable finds nothing. */
export async function ticketByNumber({ db }: Ctx, number: string): Promise<TicketRecord | null> {
  const normal = parseTicketNumber(number);
  if (normal === null) return null;
  const row = await db.ticket.findUnique({ where: { number: normal } });
  return row ? toTicket(row) : null;
}

export async function ticketById({ db }: Ctx, id: string): Promise<TicketRecord | null> {
  const row = await db.ticket.findUnique({ where: { id } });
  return row ? toTicket(row) : null;
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
