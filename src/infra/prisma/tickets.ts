import type { EventPatch, NewTicket, NewTicketEvent, TicketEventRecord, TicketRecord, TicketStore, TransitionWriteResult } from "../../core/ticket/store.js";
import { formatTicketNumber, parseTicketNumber } from "../../core/ticket/number.js";
import type { TicketStatus } from "../../core/ticket/status.js";
import { CLAIM_STATUSES } from "../../core/sla/deadlines.js";
import { isRecordMissing, isUniqueViolation, TX_OPTIONS, type Ctx, type Tx } from "./db.js";
import { jsonColumn, toStatus, toTicket, toTicketEvent } from "./rows.js";
import { writeOutbox } from "./outbox.js";
import { markWithin } from "./update-mark.js";
import type { NewOutboxMessage } from "../../core/outbox.js";

type Filed = { ticket: TicketRecord; created: boolean };

export async function fileTicket(ctx: Ctx, input: NewTicket): Promise<Filed> {
  try {
    return await ctx.db.$transaction((tx) => fileIn(tx, ctx.newId, input), TX_OPTIONS);
  } catch (e) {
    // The same intake filed twice at once: the loser's whole transaction (and its number) is
    // rolled back, and it answers with the winner's ticket.
    if (isUniqueViolation(e)) {
      const row = await ctx.db.ticket.findUnique({ where: { intakeId: input.intakeId } });
      if (row) return { ticket: toTicket(row), created: false };
    }
    throw e;
  }
}

async function fileIn(tx: Tx, newId: () => string, input: NewTicket): Promise<Filed> {
  const filed = await tx.ticket.findUnique({ where: { intakeId: input.intakeId } });
  if (filed) return { ticket: toTicket(filed), created: false };

  // The increment locks the property row until commit, so concurrent filings queue here and
  // each gets the next number.
  const property = await tx.property
    .update({
      where: { id: input.propertyId },
      data: { ticketSeq: { increment: 1 } },
      select: { code: true, ticketSeq: true },
    })
    .catch((e: unknown) => {
      throw isRecordMissing(e) ? new Error(`fileTicket: no property ${input.propertyId}`) : e;
    });
  const seq = property.ticketSeq;
  const at = input.createdAt;
  const confirmation = jsonColumn(input.confirmation);
  const row = await tx.ticket.create({
    data: {
      id: newId(),
      number: formatTicketNumber(property.code, seq),
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
    },
  });
  if (input.photos.length) {
    await tx.ticketAttachment.createMany({
      data: input.photos.map((fileRef) => ({
        id: newId(),
        ticketId: row.id,
        kind: "photo",
        fileRef,
        createdAt: at,
        addedById: input.ownerId,
      })),
    });
  }
  // A matter recorded at the front desk is the scribe's act, read back and confirmed by them (issue 12).
  const byOwner = input.scribeId
    ? { ticketId: row.id, at, actorKind: "staff", actorId: input.scribeId, channel: input.channel }
    : { ticketId: row.id, at, actorKind: "owner", actorId: input.ownerId, channel: input.channel };
  await tx.ticketEvent.createMany({
    data: [
      { id: newId(), ...byOwner, seq: 1, type: "created", fromStatus: null, toStatus: "new", data: "{}" },
      { id: newId(), ...byOwner, seq: 2, type: "confirmed", fromStatus: null, toStatus: null, data: confirmation },
    ],
  });
  if (input.roomLabel !== null) {
    const key = { personId: input.ownerId, propertyId: input.propertyId, roomLabel: input.roomLabel };
    const room = { roomId: input.roomId, zoneId: input.zoneId, lastUsedAt: at };
    await tx.ownerRoom.upsert({
      where: { personId_propertyId_roomLabel: key },
      create: { id: newId(), ...key, ...room },
      update: room,
    });
  }
  const contact: { name?: string; phone?: string } = {};
  if (input.contactName !== null) contact.name = input.contactName;
  if (input.contactPhone !== null) contact.phone = input.contactPhone;
  if (contact.name !== undefined || contact.phone !== undefined) {
    await tx.person.update({ where: { id: input.ownerId }, data: contact });
  }
  const ticket = toTicket(row);
  await writeOutbox(tx, newId, input.outbox?.(ticket), input.createdAt);
  return { ticket, created: true };
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
