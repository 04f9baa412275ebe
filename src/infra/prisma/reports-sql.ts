/**
 * The report queries as SQL, portable between SQLite and PostgreSQL (quoted identifiers, bound
 * parameters, COUNT(CASE ...) instead of boolean sums). Every one starts from an index range —
 * Ticket (propertyId, createdAt), (propertyId, resolvedAt), (propertyId, status); TicketEvent
 * (type, at, …) — and aggregates in the database, so a month of a 1,000,000-ticket store is
 * counted without reading tickets into memory (bench/reports.bench.ts prints their query plans).
 * The event queries read their columns from that index and their ticket's property and kind from
 * Ticket (id, propertyId, kind): no wide row is read for an event of another property.
 *
 * Dates are compared as stored: PostgreSQL has timestamps; SQLite holds the ISO text Prisma's
 * adapter writes ("2026-11-22T16:00:00.000+00:00"), one fixed-width format for columns and bound
 * parameters alike, so text order is time order, also between two columns.
 *
 * The definitions behind each count are in docs/rates.md.
 */
import { empty, join, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import { OPEN_STATUSES } from "../../core/ticket/status.js";

/**
 * Event data is JSON text that workflow.ts writes with JSON.stringify, `{"rating":"fairly",...}`;
 * inside a string value every quote is escaped, so a note can never fake this pattern. A LIKE
 * reads it the same way on both databases, where JSON operators differ.
 */
const ratingIs = (rating: string): string => `%"rating":"${rating}"%`;

/** Columns a digest line shows (DigestTicket), of ticket t and its assignee a. */
const digestTicketColumns = sql`
  t."id", t."number", t."seq", t."kind", t."category", t."weight", t."status", t."roomLabel", t."description",
  t."createdAt", t."claimedAt", t."firstResponseAt", t."nextReplyDueAt", COALESCE(a."name", a."displayName") AS "assigneeName"`;

/**
 * A period's events e joined to their tickets t. CROSS JOIN is an inner join to PostgreSQL, whose
 * planner orders it freely; SQLite keeps the events outer, as written. Without statistics SQLite
 * guesses a property has a handful of tickets and would walk all of them, probing the events of
 * each (seconds over 1,000,000 tickets); from the events, each is one seek in Ticket's covering
 * (id, propertyId, kind) index.
 */
const periodEvents = sql`FROM "TicketEvent" e CROSS JOIN "Ticket" t`;
/** The join condition the CROSS JOIN leaves to the WHERE: each event with its ticket, of one property. */
const eventsOf = (propertyId: string): Sql => sql`t."id" = e."ticketId" AND t."propertyId" = ${propertyId}`;

export const reportSql = {
  /** Tickets filed in [from, to) by kind, category and zone, with the complaint-rate counts. */
  filed: (propertyId: string, from: Date, to: Date, asOf: Date): Sql => sql`
    SELECT "kind", "category", "zoneId", COUNT(*) AS "filed",
      COUNT(CASE WHEN "status" <> 'cancelled' THEN 1 END) AS "live",
      COUNT(CASE WHEN "status" <> 'cancelled' AND "firstResponseAt" IS NOT NULL
        AND ("firstReplyDueAt" IS NULL OR "firstResponseAt" <= "firstReplyDueAt") THEN 1 END) AS "onTime",
      COUNT(CASE WHEN "status" <> 'cancelled' AND "firstReplyDueAt" IS NOT NULL
        AND ("firstResponseAt" > "firstReplyDueAt" OR ("firstResponseAt" IS NULL AND "firstReplyDueAt" < ${asOf})) THEN 1 END) AS "late",
      COUNT(CASE WHEN "status" IN ('resolved', 'closed') THEN 1 END) AS "done"
    FROM "Ticket"
    WHERE "propertyId" = ${propertyId} AND "createdAt" >= ${from} AND "createdAt" < ${to}
    GROUP BY "kind", "category", "zoneId"`,

  /** Distinct tickets with a resolution (a move to resolved) in [from, to), from the history. */
  resolutions: (propertyId: string, from: Date, to: Date): Sql => sql`
    SELECT COUNT(DISTINCT e."ticketId") AS "resolved"
    ${periodEvents}
    WHERE e."type" = 'transition' AND e."at" >= ${from} AND e."at" < ${to} AND e."toStatus" = 'resolved'
      AND ${eventsOf(propertyId)}`,

  /**
   * Filed before `to` and open at `asOf`; overdue when the promised reply time passed by `asOf`.
   * The filing time is tested in the counts, not the WHERE: there SQLite would take it for an
   * index range over the property's whole history instead of the few open tickets.
   */
  open: (propertyId: string, to: Date, asOf: Date): Sql => sql`
    SELECT COUNT(CASE WHEN "createdAt" < ${to} THEN 1 END) AS "open",
      COUNT(CASE WHEN "createdAt" < ${to} AND "nextReplyDueAt" < ${asOf} THEN 1 END) AS "overdue"
    FROM "Ticket"
    WHERE "propertyId" = ${propertyId} AND "status" IN (${join([...OPEN_STATUSES])})`,

  /** Complaints and major tickets filed in [from, to). */
  digestFiled: (propertyId: string, from: Date, to: Date): Sql => sql`
    SELECT ${digestTicketColumns}
    FROM "Ticket" t LEFT JOIN "Person" a ON a."id" = t."assigneeId"
    WHERE t."propertyId" = ${propertyId} AND t."createdAt" >= ${from} AND t."createdAt" < ${to}
      AND (t."kind" = 'complaint' OR t."weight" = 'major')
    ORDER BY t."createdAt", t."seq"`,

  /** Tickets escalated to major (重大) in [from, to), whenever they were filed: from the day's events. */
  digestEscalated: (propertyId: string, from: Date, to: Date): Sql => sql`
    SELECT ${digestTicketColumns}
    ${periodEvents} LEFT JOIN "Person" a ON a."id" = t."assigneeId"
    WHERE e."type" = 'escalated' AND e."at" >= ${from} AND e."at" < ${to} AND ${eventsOf(propertyId)}
    ORDER BY t."createdAt", t."seq"`,

  /** Callbacks (回访) recorded by staff and ratings given by owners in [from, to). */
  callbacks: (propertyId: string, from: Date, to: Date): Sql => sql`
    SELECT e."type", e."at", e."data", t."number", t."roomLabel", t."contactName", t."kind", t."category",
      COALESCE(p."name", p."displayName") AS "byName"
    ${periodEvents} LEFT JOIN "Person" p ON p."id" = e."actorId"
    WHERE e."type" IN ('callback', 'rated') AND e."at" >= ${from} AND e."at" < ${to} AND ${eventsOf(propertyId)}
    ORDER BY e."at", t."seq", e."seq"`,

  /**
   * The same events counted by rating, per kind of ticket, and how many of them repeat: the ticket
   * had a callback or rating before (in event order, so any earlier month counts).
   */
  ratings: (propertyId: string, from: Date, to: Date): Sql => sql`
    SELECT t."kind",
      COUNT(CASE WHEN e."data" LIKE ${ratingIs("satisfied")} THEN 1 END) AS "satisfied",
      COUNT(CASE WHEN e."data" LIKE ${ratingIs("fairly")} THEN 1 END) AS "fairly",
      COUNT(CASE WHEN e."data" LIKE ${ratingIs("dissatisfied")} THEN 1 END) AS "dissatisfied",
      COUNT(CASE WHEN EXISTS (
        SELECT 1 FROM "TicketEvent" b
        WHERE b."ticketId" = e."ticketId" AND b."type" IN ('callback', 'rated') AND b."seq" < e."seq"
      ) THEN 1 END) AS "repeat"
    ${periodEvents}
    WHERE e."type" IN ('callback', 'rated') AND e."at" >= ${from} AND e."at" < ${to} AND ${eventsOf(propertyId)}
    GROUP BY t."kind"`,

  /** Tickets whose latest resolution (resolvedAt) is in [from, to), by kind and assignee. */
  resolved: (propertyId: string, from: Date, to: Date): Sql => sql`
    SELECT "kind", "assigneeId", COUNT(*) AS "resolved",
      COUNT(CASE WHEN "reopenCount" > 0 THEN 1 END) AS "reopened",
      COUNT(CASE WHEN "calledBackAt" >= "resolvedAt" THEN 1 END) AS "calledBack"
    FROM "Ticket"
    WHERE "propertyId" = ${propertyId} AND "resolvedAt" >= ${from} AND "resolvedAt" < ${to} AND "status" <> 'cancelled'
    GROUP BY "kind", "assigneeId"`,

  /** Distinct tickets each person claimed (受理) in [from, to). */
  claims: (propertyId: string, from: Date, to: Date): Sql => sql`
    SELECT e."actorId", COUNT(DISTINCT e."ticketId") AS "claimed"
    ${periodEvents}
    WHERE e."type" = 'transition' AND e."at" >= ${from} AND e."at" < ${to} AND e."toStatus" = 'claimed'
      AND ${eventsOf(propertyId)}
    GROUP BY e."actorId"`,

  /** Where a page of the intake list resumes: the last row's filing time and number. */
  cursor: (propertyId: string, number: string): Sql => sql`
    SELECT "createdAt", "seq" FROM "Ticket" WHERE "propertyId" = ${propertyId} AND "number" = ${number}`,

  /** One page of 用户意见受理表, in filing order, after (createdAt, seq) = `after`. */
  intake: (propertyId: string, from: Date, to: Date, after: { createdAt: Date; seq: number } | null, limit: number): Sql => sql`
    SELECT t."number", t."createdAt", t."kind", t."category", t."weight", t."status", t."roomLabel", t."contactName",
      t."contactPhone", z."name" AS "zoneName", t."description", COALESCE(a."name", a."displayName") AS "assigneeName",
      t."firstResponseAt", t."resolvedAt", t."rating", t."calledBackAt",
      (SELECT r."data" FROM "TicketEvent" r WHERE r."ticketId" = t."id" AND r."type" = 'transition' AND r."toStatus" = 'resolved'
        ORDER BY r."seq" DESC LIMIT 1) AS "resolution"
    FROM "Ticket" t LEFT JOIN "Person" a ON a."id" = t."assigneeId" LEFT JOIN "Zone" z ON z."id" = t."zoneId"
    WHERE t."propertyId" = ${propertyId} AND t."createdAt" >= ${after && after.createdAt > from ? after.createdAt : from} AND t."createdAt" < ${to}
      ${after ? sql`AND (t."createdAt" > ${after.createdAt} OR t."seq" > ${after.seq})` : empty}
    ORDER BY t."createdAt", t."seq"
    LIMIT ${limit}`,
};
