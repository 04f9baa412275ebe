/**
 * A ticket as people read it, as locale keys: its kind, category, status, a one-line summary, its
 * history. Shared by the owner's `/status`, the staff card, reminders and reports. No strings are
 * built here.
 */
import { t, type MessageKey, type Text } from "../text.js";
import { truncate } from "../util/input.js";
import type { Category, MajorReason, TicketKind } from "./kinds.js";
import type { TicketStatus } from "./status.js";
import type { TicketEventRecord, TicketRecord } from "./store.js";

export const kindText = (k: TicketKind): Text => t(`kind.${k}` as MessageKey);
export const categoryText = (c: Category): Text => t(`category.${c}` as MessageKey);
export const statusText = (s: TicketStatus): Text => t(`status.${s}` as MessageKey);
export const reasonText = (r: MajorReason): Text => t(`major.${r}` as MessageKey);
export const time = (d: Date): { time: string } => ({ time: d.toISOString() });
export const rawText = (value: string): Text => t("common.raw", { value });

/** How much of a description is shown where the whole would not fit. */
export const SHOWN_DESCRIPTION = 300;

export function ticketLine(ticket: TicketRecord): Text {
  return t("ticket.line", {
    number: ticket.number,
    kind: kindText(ticket.kind),
    status: statusText(ticket.status),
    created: time(ticket.createdAt),
    summary: truncate(ticket.description.replace(/\s+/g, " "), 24),
  });
}

const SHOWN_EVENTS = 10;

export function ticketTexts(ticket: TicketRecord, events: readonly TicketEventRecord[]): Text[] {
  const lines: Text[] = [
    t("ticket.header", { number: ticket.number, kind: kindText(ticket.kind), category: categoryText(ticket.category) }),
    t("ticket.status", { status: statusText(ticket.status) }),
    t("ticket.description", { value: truncate(ticket.description, SHOWN_DESCRIPTION) }),
  ];
  if (ticket.nextReplyDueAt && ticket.status !== "closed" && ticket.status !== "cancelled") {
    lines.push(t("ticket.next_reply", { due: time(ticket.nextReplyDueAt) }));
  }
  lines.push(t("ticket.history"));
  const shown = events.slice(-SHOWN_EVENTS);
  if (events.length > shown.length) lines.push(t("ticket.history_more", { count: events.length - shown.length }));
  for (const e of shown) lines.push(eventLine(e));
  return lines;
}

/**
 * One line of the history; a step an owner by phone was told by phone says so (issue 12 item 2),
 * and a dissatisfied callback the next callback time promised.
 */
export function eventLine(e: TicketEventRecord): Text {
  let line = eventBody(e);
  if (e.type === "callback" && typeof e.data.next === "string") line = t("event.callback_next", { line, due: time(new Date(e.data.next)) });
  return e.data.byPhone === true ? t("event.by_phone", { line }) : line;
}

function eventBody(e: TicketEventRecord): Text {
  const at = time(e.at);
  const actor = t(`actor.${e.actorKind}` as MessageKey);
  switch (e.type) {
    case "transition":
      return t("event.transition", { at, actor, status: statusText(e.toStatus ?? "new") });
    case "info_added":
      return t("event.info_added", { at, actor, text: truncate(String(e.data.text ?? ""), 60) });
    case "reply_promised":
      return t("event.reply_promised", { at, actor, due: time(new Date(String(e.data.due))) });
    case "note":
      return t("event.note", { at, actor });
    case "reply":
      return t("event.reply", { at, text: truncate(String(e.data.text ?? ""), 60) });
    case "callback":
      return t("event.callback", { at, rating: t(`rating.${String(e.data.rating)}` as MessageKey) });
    case "rated":
      return t("event.rated", { at, rating: t(`rating.${String(e.data.rating)}` as MessageKey) });
    case "transferred":
      return t(e.data.to ? "event.transferred_person" : "event.transferred", { at, actor });
    default:
      return t(`event.${e.type}` as MessageKey, { at, actor });
  }
}
