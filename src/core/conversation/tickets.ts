/**
 * An owner's own tickets: the list, one ticket with its history, and adding information to an
 * open ticket. Owners see only their own tickets, and never staff's internal notes.
 */
import type { Choice } from "../messages.js";
import type { TicketRecord } from "../ticket/store.js";
import { t } from "../text.js";
import { parseTicketNumber } from "../ticket/number.js";
import { isOpen } from "../ticket/status.js";
import type { Turn } from "./turn.js";
import { ticketLine, ticketTexts } from "../ticket/views.js";

const LISTED = 10;
const LISTED_AS_BUTTONS = 5;

/** In the middle of an intake, views come without buttons so the question's buttons stay in force. */
const busy = (turn: Turn) => turn.state.draft !== undefined;

export async function listTickets(turn: Turn): Promise<void> {
  const tickets = await turn.env.store.ticketsOfOwner(turn.person.id, LISTED);
  if (tickets.length === 0) {
    turn.say(t("tickets.none"));
    return;
  }
  const lines = [t("tickets.title", { count: tickets.length }), ...tickets.map(ticketLine), t("tickets.hint")];
  if (busy(turn)) return turn.say(...lines);
  turn.ask(
    lines,
    tickets.slice(0, LISTED_AS_BUTTONS).map((x) => ({ value: `view:${x.number}`, label: t("common.raw", { value: x.number }) })),
  );
}

/** The owner's ticket by a number they typed, or null after telling them it was not found. */
async function ownTicket(turn: Turn, typed: string): Promise<TicketRecord | null> {
  const number = parseTicketNumber(typed);
  const ticket = number ? await turn.env.store.ticketByNumber(number) : null;
  // Someone else's ticket reads exactly like a missing one: owners must not learn of others'.
  if (!ticket || ticket.ownerId !== turn.person.id) {
    turn.say(t("error.ticket_not_found", { number: typed.slice(0, 20) }));
    return null;
  }
  return ticket;
}

export async function showTicket(turn: Turn, typed: string): Promise<void> {
  const ticket = await ownTicket(turn, typed);
  if (!ticket) return;
  const events = (await turn.env.store.ticketEvents(ticket.id)).filter((e) => e.type !== "note");
  const texts = ticketTexts(ticket, events);
  const choices: Choice[] = isOpen(ticket.status) ? [{ value: `add:${ticket.number}`, label: t("choice.add_info") }] : [];
  if (busy(turn) || choices.length === 0) return turn.say(...texts);
  turn.ask(texts, choices);
}

/** Start adding to a ticket: with the words at once, or by asking for them. */
export async function beginAddInfo(turn: Turn, typed: string, text: string): Promise<void> {
  const ticket = await ownTicket(turn, typed);
  if (!ticket) return;
  if (!isOpen(ticket.status)) {
    turn.say(t("error.ticket_not_open", { number: ticket.number }));
    return;
  }
  if (text) return addInfo(turn, ticket, { text });
  if (busy(turn)) {
    turn.say(t("add.usage_busy", { number: ticket.number }));
    return;
  }
  turn.state.step = "add_info";
  turn.state.ticketNumber = ticket.number;
  turn.ask([t("ask.add_info", { number: ticket.number })], []);
}

/** Append the owner's words or photo to the ticket's history; a ticket waiting on them moves on. */
export async function addInfo(
  turn: Turn,
  ticket: TicketRecord,
  what: { text: string } | { fileRef: string },
): Promise<void> {
  const { store, clock, channel } = turn.env;
  const at = clock.now();
  const base = { at, actorKind: "owner" as const, actorId: turn.person.id, channel, fromStatus: null, toStatus: null };
  if ("text" in what) await store.appendEvent(ticket.id, { ...base, type: "info_added", data: { text: what.text } });
  else await store.appendEvent(ticket.id, { ...base, type: "photo_added", data: { fileRef: what.fileRef } });
  if (ticket.status === "waiting_owner") {
    await store.applyTransition(ticket.id, "waiting_owner", "in_progress", {
      ...base,
      type: "transition",
      fromStatus: "waiting_owner",
      toStatus: "in_progress",
      data: { action: "owner_replied" },
    });
  }
  turn.say(t("add.done", { number: ticket.number }));
}

export async function addInfoToCurrent(turn: Turn, what: { text: string } | { fileRef: string }): Promise<void> {
  const typed = turn.state.ticketNumber ?? "";
  turn.state.step = "idle";
  turn.state.ticketNumber = undefined;
  const ticket = await ownTicket(turn, typed);
  if (!ticket) return;
  if (!isOpen(ticket.status)) return turn.say(t("error.ticket_not_open", { number: ticket.number }));
  await addInfo(turn, ticket, what);
}
