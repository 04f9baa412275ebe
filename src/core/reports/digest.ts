/**
 * The director's morning digest (主任晨报) as Text lines, and its 已阅 sign-off. Seed 000 §3
 * item 4 scores the director on reading the previous day's complaint records before 09:00,
 * signing them, and checking that every one was followed up (有否及时跟进、落实); the digest
 * shows each of yesterday's complaints with how far it got, and the button records the signature.
 */
import { sourceLine, type Breakdown } from "./breakdown.js";
import type { Choice } from "../messages.js";
import type { JobLedger, PostKey, PostRecord } from "../scheduled/ledger.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import type { SlaStore } from "../sla/store.js";
import type { StaffRole, StaffRoleRecord } from "../staff/roles.js";
import { t, type Text } from "../text.js";
import { localDateKey, localDay, zonedInstant } from "../time/zone.js";
import { categoryText, kindText, time } from "../ticket/views.js";
import { truncate } from "../util/input.js";
import { maskPhonesIn } from "../people/phone.js";
import { RATINGS } from "../ticket/rating.js";
import { TICKET_KINDS } from "../ticket/kinds.js";
import type { DigestFigures, DigestTicket } from "./figures.js";
import { writtenComplaintTexts, type WrittenComplaint } from "./written.js";
import { nameOf } from "../people/name.js";

export const DIGEST_JOB = "director_digest";
/** Seed 000 §3 item 4: read and signed before 09:00 (minutes after local midnight). */
export const SIGN_BY_MINUTES = 9 * 60;
/** Roles whose 已阅 counts: the director, the property head, an admin (never a supervisor). */
export const SIGNING_ROLES: readonly StaffRole[] = ["director", "property_head", "admin"];

const SHOWN = { major: 10, complaints: 20, callbacks: 10 } as const;
const SUMMARY = 40;

/** The digest of `date` ("2026-11-22") for a property: its ledger key. */
export const digestKey = (propertyId: string, date: string): PostKey => ({ job: DIGEST_JOB, period: date, target: propertyId });

/** The day a digest covers, [local midnight, next local midnight) in the property's zone. */
export function digestDay(date: string, timeZone: string): { from: Date; to: Date; key: string } {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return localDay(zonedInstant(timeZone, y, m, d, 12), timeZone);
}

/** 09:00 local on the morning after the day the digest covers. */
export function signDeadline(date: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return zonedInstant(timeZone, y, m, d + 1, 0, SIGN_BY_MINUTES);
}

/** A typed date ("2026-11-22", "2026-1-5") as a real calendar date "2026-01-05", or null. */
export function parseDate(input: string): string | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(input.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== mo - 1 || utc.getUTCDate() !== d) return null;
  return utc.toISOString().slice(0, 10);
}

/** The button that records 已阅; it names the property and the day, so an old one still signs its own digest. */
export const signChoice = (propertyId: string, date: string): Choice => ({ value: `digest:sign:${propertyId}:${date}`, label: t("digest.sign") });

/** The args of a `digest:` button (after the prefix) back to what it signs. */
export function parseSignArgs(args: string): { propertyId: string; date: string } | null {
  const m = /^sign:([^:]+):(\d{4}-\d{2}-\d{2})$/.exec(args);
  const date = m ? parseDate(m[2]!) : null;
  return m && date ? { propertyId: m[1]!, date } : null;
}

/** A property's name for readers of `locale`. */

/** How far a ticket had got by `asOf`: what the director checks for each of yesterday's complaints. */
export type FollowUp = "done" | "cancelled" | "overdue" | "reopened" | "answered" | "claimed" | "unclaimed";
/** The states that need the director's push (督办). */
export const NEEDS_PUSH: readonly FollowUp[] = ["overdue", "reopened", "unclaimed"];

export function followUp(x: DigestTicket, asOf: Date): FollowUp {
  if (x.status === "resolved" || x.status === "closed") return "done";
  if (x.status === "cancelled") return "cancelled";
  // A promised reply time that passed unanswered outranks everything else that is still open.
  if (x.nextReplyDueAt && x.nextReplyDueAt.getTime() < asOf.getTime()) return "overdue";
  if (x.status === "reopened") return "reopened";
  if (x.firstResponseAt) return "answered";
  return x.status === "new" ? "unclaimed" : "claimed";
}

export interface DigestView {
  readonly property: string;
  /** The day covered, "2026-11-22". */
  readonly date: string;
  readonly figures: DigestFigures;
  /** The 09:00 the sign-off is due by. */
  readonly signBy: Date;
  /** Set when the post is made late (caught up after downtime): when it was due. */
  readonly lateSince?: Date | null;
  /** Who signed and when, once someone has. */
  readonly signed?: { readonly name: string; readonly at: Date } | null;
  /** Where the day's matters came from (issue 12, item 6). */
  readonly sources?: Breakdown;
  /** The written complaints still owed their written reply, whenever filed (issue 12, item 6). */
  readonly written?: readonly WrittenComplaint[];
}

function ticketLine(x: DigestTicket, asOf: Date): Text {
  const state = followUp(x, asOf);
  return t(NEEDS_PUSH.includes(state) ? "digest.line_push" : "digest.line", {
    number: x.number,
    kind: kindText(x.kind),
    category: categoryText(x.category),
    room: x.roomLabel ?? t("card.not_given"),
    // Posted in the director's chat: numbers typed into the description are masked as on the card.
    summary: truncate(maskPhonesIn(x.description).replace(/\s+/g, " "), SUMMARY),
    follow: followText(x, state),
  });
}

