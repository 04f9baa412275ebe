/**
 * The ports the core is given. The core never reads the clock, the environment or a database
 * itself: `src/main.ts` wires these to infra, and tests wire them to a real database and a
 * controllable clock.
 */
import type { Channel } from "./messages.js";
import type { Locale } from "./text.js";
import type { Category, Location, MajorReason, TicketKind, TicketWeight } from "./ticket/kinds.js";
import type { ActorKind, TicketStatus } from "./ticket/status.js";
import type { StaffRole, StaffRoleRecord } from "./staff/roles.js";
import type { NewOutboxMessage } from "./outbox.js";
import type { Rating } from "./ticket/rating.js";
import type { ChatBindingRecord, ChatPurpose, ChatRef, InviteGrant, InviteRecord, RedeemResult } from "./staff/chats.js";

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}

/** One person per platform identity (a Telegram user, a Slack user, the console user). */
export interface PersonRecord {
  readonly id: string;
  readonly platform: Channel;
  readonly platformUserId: string;
  readonly displayName: string | null;
  /** The platform handle (Telegram @username, without the @), if the platform has one. */
  readonly username: string | null;
  readonly name: string | null;
  readonly phone: string | null;
  readonly locale: Locale | null;
  /** True once the person chose a language themselves; the platform hint no longer applies. */
  readonly localeExplicit: boolean;
}

export interface PersonPatch {
  name?: string;
  phone?: string;
  locale?: Locale;
  localeExplicit?: boolean;
}

export interface ZoneRecord {
  readonly id: string;
  readonly code: string;
  readonly name: string;
}

/** 楼盘 / 小区: a property with its zones (管辖区域). */
export interface PropertyRecord {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly nameEn: string | null;
  readonly zones: readonly ZoneRecord[];
  /** When true, a room must exist in the property's room registry. */
  readonly hasRoomRegistry: boolean;
}

export interface NewProperty {
  code: string;
  name: string;
  nameEn?: string;
  zones?: { code: string; name: string }[];
  rooms?: { label: string; zoneCode?: string }[];
}

export interface RoomMatch {
  readonly id: string;
  readonly label: string;
  readonly zoneId: string | null;
}

/** A room an owner has used before, remembered so a returning owner is not asked again. */
export interface OwnerRoomRecord {
  readonly propertyId: string;
  readonly roomLabel: string;
  readonly roomId: string | null;
  readonly zoneId: string | null;
}

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
}

export interface StoredConversation {
  readonly state: unknown;
  readonly revision: number;
}

export type SaveConversationResult = { ok: true; revision: number } | { ok: false; code: "conflict" };

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
}

/** What an event may change on its ticket without a status move. */
export type EventPatch = Pick<TicketPatch, "nextReplyDueAt" | "weight" | "firstResponseAt" | "calledBackAt" | "rating">;

export type TransitionWriteResult =
  | { ok: true; ticket: TicketRecord }
  | { ok: false; code: "stale"; current: TicketStatus }
  | { ok: false; code: "not_found" };

/** A platform identity as an adapter sees it, with the language the platform suggests. */
export interface PersonIdentity {
  platform: Channel;
  platformUserId: string;
  displayName?: string;
  /** The platform handle (without the @); kept up to date when it changes. */
  username?: string;
  locale: Locale;
}

/** How a colleague is named in a command: their platform handle, or the platform's user id (Slack's `<@U123>`). */
export type PersonHandle = { readonly username: string } | { readonly platformUserId: string };

/** The driven side the core needs; implemented by `src/infra/prisma` on SQLite and PostgreSQL. */
export interface Store {
  /** Find the person behind a platform identity, creating them on first contact. */
  person(identity: PersonIdentity): Promise<PersonRecord>;
  /**
   * What every message starts with, read together: the person behind the identity (created on
   * first contact, as `person`) and their stored conversation.
   */
  beginTurn(
    identity: PersonIdentity,
    conversationKey: string,
  ): Promise<{ person: PersonRecord; conversation: StoredConversation | null }>;
  updatePerson(id: string, patch: PersonPatch): Promise<PersonRecord>;
  personById(id: string): Promise<PersonRecord | null>;
  /**
   * The person behind a handle on a platform, or null; never creates anyone (a colleague named in
   * `/transfer` must have talked to the bot). Usernames match without regard to case, as on Telegram.
   */
  findPerson(platform: Channel, handle: PersonHandle): Promise<PersonRecord | null>;
  /** Every staff role the person holds, in any property. */
  staffRoles(personId: string): Promise<StaffRoleRecord[]>;
  /** People holding a role in a property (any zone). */
  staffOf(propertyId: string, role: StaffRole): Promise<PersonRecord[]>;
  /** Give a person a role; granting a role they already hold changes nothing. */
  grantStaffRole(personId: string, role: StaffRoleRecord): Promise<void>;

  /** Issue a one-time code (8 characters, no look-alike letters) that expires at `expiresAt`. */
  createInvite(input: { propertyId: string; grant: InviteGrant; expiresAt: Date; createdAt: Date }): Promise<InviteRecord>;
  /** Use a code once: of two people racing for it, one gets it. */
  redeemInvite(code: string, kind: InviteGrant["kind"], personId: string, at: Date): Promise<RedeemResult>;
  /** Make a chat one of a property's chats (binding it again re-activates and re-purposes it). */
  bindChat(binding: Omit<ChatBindingRecord, "active">, at: Date): Promise<ChatBindingRecord>;
  chatBinding(ref: ChatRef): Promise<ChatBindingRecord | null>;
  propertyChats(propertyId: string, purpose: ChatPurpose): Promise<ChatBindingRecord[]>;
  /** The bot was removed from the chat: post nothing more there. */
  deactivateChat(ref: ChatRef): Promise<void>;
  /** True the first time a platform update is seen; false for a redelivery. */
  firstDelivery(platform: ChatRef["platform"], updateId: string, at: Date): Promise<boolean>;

  properties(): Promise<PropertyRecord[]>;
  createProperty(input: NewProperty): Promise<PropertyRecord>;
  /** Look a normalised room label up in a property's registry. */
  findRoom(propertyId: string, label: string): Promise<RoomMatch | null>;
  ownerRooms(personId: string): Promise<OwnerRoomRecord[]>;

  loadConversation(key: string): Promise<StoredConversation | null>;
  /** Save only if nobody else saved since `expectedRevision` (0 = not stored yet). */
  saveConversation(
    key: string,
    personId: string,
    state: unknown,
    expectedRevision: number,
    at: Date,
  ): Promise<SaveConversationResult>;

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
    limit: number;
  }): Promise<TicketRecord[]>;
  /** The history, oldest first. */
  ticketEvents(ticketId: string): Promise<TicketEventRecord[]>;
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
