/**
 * The ticket status machine as a transition table (the shape condo uses for its ticket
 * statuses): a ticket moves only by a named action, and only where the table allows it.
 *
 * The path follows 五清楚 (seed 000 §2(2)A): a ticket is claimed by one person who follows it
 * to the end (跟清楚), may wait on the owner, is resolved and told to the owner (复清楚), and
 * closed once the owner has confirmed or the callback (回访) is done. An owner who is not
 * satisfied reopens it (seed 000 §2(3)A c: dissatisfaction found on a callback is fixed at once).
 */

export const TICKET_STATUSES = ["new", "claimed", "in_progress", "waiting_owner", "resolved", "closed", "reopened", "cancelled"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_ACTIONS = ["claim", "unclaim", "start", "await_owner", "owner_replied", "resolve", "close", "reopen", "cancel"] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** Who may take an action: the owner who filed the ticket, staff of the property, or the system. */
export type ActorKind = "owner" | "staff" | "system";

interface Rule {
  readonly to: TicketStatus;
  readonly by: readonly ActorKind[];
}

const STAFF = ["staff"] as const;
const STAFF_SYSTEM = ["staff", "system"] as const;

/** What its follower may do with a ticket they are working on, claimed or in progress. */
const BEING_WORKED: Partial<Record<TicketAction, Rule>> = {
  unclaim: { to: "new", by: STAFF },
  await_owner: { to: "waiting_owner", by: STAFF },
  resolve: { to: "resolved", by: STAFF },
};

/** from status → action → rule. Anything not listed is not allowed. */
export const TRANSITIONS: Readonly<Record<TicketStatus, Partial<Record<TicketAction, Rule>>>> = {
  new: {
    claim: { to: "claimed", by: STAFF },
    resolve: { to: "resolved", by: STAFF },
    cancel: { to: "cancelled", by: ["owner", "staff"] },
  },
  claimed: { ...BEING_WORKED, start: { to: "in_progress", by: STAFF }, cancel: { to: "cancelled", by: ["owner", "staff"] } },
  in_progress: { ...BEING_WORKED, cancel: { to: "cancelled", by: STAFF } },
  waiting_owner: {
    owner_replied: { to: "in_progress", by: ["owner", "system"] },
    resolve: { to: "resolved", by: STAFF },
    cancel: { to: "cancelled", by: STAFF },
  },
  resolved: {
    close: { to: "closed", by: ["owner", "staff", "system"] },
    reopen: { to: "reopened", by: ["owner", "staff"] },
  },
  closed: {
    // The hotline (seed 002 §4.1) takes complaints from owners unsatisfied with a finished case.
    reopen: { to: "reopened", by: STAFF },
  },
  reopened: {
    claim: { to: "claimed", by: STAFF },
    resolve: { to: "resolved", by: STAFF },
    cancel: { to: "cancelled", by: STAFF_SYSTEM },
  },
  cancelled: {},
};

/** Statuses in which the ticket still needs someone's work; the owner may add information. */
export const OPEN_STATUSES: readonly TicketStatus[] = ["new", "claimed", "in_progress", "waiting_owner", "reopened"];

export function isOpen(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export type TransitionResult =
  | { ok: true; from: TicketStatus; to: TicketStatus; action: TicketAction }
  | { ok: false; code: "transition_not_allowed"; from: TicketStatus; action: TicketAction }
  | { ok: false; code: "actor_not_allowed"; from: TicketStatus; action: TicketAction; actor: ActorKind };

/** Decide a transition; the caller records it as an event with its actor. */
export function transition(from: TicketStatus, action: TicketAction, actor: ActorKind): TransitionResult {
  const rule = TRANSITIONS[from][action];
  if (!rule) return { ok: false, code: "transition_not_allowed", from, action };
  if (!rule.by.includes(actor)) return { ok: false, code: "actor_not_allowed", from, action, actor };
  return { ok: true, from, to: rule.to, action };
}

/** Actions an actor may take from a status, in table order (for menus and help). */
export function allowedActions(from: TicketStatus, actor: ActorKind): TicketAction[] {
  return (Object.entries(TRANSITIONS[from]) as [TicketAction, Rule][])
    .filter(([, rule]) => rule.by.includes(actor))
    .map(([action]) => action);
}
