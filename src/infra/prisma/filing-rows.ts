/**
 * The rows a filing writes, built once for both ways of writing them: the transaction
 * (tickets.ts, `fileIn`) and PostgreSQL's one statement (pg-filing.ts).
 */
import type { NewTicket, TicketRecord } from "../../core/ticket/store.js";
import type { Row } from "./hot-sql.js";
import { jsonColumn, toTicket } from "./rows.js";

/** A second filing of one intake writes nothing: fileTicket answers with the first one's ticket. */
export const TICKET_CONFLICT = `ON CONFLICT ("intakeId") DO NOTHING`;
export const OWNER_ROOM_UPSERT = `ON CONFLICT ("personId", "propertyId", "roomLabel") DO UPDATE SET "roomId" = excluded."roomId", "zoneId" = excluded."zoneId", "lastUsedAt" = excluded."lastUsedAt"`;
/** The contact the owner gave is kept on the person; one given as null leaves theirs as it was. */
export const CONTACT_UPDATE = `UPDATE "Person" SET "name" = COALESCE(?, "name"), "phone" = COALESCE(?, "phone"), "updatedAt" = ? WHERE "id" = ?`;

/** Everything a filing writes but the property's counter (the ticket's `number` and `seq`, given as placeholders). */
export interface FilingRows {
  readonly ticket: Row;
  readonly attachments: Row[];
  readonly events: Row[];
  /** The room, remembered for the owner's next matter; null when the matter named none. */
  readonly ownerRoom: Row | null;
  /** CONTACT_UPDATE's parameters, or null when the owner gave neither name nor phone. */
  readonly contact: unknown[] | null;
}

/**
 * The rows the model API wrote when filing went through it, dates and booleans as its adapter
 * stores them: shared by the transaction here and PostgreSQL's one statement (pg-filing.ts).
 */
export function filingRows(newId: () => string, input: NewTicket): FilingRows {
  const at = input.createdAt;
  const confirmation = jsonColumn(input.confirmation);
  const ticketId = newId();
  const ticket = {
    id: ticketId,
    number: "",
    propertyId: input.propertyId,
    seq: 0,
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
  const attachments = input.photos.map((fileRef) => ({ id: newId(), ticketId, kind: "photo", fileRef, createdAt: at, addedById: input.ownerId }));
  // A matter recorded at the front desk is the scribe's act, read back and confirmed by them (issue 12).
  const by = input.scribeId ? { actorKind: "staff", actorId: input.scribeId } : { actorKind: "owner", actorId: input.ownerId };
  const event = (seq: number, type: string, toStatus: string | null, data: string) => ({ id: newId(), ticketId, seq, at, type, ...by, channel: input.channel, fromStatus: null, toStatus, data });
  const ownerRoom =
    input.roomLabel === null
      ? null
      : { id: newId(), personId: input.ownerId, propertyId: input.propertyId, roomLabel: input.roomLabel, roomId: input.roomId, zoneId: input.zoneId, lastUsedAt: at };
  return {
    ticket,
    attachments,
    events: [event(1, "created", "new", "{}"), event(2, "confirmed", null, confirmation)],
    ownerRoom,
    contact: input.contactName !== null || input.contactPhone !== null ? [input.contactName, input.contactPhone, new Date(), input.ownerId] : null,
  };
}

/** The record of a ticket just filed from its row: what a read of it would give. */
export function filedTicket(row: Row): TicketRecord {
  return toTicket({ ...row, assigneeId: null, resolvedAt: null, closedAt: null, firstResponseAt: null, claimedAt: null, calledBackAt: null, rating: null, reopenCount: 0, nextCallbackAt: null });
}