function followText(x: DigestTicket, state: FollowUp): Text {
  const who = x.assigneeName ?? "?";
  if (state === "overdue") return t("digest.follow.overdue", { due: time(x.nextReplyDueAt!) });
  if (state === "answered" || state === "claimed") return t(`digest.follow.${state}`, { name: who });
  return t(`digest.follow.${state}`);
}

/** Up to `max` lines, then one saying how many more there are. */
function capped<T>(items: readonly T[], max: number, line: (item: T) => Text): Text[] {
  const lines = items.slice(0, max).map(line);
  if (items.length > max) lines.push(t("digest.more", { count: items.length - max }));
  return lines;
}

export function digestTexts(v: DigestView): Text[] {
  const f = v.figures;
  const lines: Text[] = [t("digest.title", { property: v.property, date: v.date })];
  if (v.lateSince) lines.push(t("jobs.late", { due: time(v.lateSince) }));
  const created = TICKET_KINDS.reduce((sum, k) => sum + f.created[k], 0);
  lines.push(
    t("digest.counts", { created, ...f.created, resolved: f.resolved }),
    ...(v.sources ? [sourceLine(v.sources)] : []),
    t("digest.open", { asOf: time(f.asOf), open: f.open, overdue: f.overdue }),
  );
  lines.push(f.major.length === 0 ? t("digest.major_none") : t("digest.major_title", { count: f.major.length }));
  lines.push(...capped(f.major, SHOWN.major, (x) => ticketLine(x, f.asOf)));
  if (f.complaints.length === 0) lines.push(t("digest.complaints_none"));
  else {
    const push = f.complaints.filter((x) => NEEDS_PUSH.includes(followUp(x, f.asOf))).length;
    lines.push(t("digest.complaints_title", { count: f.complaints.length, push }));
    lines.push(...capped(f.complaints, SHOWN.complaints, (x) => ticketLine(x, f.asOf)));
  }
  if (v.written) lines.push(...writtenComplaintTexts(v.written, f.asOf));
  if (f.callbacks.length === 0) lines.push(t("digest.callbacks_none"));
  else {
    const by = Object.fromEntries(RATINGS.map((r) => [r, f.callbacks.filter((c) => c.rating === r).length]));
    lines.push(t("digest.callbacks_title", { count: f.callbacks.length, ...by }));
    lines.push(
      ...capped(f.callbacks, SHOWN.callbacks, (c) =>
        t("digest.callback_line", {
          number: c.ticketNumber,
          rating: t(`rating.${c.rating}`),
          by: t(`digest.by_${c.by}`, { name: c.byName ?? "?" }),
          note: c.note ? truncate(maskPhonesIn(c.note), SUMMARY) : "",
        }),
      ),
    );
  }
  lines.push(v.signed ? t("digest.signed_by", { name: v.signed.name, at: time(v.signed.at) }) : t("digest.sign_prompt", { deadline: time(v.signBy) }));
  return lines;
}

/** May this person sign the property's digest? */
export const maySign = (roles: readonly StaffRoleRecord[], propertyId: string): boolean =>
  roles.some((r) => r.propertyId === propertyId && SIGNING_ROLES.includes(r.role));


/** Who signed a post and when, for the digest's last line. */
export async function signature(store: PersonStore, post: PostRecord | null): Promise<{ name: string; at: Date } | null> {
  if (!post?.signedAt) return null;
  return { name: nameOf(post.signedById ? await store.personById(post.signedById) : null), at: post.signedAt };
}

/**
 * 已阅: record the sign-off once. The answer says whether it came before 09:00; a second press
 * is told who signed and when; a day whose digest was never posted has nothing to sign.
 */
export async function signDigest(
  deps: { readonly store: PersonStore; readonly ledger: JobLedger },
  person: PersonRecord,
  roles: readonly StaffRoleRecord[],
  target: { readonly propertyId: string; readonly date: string; readonly timeZone: string },
  now: Date,
): Promise<Text> {
  if (!maySign(roles, target.propertyId)) return t("digest.sign_not_allowed");
  const signed = await deps.ledger.sign(digestKey(target.propertyId, target.date), person.id, now);
  if (!signed.ok && signed.code === "not_found") return t("digest.not_posted", { date: target.date });
  if (!signed.ok) {
    const by = await signature(deps.store, signed.post);
    return t("digest.already_signed", { date: target.date, name: by?.name ?? "?", at: time(by?.at ?? now) });
  }
  const deadline = signDeadline(target.date, target.timeZone);
  const params = { date: target.date, name: nameOf(person), at: time(now), deadline: time(deadline) };
  return now.getTime() < deadline.getTime() ? t("digest.signed_on_time", params) : t("digest.signed_late", params);
}

/** Yesterday in the zone, relative to `now`: the day a digest made at `now` covers. */
export const yesterday = (now: Date, timeZone: string): string => localDay(now, timeZone, -1).key;

/** True when `date` is after the local date of `now` (nothing to report yet). */
export const isFuture = (date: string, now: Date, timeZone: string): boolean => date > localDateKey(now, timeZone);

/**
 * A property's time zone: the one its SLA policy names when an admin set one for it
 * (`sla set HG timezone=…`), else the company's (TIMEZONE), which the schedules run in.
 */
export async function propertyTimeZone(sla: Pick<SlaStore, "overridesOf" | "policyOf">, companyZone: string, propertyId: string): Promise<string> {
  if ((await sla.overridesOf(propertyId)).timezone === undefined) return companyZone;
  return (await sla.policyOf(propertyId)).businessHours.timeZone;
}
