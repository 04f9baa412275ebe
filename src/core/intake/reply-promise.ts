/**
 * When the owner is told they will hear back at filing (跟清楚: "fix the next reply time").
 * A major matter is reported at once (五清楚's 报告, seed 000 §2(2)A f), so its promise is short.
 * These are fixed defaults until per-property SLA policies exist (the follow-up clock issue);
 * they are wall-clock durations, not business hours.
 */
import type { TicketKind, TicketWeight } from "../ticket/kinds.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const FIRST_REPLY_WITHIN: Readonly<Record<TicketKind, number>> = {
  repair: 2 * HOUR,
  complaint: 4 * HOUR,
  inquiry: 4 * HOUR,
  suggestion: 24 * HOUR,
  praise: 24 * HOUR,
};
export const MAJOR_FIRST_REPLY_WITHIN = 30 * MINUTE;

export function firstReplyDue(kind: TicketKind, weight: TicketWeight, filedAt: Date): Date {
  const within = weight === "major" ? MAJOR_FIRST_REPLY_WITHIN : FIRST_REPLY_WITHIN[kind];
  return new Date(filedAt.getTime() + within);
}
