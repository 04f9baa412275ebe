/**
 * The guided first minute: file a leak as an owner, claim it in the staff group, promise and
 * reply, resolve, rate, move to 08:30 tomorrow, sign the digest (seed 000 §3 item 4: the director
 * reads yesterday's complaints and signs before 09:00). Each step is read from the store, on the
 * newest ticket, so it checks off however it was done (button or command, any sender).
 */
import { digestKey } from "../../core/reports/digest.js";
import type { JobLedger } from "../../core/scheduled/ledger.js";
import type { TicketStore } from "../../core/ticket/store.js";
import { TICKET_STATUSES } from "../../core/ticket/status.js";
import type { Clock } from "../../core/time/clock.js";
import { localDateKey, localParts, zonedInstant } from "../../core/time/zone.js";

export const GUIDE_STEPS = ["file", "claim", "promise_reply", "resolve", "rate", "morning", "sign"] as const;
export type GuideStep = (typeof GUIDE_STEPS)[number];

export interface GuideDeps {
  readonly store: Pick<TicketStore, "findTickets" | "ticketEvents">;
  readonly ledger: Pick<JobLedger, "find">;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly propertyId: string;
}

/** The steps done, on the newest ticket of the demo property; the ticket's number too. */
export async function guideProgress(deps: GuideDeps): Promise<{ ticket: string | null; done: GuideStep[] }> {
  const tickets = await deps.store.findTickets({ propertyIds: [deps.propertyId], statuses: TICKET_STATUSES, limit: 1000 });
  const ticket = tickets.reduce<(typeof tickets)[number] | null>((a, b) => (!a || b.createdAt >= a.createdAt ? b : a), null);
  if (!ticket) return { ticket: null, done: [] };
  const events = await deps.store.ticketEvents(ticket.id);
  const moved = (to: string) => events.some((e) => e.type === "transition" && e.toStatus === to);
  const filedOn = localParts(ticket.createdAt, deps.timeZone);
  const nextMorning = zonedInstant(deps.timeZone, filedOn.year, filedOn.month, filedOn.day + 1, 8, 30);
  const digest = await deps.ledger.find(digestKey(ticket.propertyId, localDateKey(ticket.createdAt, deps.timeZone)));
  const done: Record<GuideStep, boolean> = {
    file: true,
    claim: moved("claimed"),
    promise_reply: events.some((e) => e.type === "reply_promised") && events.some((e) => e.type === "reply"),
    resolve: moved("resolved"),
    rate: events.some((e) => e.type === "rated"),
    morning: deps.clock.now() >= nextMorning,
    sign: digest?.signedAt != null,
  };
  return { ticket: ticket.number, done: GUIDE_STEPS.filter((s) => done[s]) };
}
