/**
 * What the SLA jobs say, as locale keys (locales/*.sla.json): which ticket, what is overdue and
 * since when, who follows it, and the command that settles it.
 */
import { kindText, statusText, time } from "../ticket/views.js";
import { truncate } from "../util/input.js";
import { maskPhonesIn } from "../people/phone.js";
import type { PersonRecord } from "../people/store.js";
import type { TicketRecord } from "../ticket/store.js";
import { t, type MessageKey, type Text } from "../text.js";
import type { Deadline, Level } from "./deadlines.js";
import type { SlaPolicy } from "./policy.js";

const DAY = 24 * 60;

/** Said under a post made late (caught up after downtime): when it was due. */
const lateNote = (late: Date | null): Text[] => (late ? [t("jobs.late", { due: time(late) })] : []);

export const personName = (p: PersonRecord | null): Text =>
  p ? t("common.raw", { value: p.name ?? p.displayName ?? p.username ?? "?" }) : t("sla.nobody");

/** One level's message. */
export function overdueTexts(ticket: TicketRecord, deadline: Deadline, level: Level, assignee: PersonRecord | null, late: Date | null, policy: SlaPolicy): Text[] {
  const key = `sla.overdue.${deadline.kind}.${level}` as MessageKey;
  const text = t(key, {
    number: ticket.number,
    kind: kindText(ticket.kind),
    due: time(deadline.due),
    since: time(ticket.createdAt),
    who: personName(assignee),
    status: statusText(ticket.status),
    days: Math.round(policy.complaintEscalateMinutes / DAY),
    // Reminders are read in the staff group: a phone typed into the description is masked there too.
    summary: truncate(maskPhonesIn(ticket.description).replace(/\s+/g, " "), 80),
  });
  return [text, ...lateNote(late)];
}
