/**
 * 交接班: when a shift starts, the property's staff groups get what the shift must pick up
 * (seed 000 §2(1)B: staff read the work log and the follow-up book and take over what needs
 * following in their shift): the handover notes since the last shift started, tickets nobody
 * has claimed, promised replies overdue or due in the next hours, and callbacks still to make.
 */
import type { NewOutboxMessage } from "../outbox.js";
import type { TicketRecord, TicketStore } from "../ticket/store.js";
import { ticketLine } from "../ticket/views.js";
import { truncate } from "../util/input.js";
import { t, type Text } from "../text.js";
import { OPEN_STATUSES } from "../ticket/status.js";
import { isLate, tally, type JobResult } from "../scheduled/run.js";
import { propertyLabel, type PropertyStore } from "../property/store.js";
import type { ChatStore } from "../staff/chats.js";
import type { HandoverStore } from "../staff/handover.js";
import type { PostingDeps } from "../scheduled/run.js";
import type { SlaStore } from "../sla/store.js";
import { dueCallback } from "../sla/callback-plan.js";

/** What this job uses of the ports src/jobs/job.ts hands every job. */
export interface ShiftHandoverDeps extends PostingDeps {
  readonly store: PropertyStore & TicketStore & ChatStore;
  readonly handover: HandoverStore;
  /** The callbacks planned by severity: a resolved inquiry or a patrol finding is no callback to make. */
  readonly sla: Pick<SlaStore, "policyOf">;
}

const HOUR = 3_600_000;
/** Promises falling due within this much of the shift's start are the shift's to keep. */
export const SHIFT_LOOKAHEAD_MS = 10 * HOUR;
const LISTED = 10;
/** Resolved tickets read to find the shift's callbacks among them (most need one). */
const RESOLVED_READ = 100;

export async function shiftHandover(deps: ShiftHandoverDeps, now: Date, slot: Date): Promise<JobResult> {
  const results = [];
  for (const property of await deps.store.properties()) {
    const chats = (await deps.store.propertyChats(property.id, "staff")).filter((c) => c.active);
    if (chats.length === 0) continue;
    // Notes since the previous shift's post (or the last day), so none is shown twice or missed.
    const previous = (await deps.ledger.postsOf("shift_handover", new Date(slot.getTime() - 7 * 24 * HOUR), slot)).filter((p) => p.target === property.id).at(-1);
    const since = previous?.scheduledFor ?? new Date(slot.getTime() - 24 * HOUR);
    const notes = await deps.handover.between(property.id, since, slot, 30);
    const ids = [property.id];
    const unclaimed = await deps.store.findTickets({ propertyIds: ids, statuses: ["new", "reopened"], limit: LISTED });
    const due = await deps.store.findTickets({ propertyIds: ids, statuses: OPEN_STATUSES, replyDueBefore: new Date(slot.getTime() + SHIFT_LOOKAHEAD_MS), limit: LISTED });
    const policy = await deps.sla.policyOf(property.id);
    const resolved = await deps.store.findTickets({ propertyIds: ids, statuses: ["resolved"], limit: RESOLVED_READ });
    const callbacks = resolved.filter((ticket) => dueCallback(ticket, policy) !== null).slice(0, LISTED);
    const late = isLate(now, slot);
    const text: Text[] = [t("shift.title", { property: propertyLabel(property, deps.staffLocale), at: { time: slot.toISOString() } })];
    if (late) text.push(t("jobs.late", { due: { time: slot.toISOString() } }));
    if (notes.length === 0) text.push(t("shift.no_notes"));
    for (const n of notes) text.push(t("handover.line", { at: { time: n.at.toISOString() }, name: n.authorName ?? "?", text: truncate(n.text, 200) }));
    section(text, "shift.unclaimed", unclaimed);
    section(text, "shift.due", due);
    section(text, "shift.callbacks", callbacks);
    const outbox: NewOutboxMessage[] = chats.map((c) => ({ kind: "message", to: { platform: c.platform, chatId: c.chatId }, body: { locale: deps.staffLocale, text } }));
    results.push(
      await deps.ledger.post(
        { job: "shift_handover", period: slot.toISOString(), target: property.id },
        { scheduledFor: slot, at: now, late, data: { notes: notes.length, unclaimed: unclaimed.length, due: due.length, callbacks: callbacks.length }, outbox, bulk: true },
      ),
    );
  }
  return tally(results);
}

function section(text: Text[], key: "shift.unclaimed" | "shift.due" | "shift.callbacks", tickets: readonly TicketRecord[]): void {
  if (tickets.length === 0) return;
  text.push(t(key, { count: tickets.length }), ...tickets.map(ticketLine));
}
