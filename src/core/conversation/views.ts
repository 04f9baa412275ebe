/**
 * What the owner reads, as locale keys: the classification, the record read back for
 * confirmation (记清楚), a ticket with its history. No strings are built here.
 */
import type { Choice } from "../messages.js";
import type { PropertyRecord } from "../property/store.js";
import type { TicketEventRecord, TicketRecord } from "../ticket/store.js";
import { t, type MessageKey, type Text } from "../text.js";
import type { Category, MajorReason, TicketKind } from "../ticket/kinds.js";
import type { TicketStatus } from "../ticket/status.js";
import type { Draft, FieldId } from "./state.js";
import { truncate } from "./validate.js";

export const kindText = (k: TicketKind): Text => t(`kind.${k}` as MessageKey);
export const categoryText = (c: Category): Text => t(`category.${c}` as MessageKey);
export const statusText = (s: TicketStatus): Text => t(`status.${s}` as MessageKey);
export const reasonText = (r: MajorReason): Text => t(`major.${r}` as MessageKey);
export const fieldText = (f: FieldId): Text => t(`field.${f}` as MessageKey);
export const time = (d: Date): { time: string } => ({ time: d.toISOString() });
const raw = (value: string): Text => t("common.raw", { value });

/** A list joined by the locale's separator, e.g. 漏水、燃气 / flooding, gas. */
function joined(items: Text[]): Text {
  return items.slice(1).reduce<Text>((acc, item) => t("common.join", { a: acc, b: item }), items[0]!);
}

export function classificationTexts(d: Draft): Text[] {
  const texts = [
    t("classify.understood", {
      kind: kindText(d.kind ?? "complaint"),
      category: categoryText(d.category ?? "other"),
    }),
  ];
  if (d.major) {
    texts.push(
      d.majorReasons.length > 0
        ? t("classify.major_because", { reasons: joined(d.majorReasons.map(reasonText)) })
        : t("classify.major"),
    );
  }
  texts.push(t("classify.confirm"));
  return texts;
}

export function classificationChoices(d: Draft): Choice[] {
  return [
    { value: "yes", label: t("choice.classify_yes") },
    { value: "kind", label: t("choice.change_kind") },
    { value: "category", label: t("choice.change_category") },
    { value: "major", label: t(d.major ? "choice.unmark_major" : "choice.mark_major") },
  ];
}

const SHOWN_DESCRIPTION = 300;

/** The record as it will be filed, one line a field; skipped fields are named for staff. */
export function reviewTexts(d: Draft, property: PropertyRecord | undefined): Text[] {
  const lines: Text[] = [t("review.title")];
  const kind = t("review.kind", { kind: kindText(d.kind!), category: categoryText(d.category ?? "other") });
  lines.push(d.major ? t("review.kind_major", { kind }) : kind);
  if (property) lines.push(t("review.property", { value: property.name }));
  if (d.room) lines.push(t("review.room", { value: d.room }));
  if (d.name || d.phone) lines.push(t("review.contact", { name: d.name ?? "-", phone: d.phone ?? "-" }));
  if (d.location) {
    lines.push(
      d.location === "home"
        ? t("review.location_home")
        : t("review.location_common", { place: d.place ?? "-" }),
    );
  }
  lines.push(t("review.description", { value: truncate(d.description, SHOWN_DESCRIPTION) }));
  if (d.since) lines.push(t("review.since", { value: d.since }));
  if (d.photos.length > 0) lines.push(t("review.photos", { count: d.photos.length }));
  if (d.visitTime) lines.push(t("review.visit_time", { value: d.visitTime }));
  if (d.skipped.length > 0) lines.push(t("review.skipped", { fields: joined(d.skipped.map(fieldText)) }));
  lines.push(t("review.confirm"));
  return lines;
}

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

export function eventLine(e: TicketEventRecord): Text {
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

export { raw as rawText };
