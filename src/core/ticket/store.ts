/**
 * Tickets (工单) and their append-only history. The TicketStore port is implemented in
 * src/infra/prisma/tickets.ts; the status machine is ./status.ts, the staff actions ./workflow.ts.
 */
import type { Channel } from "../messages.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { Locale } from "../text.js";
import type { VipMark } from "../property/store.js";
import type { Category, Location, MajorReason, TicketKind, TicketSource, TicketWeight } from "./kinds.js";
import type { Rating } from "./rating.js";
import type { ActorKind, TicketStatus } from "./status.js";

export interface TicketRecord {
  readonly id: string;
  readonly number: string;
  readonly propertyId: string;
  readonly zoneId: string | null;
  readonly kind: TicketKind;
  readonly category: Category;
  readonly weight: TicketWeight;
  readonly majorReasons: readonly MajorReason[];
  readonly status: TicketStatus;
  readonly ownerId: string;
  readonly roomLabel: string | null;
  readonly contactName: string | null;
  readonly contactPhone: string | null;
  readonly location: Location | null;
  readonly place: string | null;
  readonly description: string;
  readonly since: string | null;
  readonly visitTime: string | null;
  readonly channel: Channel;
  readonly locale: Locale;
  readonly photoCount: number;
  readonly assigneeId: string | null;
  readonly createdAt: Date;
  readonly confirmedAt: Date | null;
  /** 跟清楚: when the owner was promised the next reply. */
  readonly nextReplyDueAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly closedAt: Date | null;
  /** The first reply promised at filing; the feedback-on-time rate measures against it. */
  readonly firstReplyDueAt: Date | null;
  /** When the owner first heard from staff about the handling: a reply, a promise or the result. */
  readonly firstResponseAt: Date | null;
  /** When the ticket was first claimed (受理). */
  readonly claimedAt: Date | null;
  /** The last callback (回访) or owner rating, and its rating. */
  readonly calledBackAt: Date | null;
  readonly rating: Rating | null;
  /** Times the ticket was reopened. */
  readonly reopenCount: number;
  /**
   * When it last began to wait for someone to claim it (受理): filed, unclaimed or reopened. The
   * store sets it on each of those; null only on rows older than the column.
   */
  readonly awaitingClaimSince: Date | null;
  /** How the matter reached the desk: chat, or recorded by staff (phone, visit, letter, patrol). */
  readonly source: TicketSource;
  /** The model's one line on the matter in the staff's language (issue 15); null without a model. */
  readonly summary: string | null;
  /**
   * 重要业主 (issue 13 §2): the room's VIP flag and note as they were at filing, so a later roster
   * change does not rewrite what the desk knew. Staff only: never in an owner's text.
   */
  readonly vip: boolean;
  readonly vipNote: string | null;
  /** 回访: the next callback promised after a dissatisfied one (seed 000 §2(3)A c); null: the policy's time. */
  readonly nextCallbackAt: Date | null;
}

