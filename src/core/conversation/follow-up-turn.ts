/**
 * An owner's words or photo after filing, in a turn: ./follow-up.ts decides where they go, this
 * does it and tells the owner where they went, so nothing is silently misfiled (跟清楚, 复清楚).
 */
import { t } from "../text.js";
import type { TicketRecord } from "../ticket/store.js";
import { isOpen } from "../ticket/status.js";
import { kindText } from "../ticket/views.js";
import { followUp, isAcknowledgement, ticketNamedIn, type OwnerWords } from "./follow-up.js";
import { addSent, ownTicket } from "./tickets.js";
import { hotlineChoice, ownerToHotline } from "../hotline/owner.js";
import { parseTicketNumber } from "../ticket/number.js";
import type { Turn } from "./turn.js";

/** The recent tickets looked at; older ones are reached by replying to them or by /add. */
const RECENT = 10;
/** Tickets offered as buttons when the owner is asked which one. */
const OFFERED = 4;

/** What the owner sent: words, or a photo with its caption. */
export type Sent = { readonly text: string } | { readonly fileRef: string; readonly caption: string | null };

/**
 * Handles what the owner sent outside an intake, unless it starts a new matter: then the text to
 * start it with (the words without "另外…"), and the engine takes in the matter as always.
 */
export async function afterFiling(turn: Turn, sent: Sent): Promise<{ done: true } | { done: false; text: string | undefined }> {
  const tickets = mayHaveFiled(turn) ? await turn.env.store.ticketsOfOwner(turn.person.id, RECENT) : [];
  const replied = await repliedTicket(turn, tickets);
  const words: OwnerWords = "text" in sent ? { type: "text", text: sent.text } : { type: "photo", caption: sent.caption };
  const decided = followUp(words, tickets, replied);
  switch (decided.to) {
    case "ticket": {
      const ticket = tickets.find((x) => x.number === decided.number) ?? replied!;
      const thanks = "text" in sent && isAcknowledgement(sent.text);
      await addSent(turn, ticket, "text" in sent ? { text: sent.text } : { fileRef: sent.fileRef, text: sent.caption ?? undefined }, thanks ? t("followup.ack_added", { number: ticket.number }) : undefined);
      return { done: true };
    }
    case "courtesy":
      turn.say(t("followup.welcome"));
      return { done: true };
    case "which": {
      turn.state.held = "text" in sent ? { text: sent.text } : { fileRef: sent.fileRef, ...(sent.caption ? { text: sent.caption } : {}) };
      const offered = decided.numbers.slice(0, OFFERED).map((n) => tickets.find((x) => x.number === n)!);
      turn.ask(
        [t("followup.which")],
        [...offered.map((x) => ({ value: `fu:${x.number}`, label: t("followup.pick", { number: x.number, kind: kindText(x.kind) }) })), { value: "fu:new", label: t("choice.new_matter") }],
      );
      return { done: true };
    }
    case "intake":
      if (decided.besides.length > 0) turn.say(t("followup.new_matter", { numbers: decided.besides.join(", ") }));
      return { done: false, text: decided.text };
  }
}

/**
 * The owner answered "which one?": the held words go to the ticket picked, or start a new
 * matter (returned for the engine to take in, as `afterFiling`'s).
 */
export async function picked(turn: Turn, choice: string): Promise<{ done: true } | { done: false; text: string | undefined; fileRef: string | undefined }> {
  const held = turn.state.held;
  turn.state.held = undefined;
  if (!held) {
    turn.say(t("error.stale_choice"));
    return { done: true };
  }
  if (choice === "new") return { done: false, text: held.text, fileRef: held.fileRef };
  const ticket = await ownTicket(turn, choice);
  if (!ticket) return { done: true };
  if (!isOpen(ticket.status)) {
    turn.say(t("error.ticket_not_open", { number: ticket.number }));
    return { done: true };
  }
  await addSent(turn, ticket, held);
  return { done: true };
}

/**
 * `/hotline [HG-0001] [words]` and the `hotline:` button (issue 14, items 2-3): the owner takes a
 * matter the property handled to the general manager's hotline; src/core/hotline/owner.ts decides.
 */
export async function toHotline(turn: Turn, args: string): Promise<void> {
  const hotline = turn.env.hotline;
  if (!hotline) return turn.say(t("hotline.owner.unavailable"));
  const [first = "", ...rest] = args.trim().split(/\s+/);
  const number = parseTicketNumber(first);
  const tickets = await turn.env.store.ticketsOfOwner(turn.person.id, RECENT);
  const r = await ownerToHotline(hotline, turn.person, tickets, number, number ? rest.join(" ") : args, turn.env.clock.now());
  switch (r.kind) {
    case "not_handled":
      // §4.1: guided to the property first, and offered to file it with them at once.
      return turn.ask([t("hotline.owner.not_handled"), t("hotline.owner.what_for")], [
        { value: "menu:repair", label: t("hotline.owner.file_repair") },
        { value: "menu:complaint", label: t("hotline.owner.file_complaint") },
      ]);
    case "pick":
      return turn.ask([t("hotline.owner.pick")], r.tickets.slice(0, OFFERED).map((x) => ({ value: `hotline:${x.number}`, label: t("followup.pick", { number: x.number, kind: kindText(x.kind) }) })));
    case "already":
      return turn.say(t("hotline.owner.already", { number: r.case.number }));
    case "filed":
      return turn.say(t("hotline.owner.filed", { number: r.case.number }), ...(r.callsBackFrom ? [t("hotline.owner.off_duty", { from: { time: r.callsBackFrom.toISOString() } })] : []));
  }
}

/** After a 不满意 rating: the hotline is offered for that matter. */
export function offerHotline(turn: Turn, number: string): void {
  if (turn.env.hotline) turn.ask([t("hotline.owner.offer")], [hotlineChoice(number)]);
}

/**
 * Filing remembers the owner's name and phone (every flow asks the name), so an owner with
 * neither on record has filed nothing, and a new owner's first words cost no ticket query: a
 * query through Prisma is the dearest part of that turn (measured: the intake benchmark at
 * saturation). Only an owner who skipped both their name and their phone is taken for new; their
 * words then start an intake, as they did before follow-ups were routed.
 */
function mayHaveFiled(turn: Turn): boolean {
  return turn.person.name !== null || turn.person.phone !== null || turn.env.replyTo !== undefined;
}

/** The owner's ticket the message they answered was about, if it names one of theirs. */
async function repliedTicket(turn: Turn, recent: readonly TicketRecord[]): Promise<TicketRecord | null> {
  const number = ticketNamedIn(turn.env.replyTo?.text);
  if (!number) return null;
  const ticket = recent.find((x) => x.number === number) ?? (await turn.env.store.ticketByNumber(number));
  // Someone else's ticket quoted back at us is no business of this owner's.
  return ticket && ticket.ownerId === turn.person.id ? ticket : null;
}
