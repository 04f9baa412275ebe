/**
 * Where an owner's words go once they have filed (跟清楚, 复清楚): to the ticket they answer, to
 * the one matter being handled, to a question "which one?", or to a new intake. Pure: the engine
 * loads the owner's tickets and does what is decided here. A front desk that hears "好的,谢谢"
 * after a reply does not open a new file for it, and one that hears "另外还有一件事" does.
 */
import { classify } from "../classify/keywords.js";
import type { Category } from "../ticket/kinds.js";
import { parseTicketNumber } from "../ticket/number.js";
import { isOpen, type TicketStatus } from "../ticket/status.js";

/** What the decision needs to know of one of the owner's tickets. */
export interface OwnerTicket {
  readonly number: string;
  readonly status: TicketStatus;
  readonly category: Category;
}

/** What the owner sent outside an intake: words, or a photo (with its caption, if any). */
export type OwnerWords = { readonly type: "text"; readonly text: string } | { readonly type: "photo"; readonly caption: string | null };

export type FollowUp =
  /** Added to this ticket: the owner replied to a message about it, or it is their one open matter. */
  | { readonly to: "ticket"; readonly number: string; readonly why: "reply" | "only_open" }
  /** Several matters could be meant: the owner picks one of `numbers`, or a new matter. */
  | { readonly to: "which"; readonly numbers: readonly string[] }
  /** A thank-you or an "ok" that belongs to no open matter: answered, nothing filed. */
  | { readonly to: "courtesy" }
  /**
   * A new matter: an intake starts with `text` (the words without "另外…", maybe none). `besides`:
   * open tickets the words were not added to, so the owner is told it is a new one.
   */
  | { readonly to: "intake"; readonly text: string | undefined; readonly besides: readonly string[] };

/**
 * `replied`: the ticket the message the owner answered was about, when it names one of theirs;
 * `tickets`: their recent tickets, newest first.
 */
export function followUp(words: OwnerWords, tickets: readonly OwnerTicket[], replied: OwnerTicket | null): FollowUp {
  const open = tickets.filter((x) => isOpen(x.status));
  const text = words.type === "text" ? words.text : (words.caption ?? "");
  const marker = NEW_MATTER.exec(text);
  const rest = marker ? text.slice(marker[0].length).trim() : text;
  const besides = open.map((x) => x.number);
  if (marker) return { to: "intake", text: rest || undefined, besides };
  if (words.type === "text" && isAcknowledgement(text)) {
    if (replied && isOpen(replied.status)) return { to: "ticket", number: replied.number, why: "reply" };
    return open.length === 1 ? { to: "ticket", number: open[0]!.number, why: "only_open" } : { to: "courtesy" };
  }
  if (replied && isOpen(replied.status)) return { to: "ticket", number: replied.number, why: "reply" };
  if (open.length === 0) return { to: "intake", text: text || undefined, besides };
  const problem = words.type === "text" ? describedProblem(text) : null;
  if (problem) {
    // The same kind of trouble as an open matter may be more of it ("还是漏水"): ask, never guess.
    return open.some((x) => x.category === problem) ? { to: "which", numbers: besides } : { to: "intake", text, besides };
  }
  return open.length === 1 ? { to: "ticket", number: open[0]!.number, why: "only_open" } : { to: "which", numbers: besides };
}

/** The ticket a bot message was about: the one number it names, or null when it names none or several. */
export function ticketNamedIn(text: string | undefined): string | null {
  const found = new Set<string>();
  for (const m of (text ?? "").matchAll(/(?<![A-Za-z])[A-Za-z]{1,6}-\d{4,9}(?!\d)/g)) {
    const number = parseTicketNumber(m[0]);
    if (number) found.add(number);
  }
  return found.size === 1 ? [...found][0]! : null;
}

/** Words that announce another matter, at the start of a message. */
const NEW_MATTER =
  /^\s*(另外还有一件事|另外还有个事|另外还有|另外|还有一件事|还有个事|还有一个问题|还有个问题|另一件事|另一个问题|新问题|one more thing|another (thing|issue|problem|matter)|something else|also|a new (issue|problem|matter)|new (issue|problem|matter))[\s,,.。::;;!!、]*/i;

/** Each piece of a thank-you or an acknowledgement; a message made only of these is one. */
const ACK_PIECES =
  /^(好的|好滴|好嘞|好吧|好|行的|行|可以的|可以|嗯嗯|嗯|哦哦|哦|噢|收到了|收到|知道了|知道|明白了|明白|了解了|了解|谢谢你们|谢谢您|谢谢你|谢谢|多谢|感谢|辛苦了|辛苦|麻烦了|麻烦你们了|okay|ok|kk|k|thanks|thank you very much|thank you so much|thank you|thx|ty|cheers|got it|great|sure|fine|noted|alright|all right|perfect|and|very much|so much|a lot|you|啦|了|呀|哈|的)/i;

/** "好的,谢谢", "ok thanks 👍", "收到,辛苦了!": said to close a turn, not to raise anything. */
export function isAcknowledgement(text: string): boolean {
  let rest = text.toLowerCase().replace(/[\s\p{P}\p{S}\p{Extended_Pictographic}]+/gu, " ").trim();
  if (rest === "") return false;
  while (rest !== "") {
    const m = ACK_PIECES.exec(rest);
    if (!m) return false;
    rest = rest.slice(m[0].length).trimStart();
  }
  return true;
}

/** The category of a problem the words describe (a complaint or a repair), or null for none. */
function describedProblem(text: string): Category | null {
  const c = classify(text);
  return c.matched && (c.kind === "complaint" || c.kind === "repair") ? c.category : null;
}
