/**
 * The ReportStore port over Prisma: the digest, the monthly statistics and the export's rows,
 * each a handful of aggregate queries (reports-sql.ts). Raw rows are checked with zod here: the
 * drivers hand back counts as bigint or number and dates as Date or text depending on backend
 * and expression, and the core gets numbers and Dates either way.
 */
import { breakdown } from "./breakdown.js";
import { openWrittenComplaints } from "./written.js";
import { z } from "zod";
import type { Sql } from "@prisma/client/runtime/client";
import {
  type CallbackRow,
  type DigestFigures,
  type DigestTicket,
  type IntakeRow,
  type MonthlyFigures,
  type Rate,
  type ReportStore,
  type StaffFigures,
} from "../../core/reports/figures.js";
import { RATINGS, type Rating } from "../../core/ticket/rating.js";
import { CATEGORIES, TICKET_KINDS, TICKET_WEIGHTS, type Category } from "../../core/ticket/kinds.js";
import { TICKET_STATUSES } from "../../core/ticket/status.js";
import type { Ctx } from "./db.js";
import { reportSql } from "./reports-sql.js";
import { storedDate } from "./rows.js";

const count = z.union([z.bigint(), z.number()]).transform(Number);
const date = storedDate;
const kind = z.enum(TICKET_KINDS);
const category = z.enum(CATEGORIES);
const status = z.enum(TICKET_STATUSES);
const rating = z.enum(RATINGS);
/** What the workflow stores on `callback`, `rated` and `transition` events that reports read. */
const eventData = z
  .string()
  .transform((s): unknown => JSON.parse(s))
  .pipe(z.object({ rating: rating.optional(), note: z.string().optional(), result: z.string().optional() }).loose());

const filedRow = z.object({ kind, category, zoneId: z.string().nullable(), filed: count, live: count, onTime: count, late: count, done: count });
const resolvedRow = z.object({ kind, assigneeId: z.string().nullable(), resolved: count, reopened: count, calledBack: count });
const ratingRow = z.object({ kind, satisfied: count, fairly: count, dissatisfied: count, repeat: count });
const claimRow = z.object({ actorId: z.string().nullable(), claimed: count });
const openRow = z.object({ open: count, overdue: count });
const digestTicket = z.object({
  id: z.string(),
  number: z.string(),
  kind,
  category,
  weight: z.enum(TICKET_WEIGHTS),
  status,
  roomLabel: z.string().nullable(),
  description: z.string(),
  assigneeName: z.string().nullable(),
  createdAt: date,
  claimedAt: date.nullable(),
  firstResponseAt: date.nullable(),
  nextReplyDueAt: date.nullable(),
}) satisfies z.ZodType<DigestTicket>;
const callbackRow = z
  .object({
    type: z.enum(["callback", "rated"]),
    at: date,
    data: eventData,
    number: z.string(),
    roomLabel: z.string().nullable(),
    contactName: z.string().nullable(),
    kind,
    category,
    byName: z.string().nullable(),
  })
  .transform(
    (r): CallbackRow => ({
      ticketNumber: r.number,
      at: r.at,
      // A callback or rating event without a rating is not one the workflow writes.
      rating: rating.parse(r.data.rating),
      by: r.type === "rated" ? "owner" : "staff",
      byName: r.byName,
      note: r.data.note?.trim() ? r.data.note : null,
      roomLabel: r.roomLabel,
      contactName: r.contactName,
      kind: r.kind,
      category: r.category,
    }),
  );
const intakeRow = z
  .object({
    number: z.string(),
    createdAt: date,
    kind,
    category,
    weight: z.enum(TICKET_WEIGHTS),
    status,
    roomLabel: z.string().nullable(),
    contactName: z.string().nullable(),
    contactPhone: z.string().nullable(),
    zoneName: z.string().nullable(),
    description: z.string(),
    assigneeName: z.string().nullable(),
    firstResponseAt: date.nullable(),
    resolvedAt: date.nullable(),
    rating: rating.nullable(),
    calledBackAt: date.nullable(),
    resolution: eventData.nullable(),
  })
  .transform(({ resolution, ...r }): IntakeRow => ({ ...r, result: resolution?.result ?? null }));
const cursorRow = z.object({ createdAt: date, seq: count });

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const rate = (numerator: number, denominator: number): Rate => ({ numerator, denominator });