export const TICKET_EVENT_TYPES = [
  "created",
  "confirmed",
  "transition",
  "info_added",
  "photo_added",
  "note",
  "reply_promised",
  "reply",
  "rated",
  "escalated",
  "transferred",
  "callback",
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/** One line of a ticket's append-only history: who did what, when, through which channel. */
export interface TicketEventRecord {
  readonly id: string;
  readonly ticketId: string;
  readonly at: Date;
  readonly type: TicketEventType;
  readonly actorKind: ActorKind;
  readonly actorId: string | null;
  readonly channel: Channel;
  readonly fromStatus: TicketStatus | null;
  readonly toStatus: TicketStatus | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export type NewTicketEvent = Omit<TicketEventRecord, "id" | "ticketId">;

/** What the intake conversation files; `intakeId` makes filing idempotent across restarts. */
export interface NewTicket {
  intakeId: string;
  propertyId: string;
  zoneId: string | null;
  roomId: string | null;
  kind: TicketKind;
  category: Category;
  weight: TicketWeight;
  majorReasons: MajorReason[];
  ownerId: string;
  roomLabel: string | null;
  contactName: string | null;
  contactPhone: string | null;
  location: Location | null;
  place: string | null;
  description: string;
  since: string | null;
  visitTime: string | null;
  photos: string[];
  channel: Channel;
  locale: Locale;
  createdAt: Date;
  nextReplyDueAt: Date | null;
  /** The record as read back to the owner and confirmed by them: 记清楚's signature. */
  confirmation: Record<string, unknown>;
  /** Messages the filing causes (the staff card...), written in the same transaction. */
  outbox?: (ticket: TicketRecord) => readonly NewOutboxMessage[];
  /** Recorded at the front desk (issue 12); absent, the owner filed it in chat. */
  source?: TicketSource;
  /** The model's one-line summary in the staff's language (issue 15), when it gave one. */
  summary?: string | null;
  /** The staff member who recorded it as scribe: the filing events are theirs, not the owner's. */
  scribeId?: string;
  /** The room's VIP mark at filing (PropertyStore.findRoom); absent, not VIP. */
  vip?: VipMark | null;
}

/** Fields of a ticket that move with its events. */
export interface TicketPatch {
  assigneeId?: string | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  /** 跟清楚: the promised next reply; set by a promise, cleared by nothing but a new promise. */
  nextReplyDueAt?: Date | null;
  /** Raised to major by an escalation (重大投诉); never lowered by a patch. */
  weight?: TicketWeight;
  claimedAt?: Date;
  firstResponseAt?: Date;
  calledBackAt?: Date;
  rating?: Rating;
  /** Count one more reopening. */
  countReopen?: true;
  /** Set by a dissatisfied callback with `next`, cleared (null) by every other callback or rating. */
  nextCallbackAt?: Date | null;
}

/** What an event may change on its ticket without a status move. */
export type EventPatch = Pick<TicketPatch, "nextReplyDueAt" | "weight" | "firstResponseAt" | "calledBackAt" | "rating" | "nextCallbackAt">;

export type TransitionWriteResult =
  | { ok: true; ticket: TicketRecord }
  | { ok: false; code: "stale"; current: TicketStatus }
  | { ok: false; code: "not_found" };

export interface TicketStore {
  /**
   * In one transaction: allocate the property's next number, store the ticket, its photos, its
   * `created` and `confirmed` events, remember the owner's room and contact details. Filing the
   * same `intakeId` again returns the ticket already filed with `created: false`.
   */
  fileTicket(input: NewTicket): Promise<{ ticket: TicketRecord; created: boolean }>;
  ticketByNumber(number: string): Promise<TicketRecord | null>;
  ticketById(id: string): Promise<TicketRecord | null>;
  ticketsOfOwner(personId: string, limit: number): Promise<TicketRecord[]>;
  /** Staff lists: open tickets of properties, optionally only unclaimed or only one assignee's; oldest first. */
  findTickets(query: {
    propertyIds: readonly string[];
    statuses: readonly TicketStatus[];
    assigneeId?: string;
    /** Only tickets whose promised reply time (跟清楚) is before this. */
    replyDueBefore?: Date;
    /** Only this zone's tickets and the unzoned ones: what a zone's staff group sees (issue 13 §3). */
    seenFromZone?: string;
    limit: number;
  }): Promise<TicketRecord[]>;
  /** The history, oldest first. */
  ticketEvents(ticketId: string): Promise<TicketEventRecord[]>;
  /** The platform references of the ticket's photos (`tg:<file_id>`, `slack:<file id>`), oldest first. */
  ticketPhotos(ticketId: string): Promise<string[]>;
  /** Append an event; a `photo_added` event with `data.fileRef` also stores the photo. */
  appendEvent(
    ticketId: string,
    event: NewTicketEvent,
    patch?: EventPatch,
    outbox?: readonly NewOutboxMessage[],
  ): Promise<void>;
  /**
   * Move a ticket from `from` to `to` and record the event, only if it is still in `from`
   * (compare-and-set: of two staff claiming at once, exactly one wins).
   */
  applyTransition(
    ticketId: string,
    from: TicketStatus,
    to: TicketStatus,
    event: NewTicketEvent,
    patch?: TicketPatch,
    /** Messages the move causes, from the ticket as moved, written in the same transaction. */
    outbox?: (ticket: TicketRecord) => readonly NewOutboxMessage[],
  ): Promise<TransitionWriteResult>;
}
