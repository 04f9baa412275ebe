/**
 * Rows read back from the database become core records only through these zod schemas: the
 * columns are plain strings and JSON text (SQLite has neither enums nor JSON), so a bad value
 * written by hand or by an older version fails here, loudly, instead of deep inside the core.
 */
import { RATINGS } from "../../core/ticket/rating.js";
import { z } from "zod";
import { CHANNELS } from "../../core/messages.js";
import type { OwnerRoomRecord, PersonRecord } from "../../core/people/store.js";
import type { StoredConversation } from "../../core/conversation/store.js";
import type { TicketEventRecord, TicketRecord } from "../../core/ticket/store.js";
import { TICKET_EVENT_TYPES } from "../../core/ticket/store.js";
import { LOCALES } from "../../core/text.js";
import { CATEGORIES, LOCATIONS, MAJOR_REASONS, TICKET_KINDS, TICKET_SOURCES, TICKET_WEIGHTS } from "../../core/ticket/kinds.js";
import { TICKET_STATUSES, type ActorKind } from "../../core/ticket/status.js";

// status.ts declares ActorKind as a type only; `satisfies` and the check below keep this list
// equal to it in both directions.
const ACTOR_KINDS = ["owner", "staff", "system"] as const satisfies readonly ActorKind[];
type UnlistedActorKind = Exclude<ActorKind, (typeof ACTOR_KINDS)[number]>;
const actorKindsComplete: [UnlistedActorKind] extends [never] ? true : never = true;

/** JSON stored as TEXT, parsed and then checked against `inner`. */
function jsonText<T extends z.ZodType>(inner: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.issues.push({ code: "custom", message: "not valid JSON", input: text });
        return z.NEVER;
      }
    })
    .pipe(inner);
}

/**
 * A date as a raw or hot statement reads it: a Date (PostgreSQL's hot statements), or text
 * (SQLite's ISO 8601 with its offset; a zone-less timestamp text is UTC, as stored).
 */
export const storedDate = z
  .union([z.date(), z.string()])
  .transform((v) => (v instanceof Date ? v : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(" ", "T")}Z`)));

const channel = z.enum(CHANNELS);
const locale = z.enum(LOCALES);
const status = z.enum(TICKET_STATUSES);
const jsonObject = z.record(z.string(), z.unknown());

const person = z.object({
  id: z.string(),
  platform: channel,
  platformUserId: z.string(),
  displayName: z.string().nullable(),
  username: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  locale: locale.nullable(),
  localeExplicit: z.boolean(),
}) satisfies z.ZodType<PersonRecord>;

const ownerRoom = z.object({
  propertyId: z.string(),
  roomLabel: z.string(),
  roomId: z.string().nullable(),
  zoneId: z.string().nullable(),
}) satisfies z.ZodType<OwnerRoomRecord>;

const ticket = z.object({
  id: z.string(),
  number: z.string(),
  propertyId: z.string(),
  zoneId: z.string().nullable(),
  kind: z.enum(TICKET_KINDS),
  category: z.enum(CATEGORIES),
  weight: z.enum(TICKET_WEIGHTS),
  majorReasons: jsonText(z.array(z.enum(MAJOR_REASONS))),
  status,
  ownerId: z.string(),
  roomLabel: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  location: z.enum(LOCATIONS).nullable(),
  place: z.string().nullable(),
  description: z.string(),
  since: z.string().nullable(),
  visitTime: z.string().nullable(),
  channel,
  locale,
  photoCount: z.number().int(),
  assigneeId: z.string().nullable(),
  createdAt: z.date(),
  confirmedAt: z.date().nullable(),
  nextReplyDueAt: z.date().nullable(),
  resolvedAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  firstReplyDueAt: z.date().nullable(),
  firstResponseAt: z.date().nullable(),
  claimedAt: z.date().nullable(),
  calledBackAt: z.date().nullable(),
  rating: z.enum(RATINGS).nullable(),
  reopenCount: z.number().int(),
  awaitingClaimSince: z.date().nullable(),
  source: z.enum(TICKET_SOURCES),
  summary: z.string().nullable(),
  vip: z.boolean(),
  vipNote: z.string().nullable(),
  nextCallbackAt: z.date().nullable(),
}) satisfies z.ZodType<TicketRecord>;

const ticketEvent = z.object({
  id: z.string(),
  ticketId: z.string(),
  at: z.date(),
  type: z.enum(TICKET_EVENT_TYPES),
  actorKind: z.enum(ACTOR_KINDS),
  actorId: z.string().nullable(),
  channel,
  fromStatus: status.nullable(),
  toStatus: status.nullable(),
  data: jsonText(jsonObject),
}) satisfies z.ZodType<TicketEventRecord>;

const conversation = z.object({
  state: jsonText(z.unknown()),
  revision: z.number().int(),
}) satisfies z.ZodType<StoredConversation>;

function parse<S extends z.ZodType>(schema: S, what: string, row: unknown): z.output<S> {
  const result = schema.safeParse(row);
  if (result.success) return result.data;
  const id = (row as { id?: unknown } | null)?.id;
  throw new Error(`Unreadable ${what} row${typeof id === "string" ? ` ${id}` : ""}: ${z.prettifyError(result.error)}`);
}

export const toPerson = (row: unknown): PersonRecord => parse(person, "Person", row);
export const toOwnerRoom = (row: unknown): OwnerRoomRecord => parse(ownerRoom, "OwnerRoom", row);
export const toTicket = (row: unknown): TicketRecord => parse(ticket, "Ticket", row);

/** The Ticket columns that hold a date, read off its schema: a hot statement reads them as text on SQLite. */
const TICKET_DATES = Object.entries(ticket.shape)
  .filter(([, column]) => (column instanceof z.ZodNullable ? column.unwrap() : column) instanceof z.ZodDate)
  .map(([name]) => name);

/** A Ticket row as a hot statement reads it (SQLite: dates as text, booleans as 0/1) as the record. */
export function ticketOfRow(row: Readonly<Record<string, unknown>>): TicketRecord {
  const fields: Record<string, unknown> = { ...row, vip: row["vip"] === true || row["vip"] === 1 };
  for (const column of TICKET_DATES) if (fields[column] !== null && fields[column] !== undefined) fields[column] = storedDate.parse(fields[column]);
  return toTicket(fields);
}
export const toTicketEvent = (row: unknown): TicketEventRecord => parse(ticketEvent, "TicketEvent", row);
export const toConversation = (row: unknown): StoredConversation => parse(conversation, "Conversation", row);
export const toStatus = (value: unknown): TicketRecord["status"] => parse(status, "Ticket status", value);

/** The JSON text written to the columns the schemas above read back. */
export function jsonColumn(value: unknown): string {
  return JSON.stringify(value ?? null);
}
