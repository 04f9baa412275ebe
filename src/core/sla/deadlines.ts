/**
 * A ticket's deadlines under its property's policy, and the ladder that follows a passed one.
 *
 * - claim (受理): a new ticket is claimed within the policy's business minutes, a major one within
 *   minutes of wall-clock time, day or night (seed 000 §2(2)A f: reported at once). The clock
 *   starts again when a ticket goes back to waiting for a claim: unclaimed (back in the pool) or
 *   reopened (不满意: to be taken up again, seed 000 §2(3)A c, fixed at once);
 * - reply (跟清楚): the promised next reply, `nextReplyDueAt` (the first one set at filing, later
 *   ones by /promise). A reply clears it; a new promise moves it, and is a new deadline;
 * - unresolved: a complaint still open after 7 days goes up in writing to the group head and
 *   the quality office (seed 002 §4.3.3);
 * - the callback (回访) within 24 hours of resolution (seed 002 §4.6.1) is not on the ladder:
 *   the callback reminders list it to the person responsible.
 *
 * A VIP's ticket (重要业主, issue 13 §2) has its own claim and first-reply times, half the usual
 * by default (`vip.claim`, `vip.reply`), counted in business minutes like the usual ones; a major
 * matter keeps its wall-clock times, which are already the shortest, VIP or not.
 *
 * The ladder: level 1 at the deadline reminds the assignee, level 2 one step later tells the
 * staff group, level 3 one more step later goes one level up. Each level is posted once, under a
 * ledger key naming the ticket, the deadline (kind and due time) and the level.
 */
import type { TicketRecord } from "../ticket/store.js";
import type { TicketKind, TicketWeight } from "../ticket/kinds.js";
import { OPEN_STATUSES, type TicketStatus } from "../ticket/status.js";
import { addBusinessMinutes } from "./hours.js";
import { vipClaimMinutes, vipReplyMinutes, type SlaPolicy } from "./policy.js";

const MINUTE = 60_000;

export type DeadlineKind = "claim" | "reply" | "unresolved";
export type Level = 1 | 2 | 3;

export interface Deadline {
  readonly kind: DeadlineKind;
  readonly due: Date;
  /** The ladder's steps count business minutes; a major matter's count wall-clock minutes. */
  readonly business: boolean;
  /** The levels it has: the full ladder, or just the written report of an unresolved complaint. */
  readonly levels: readonly Level[];
}

/** Whom a level is for; recipients.ts names the people and chats. */
export type Audience = "assignee" | "staff" | "up" | "written";

/**
 * Statuses in which each deadline runs; the store's sweep queries use them too. Entering a claim
 * status sets the ticket's `awaitingClaimSince` (the store does, in the same write).
 */
export const CLAIM_STATUSES: readonly TicketStatus[] = ["new", "reopened"];
/** Waiting on the owner (等待您回复), staff owe no reply. */
export const REPLY_STATUSES: readonly TicketStatus[] = OPEN_STATUSES.filter((s) => s !== "waiting_owner");
export const UNRESOLVED_STATUSES: readonly TicketStatus[] = OPEN_STATUSES;

const LADDER: readonly Level[] = [1, 2, 3];

const after = (from: Date, minutes: number, business: boolean, policy: SlaPolicy): Date =>
  business ? addBusinessMinutes(from, minutes, policy.businessHours) : new Date(from.getTime() + minutes * MINUTE);

export function claimDue(filedAt: Date, weight: TicketWeight, policy: SlaPolicy, vip = false): Date {
  const major = weight === "major";
  return after(filedAt, major ? policy.majorClaimMinutes : vip ? vipClaimMinutes(policy) : policy.claimMinutes, !major, policy);
}

/** The reply promised at filing: the owner is told this time (跟清楚, seed 000 §2(2)A c). */
export function firstReplyDue(kind: TicketKind, weight: TicketWeight, filedAt: Date, policy: SlaPolicy, vip = false): Date {
  const major = weight === "major";
  return after(filedAt, major ? policy.majorReplyMinutes : vip ? vipReplyMinutes(policy, kind) : policy.replyMinutes[kind], !major, policy);
}

export function unresolvedDue(filedAt: Date, policy: SlaPolicy): Date {
  return new Date(filedAt.getTime() + policy.complaintEscalateMinutes * MINUTE);
}

/** The deadlines a ticket still has to meet; one that was met (claimed, replied, resolved) is gone. */
export function openDeadlines(ticket: TicketRecord, policy: SlaPolicy): Deadline[] {
  const business = ticket.weight !== "major";
  const out: Deadline[] = [];
  if (CLAIM_STATUSES.includes(ticket.status)) {
    const since = ticket.awaitingClaimSince ?? ticket.createdAt;
    out.push({ kind: "claim", due: claimDue(since, ticket.weight, policy, ticket.vip), business, levels: LADDER });
  }
  if (ticket.nextReplyDueAt !== null && REPLY_STATUSES.includes(ticket.status)) {
    out.push({ kind: "reply", due: ticket.nextReplyDueAt, business, levels: LADDER });
  }
  if (ticket.kind === "complaint" && UNRESOLVED_STATUSES.includes(ticket.status)) {
    out.push({ kind: "unresolved", due: unresolvedDue(ticket.createdAt, policy), business: false, levels: [1] });
  }
  return out;
}

/** When a level falls due: the deadline itself, then one step later each. */
export function levelAt(deadline: Deadline, level: Level, policy: SlaPolicy): Date {
  return after(deadline.due, (level - 1) * policy.stepMinutes, deadline.business, policy);
}

/** The levels due by `now`, lowest first. */
export function reachedLevels(deadline: Deadline, now: Date, policy: SlaPolicy): Level[] {
  return deadline.levels.filter((level) => levelAt(deadline, level, policy).getTime() <= now.getTime());
}

export function audienceOf(deadline: Deadline, level: Level): Audience {
  if (deadline.kind === "unresolved") return "written";
  return level === 1 ? "assignee" : level === 2 ? "staff" : "up";
}

/** The ledger's period for a deadline: a moved promise is another deadline, with its own posts. */
export function deadlinePeriod(ticketId: string, deadline: Deadline): string {
  return `${ticketId}:${deadline.kind}:${deadline.due.toISOString()}`;
}

export const levelTarget = (level: Level): string => `level:${level}`;
