/**
 * When a resolved ticket's callback (回访) falls due and who makes it (issue 12 item 5). Seed 000
 * §2(3)A: the director is responsible for callbacks (a), calls back "按用户投诉的程度" at a time fixed
 * by the matter (b), and a dissatisfied owner is given the next callback time (c: 确定下次回访时间).
 *
 * Each callback climbs a ladder like the overdue one (src/core/sla/deadlines.ts): level 1 tells the
 * person responsible to call, level 2 tells the staff group it is late, level 3 goes one level up.
 */
import type { TicketRecord } from "../ticket/store.js";
import { localParts, zonedInstant } from "../time/zone.js";
import { addBusinessMinutes, isWithinHours, type BusinessHours } from "./hours.js";
import type { Level } from "./deadlines.js";
import type { CallbackBy, CallbackPlan, SlaPolicy } from "./policy.js";

const MINUTE = 60_000;

/** A callback a resolved ticket is owed, with the times its ladder's levels fall due. */
export interface DueCallback {
  readonly by: CallbackBy;
  /** The time the owner is to be called by: the policy's, or the one promised after a dissatisfied callback. */
  readonly due: Date;
  /** The one promised to the owner (`/callback … 不满意 … next …`), not the policy's. */
  readonly promised: boolean;
  /** Level 1 (the person responsible), 2 (the staff group: late), 3 (one level up). */
  readonly levels: Readonly<Record<Level, Date>>;
}

/** The weight decides for a major or written matter, the kind for the rest; a kind with no callback has none. */
export function planOf(ticket: Pick<TicketRecord, "kind" | "weight">, policy: SlaPolicy): CallbackPlan | null {
  const byKind = policy.callbackPlans[ticket.kind];
  if (byKind === null || ticket.weight === "general") return byKind;
  return policy.callbackPlans[ticket.weight];
}

/** Resolved and not called back (nor rated) since its latest resolution. */
export const awaitsCallback = (t: TicketRecord): boolean =>
  t.status === "resolved" && t.resolvedAt !== null && (t.calledBackAt === null || t.calledBackAt < t.resolvedAt);

/**
 * The callback `ticket` is owed now, or null (not awaiting one, its kind needs none, or nobody
 * filed it: a patrol finding). A time
 * promised after a dissatisfied callback is kept whatever the kind: the owner was told it.
 */
export function dueCallback(ticket: TicketRecord, policy: SlaPolicy): DueCallback | null {
  // A patrol finding (巡检发现) has no owner to call back.
  if (!awaitsCallback(ticket) || ticket.source === "patrol") return null;
  const plan = planOf(ticket, policy);
  const wallClock = ticket.weight === "major";
  const step = (from: Date) => (wallClock ? new Date(from.getTime() + policy.stepMinutes * MINUTE) : addBusinessMinutes(from, policy.stepMinutes, policy.businessHours));
  const ladder = (first: Date, due: Date): Record<Level, Date> => {
    const late = new Date(Math.max(due.getTime(), step(first).getTime()));
    return { 1: first, 2: late, 3: step(late) };
  };
  if (ticket.nextCallbackAt) {
    const due = ticket.nextCallbackAt;
    return { by: plan?.by ?? "follower", due, promised: true, levels: ladder(due, due) };
  }
  if (!plan) return null;
  const resolved = ticket.resolvedAt!;
  const due = plan.within === "same_day" ? businessDayClose(resolved, policy.businessHours) : new Date(resolved.getTime() + plan.within * MINUTE);
  // The owner may rate first; a reminder is not sent at night, unless the matter is major.
  const after = new Date(resolved.getTime() + policy.callbackRemindAfterMinutes * MINUTE);
  const first = new Date(Math.min(wallClock ? after.getTime() : openAt(after, policy.businessHours).getTime(), due.getTime()));
  return { by: plan.by, due, promised: false, levels: ladder(first, due) };
}

/**
 * "The same business day": the close of the business day `at` falls in, or of the next one when
 * `at` is at or after closing or on a day without hours (resolved at 19:00, called back by the
 * next day's 18:00).
 */
export function businessDayClose(at: Date, hours: BusinessHours): Date {
  const day = localParts(openAt(at, hours), hours.timeZone);
  return zonedInstant(hours.timeZone, day.year, day.month, day.day, 0, hours.close);
}

/** `at` itself in business hours, else the next opening. */
function openAt(at: Date, hours: BusinessHours): Date {
  return isWithinHours(at, hours) ? at : new Date(addBusinessMinutes(at, 1, hours).getTime() - MINUTE);
}
