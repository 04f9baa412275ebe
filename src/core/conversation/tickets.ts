/**
 * An owner's own tickets: the list, one ticket with its history, and adding information to an
 * open ticket. Owners see only their own tickets, and never staff's internal notes.
 */
import type { Choice } from "../messages.js";
import type { TicketRecord } from "../ticket/store.js";
import { t, type Text } from "../text.js";
import { parseTicketNumber } from "../ticket/number.js";
import { isOpen } from "../ticket/status.js";
import type { Turn } from "./turn.js";
import { ticketLine, ticketTexts } from "../ticket/views.js";
import { ownerAdded } from "../staff/who-is-told.js";
import { hasWords } from "../util/input.js";
import { hotlineChoice, pastSevenDays } from "../hotline/owner.js";

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
export async function ownTicket(turn: Turn, typed: string): Promise<TicketRecord | null> {
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
  // Past the 7-day mark the answer carries the hotline's button (issue 14 item 2; seed 002 §4.3.3).
  const late = turn.env.hotline !== undefined && pastSevenDays(ticket, turn.env.clock.now());
  const texts = [...ticketTexts(ticket, events), ...(late ? [t("hotline.owner.offer_late", { number: ticket.number })] : [])];
  const choices: Choice[] = isOpen(ticket.status) ? [{ value: `add:${ticket.number}`, label: t("choice.add_info") }, ...(late ? [hotlineChoice(ticket.number)] : [])] : [];
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

/**
 * Append the owner's words or photo to the ticket's history and tell whoever follows it (跟清楚);
 * a ticket waiting on the owner is worked on again. The owner is told where their words went:
 * `said`, or "added to HG-0001".
 */
export async function addInfo(turn: Turn, ticket: TicketRecord, what: { text: string } | { fileRef: string }, said?: Text): Promise<void> {
  const { store, clock, channel } = turn.env;
  const at = clock.now();
  const base = { at, actorKind: "owner" as const, actorId: turn.person.id, channel, fromStatus: null, toStatus: null };
  const waiting = ticket.status === "waiting_owner";
  const added = "text" in what ? { text: what.text } : { photos: ticket.photoCount + 1 };
  // The card changes with a photo (its count) or a status back from 等待您回复.
  const outbox = await ownerAdded(turn.env, ticket, added, waiting || "photos" in added);
  if ("text" in what) await store.appendEvent(ticket.id, { ...base, type: "info_added", data: { text: what.text } }, undefined, outbox);
  else await store.appendEvent(ticket.id, { ...base, type: "photo_added", data: { fileRef: what.fileRef } }, undefined, outbox);
  if (waiting) {
    await store.applyTransition(ticket.id, "waiting_owner", "in_progress", {
      ...base,
      type: "transition",
      fromStatus: "waiting_owner",
      toStatus: "in_progress",
      data: { action: "owner_replied" },
    });
  }
  turn.say(said ?? ("text" in added ? t("add.done", { number: ticket.number }) : t("add.photo_done", { number: ticket.number, count: added.photos })));
}

/** A photo and its caption, or words, added to a ticket; `said` replaces what the owner is told of the words. */
export async function addSent(turn: Turn, ticket: TicketRecord, sent: { text?: string; fileRef?: string }, said?: Text): Promise<void> {
  if (sent.fileRef) await addInfo(turn, ticket, { fileRef: sent.fileRef });
  if (!sent.text) return;
  // After a photo the ticket is read again: it may have left 等待您回复 with it.
  const now = sent.fileRef ? ((await turn.env.store.ticketById(ticket.id)) ?? ticket) : ticket;
  await addInfo(turn, now, { text: sent.text }, said);
}

/** A photo captioned `/add HG-0005 words`: added to that ticket of the owner's, if it is open. */
export async function addPhotoTo(turn: Turn, typed: string, fileRef: string, text: string): Promise<void> {
  const ticket = await ownTicket(turn, typed);
  if (!ticket) return;
  if (!isOpen(ticket.status)) return turn.say(t("error.ticket_not_open", { number: ticket.number }));
  await addSent(turn, ticket, { fileRef, ...(hasWords(text) ? { text } : {}) });
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
