/**
 * What the callback reminders say (locales/*.callbacks.json): which ticket, by when, who calls
 * back, and how to record the call.
 */
import { kindText, time } from "../ticket/views.js";
import { truncate } from "../util/input.js";
import { maskPhonesIn } from "../people/phone.js";
import type { PersonRecord } from "../people/store.js";
import type { TicketRecord } from "../ticket/store.js";
import { t, type Text } from "../text.js";
import type { Level } from "./deadlines.js";
import type { DueCallback } from "./callback-plan.js";
import { personName } from "./notices.js";

const KEYS: Readonly<Record<Level, "callbacks.remind" | "callbacks.late" | "callbacks.up">> = { 1: "callbacks.remind", 2: "callbacks.late", 3: "callbacks.up" };

export function callbackTexts(ticket: TicketRecord, callback: DueCallback, level: Level, follower: PersonRecord | null, late: Date | null): Text[] {
  const key = level === 1 && callback.promised ? "callbacks.remind_promised" : KEYS[level];
  const text = t(key, {
    number: ticket.number,
    kind: kindText(ticket.kind),
    room: ticket.roomLabel ?? t("sla.nobody"),
    resolved: time(ticket.resolvedAt ?? callback.due),
    due: time(callback.due),
    by: callback.by === "director" ? t("callbacks.by.director") : personName(follower),
    // Read in groups: a phone typed into the description is masked, as on the card.
    summary: truncate(maskPhonesIn(ticket.description).replace(/\s+/g, " "), 80),
  });
  return [text, ...(level === 1 ? [t("callbacks.how", { number: ticket.number })] : []), ...(late ? [t("jobs.late", { due: time(late) })] : [])];
}