export function createReportStore({ db }: Ctx): ReportStore {
  async function rows<S extends z.ZodType>(schema: S, query: Sql): Promise<z.output<S>[]> {
    const raw = await db.$queryRaw<unknown[]>(query);
    return raw.map((row) => {
      const parsed = schema.safeParse(row);
      if (!parsed.success) throw new Error(`Unreadable report row: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
  }

  async function names(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const people = await db.person.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true, displayName: true } });
    return new Map(people.map((p) => [p.id, p.name ?? p.displayName ?? "?"]));
  }

  return {
    // Issue 12: kind × category and sources, in their own file.
    breakdown: (propertyId, from, to) => breakdown({ db }, propertyId, from, to),
    // Issue 12, item 6: the written complaints awaiting their reply, with their register numbers.
    openWrittenComplaints: (propertyId, to) => openWrittenComplaints({ db }, propertyId, to),
    async digest(propertyId, from, to, asOf): Promise<DigestFigures> {
      const [filed, [resolved], [open], listed, escalated, callbacks] = await Promise.all([
        rows(filedRow, reportSql.filed(propertyId, from, to, asOf)),
        rows(z.object({ resolved: count }), reportSql.resolutions(propertyId, from, to)),
        rows(openRow, reportSql.open(propertyId, to, asOf)),
        rows(digestTicket, reportSql.digestFiled(propertyId, from, to)),
        rows(digestTicket, reportSql.digestEscalated(propertyId, from, to)),
        rows(callbackRow, reportSql.callbacks(propertyId, from, to)),
      ]);
      const created = zeroes(TICKET_KINDS);
      for (const r of filed) created[r.kind] += r.filed;
      const major = listed.filter((t) => t.weight === "major");
      for (const t of escalated) if (!major.some((m) => m.id === t.id)) major.push(t);
      major.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      return {
        propertyId,
        from,
        to,
        asOf,
        created,
        resolved: resolved?.resolved ?? 0,
        open: open?.open ?? 0,
        overdue: open?.overdue ?? 0,
        major,
        callbacks,
        complaints: listed.filter((t) => t.kind === "complaint"),
      };
    },

    async monthly(propertyId, month, from, to, asOf): Promise<MonthlyFigures> {
      const [filed, resolved, ratingRows, claims, zones] = await Promise.all([
        rows(filedRow, reportSql.filed(propertyId, from, to, asOf)),
        rows(resolvedRow, reportSql.resolved(propertyId, from, to)),
        rows(ratingRow, reportSql.ratings(propertyId, from, to)),
        rows(claimRow, reportSql.claims(propertyId, from, to)),
        db.zone.findMany({ where: { propertyId }, select: { id: true, name: true } }),
      ]);
      const byKind = zeroes(TICKET_KINDS);
      const byCategory = zeroes<Category>(CATEGORIES);
      const byZone = new Map<string | null, number>();
      const complaints = { live: 0, onTime: 0, late: 0, done: 0 };
      for (const r of filed) {
        byKind[r.kind] += r.filed;
        byCategory[r.category] += r.filed;
        byZone.set(r.zoneId, (byZone.get(r.zoneId) ?? 0) + r.filed);
        if (r.kind !== "complaint") continue;
        complaints.live += r.live;
        complaints.onTime += r.onTime;
        complaints.late += r.late;
        complaints.done += r.done;
      }
      const ratings = zeroes<Rating>(RATINGS);
      const complaintRatings = { good: 0, all: 0 };
      let repeatCallbacks = 0;
      for (const r of ratingRows) {
        for (const x of RATINGS) ratings[x] += r[x];
        repeatCallbacks += r.repeat;
        if (r.kind !== "complaint") continue;
        complaintRatings.good += r.satisfied + r.fairly;
        complaintRatings.all += r.satisfied + r.fairly + r.dissatisfied;
      }
      const sums = { resolved: 0, reopened: 0, complaintsResolved: 0, complaintsCalledBack: 0 };
      const staff = new Map<string, { claimed: number; resolved: number }>();
      const staffOf = (id: string) => staff.get(id) ?? staff.set(id, { claimed: 0, resolved: 0 }).get(id)!;
      for (const r of resolved) {
        sums.resolved += r.resolved;
        sums.reopened += r.reopened;
        if (r.kind === "complaint") {
          sums.complaintsResolved += r.resolved;
          sums.complaintsCalledBack += r.calledBack;
        }
        if (r.assigneeId) staffOf(r.assigneeId).resolved += r.resolved;
      }
      for (const r of claims) if (r.actorId) staffOf(r.actorId).claimed += r.claimed;
      const staffNames = await names([...staff.keys()]);
      const zoneNames = new Map(zones.map((z) => [z.id, z.name]));
      return {
        propertyId,
        month,
        from,
        to,
        asOf,
        total: filed.reduce((n, r) => n + r.filed, 0),
        byKind,
        byCategory,
        byZone: [...byZone]
          .map(([zoneId, n]) => ({ zoneId, name: zoneId ? (zoneNames.get(zoneId) ?? null) : null, count: n }))
          .sort((a, b) => b.count - a.count || (a.name ?? "\uffff").localeCompare(b.name ?? "\uffff")),
        byStaff: [...staff]
          .map(([personId, f]): StaffFigures => ({ personId, name: staffNames.get(personId) ?? "?", ...f }))
          .sort((a, b) => b.claimed + b.resolved - (a.claimed + a.resolved) || a.name.localeCompare(b.name)),
        ratings,
        repeatCallbacks,
        rates: {
          feedbackOnTime: rate(complaints.onTime, complaints.onTime + complaints.late),
          callback: rate(sums.complaintsCalledBack, sums.complaintsResolved),
          callbackSatisfaction: rate(complaintRatings.good, complaintRatings.all),
          closure: rate(complaints.done, complaints.live),
          reopen: rate(sums.reopened, sums.resolved),
        },
      };
    },

    async intakeRows(propertyId, from, to, page): Promise<IntakeRow[]> {
      let after: { createdAt: Date; seq: number } | null = null;
      if (page.after !== undefined) {
        [after = null] = await rows(cursorRow, reportSql.cursor(propertyId, page.after));
        if (!after) throw new Error(`intakeRows: no ticket ${page.after} in this property to page after`);
      }
      if (page.limit <= 0) return [];
      return rows(intakeRow, reportSql.intake(propertyId, from, to, after, Math.floor(page.limit)));
    },

    callbackRows: (propertyId, from, to) => rows(callbackRow, reportSql.callbacks(propertyId, from, to)),
  };
}

