/**
 * What the owner reads during an intake, as locale keys: the classification and the record read
 * back for confirmation (记清楚). A ticket's own texts are ../ticket/views.ts. No strings are built here.
 */
import type { Choice } from "../messages.js";
import { t, type MessageKey, type Text } from "../text.js";
import { kindText, categoryText, reasonText, SHOWN_DESCRIPTION } from "../ticket/views.js";
import { fieldSpec } from "./fields.js";
import type { Draft, FieldId } from "./state.js";
import { truncate } from "../util/input.js";
import { maskName } from "../people/name.js";
import { maskPhone } from "../people/phone.js";

export const fieldText = (f: FieldId): Text => t(`field.${f}` as MessageKey);

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
    // possible_major asks the staff to check; the owner is told only that it is being reported.
    const named = d.majorReasons.filter((r) => r !== "possible_major");
    texts.push(named.length > 0 ? t("classify.major_because", { reasons: joined(named.map(reasonText)) }) : t("classify.major"));
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


/**
 * The record as it will be filed, one line a field; required fields left for staff are named
 * (an optional one skipped, a photo, is simply not there). `property` is its name in the owner's language.
 */
export function reviewTexts(d: Draft, property: string | undefined): Text[] {
  const lines: Text[] = [t("review.title")];
  const kind = t("review.kind", { kind: kindText(d.kind!), category: categoryText(d.category ?? "other") });
  lines.push(d.major ? t("review.kind_major", { kind }) : kind);
  if (property) lines.push(t("review.property", { value: property }));
  if (d.room) lines.push(t("review.room", { value: d.room }));
  if (d.name || d.phone) {
    // What came from the roster is read back as it was offered: masked (./roster.ts).
    const name = d.name && d.fromRoster?.includes("name") ? maskName(d.name) : d.name;
    const phone = d.phone && d.fromRoster?.includes("phone") ? maskPhone(d.phone) : d.phone;
    lines.push(t("review.contact", { name: name ?? "-", phone: phone ?? "-" }));
  }
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
  const forStaff = d.skipped.filter((f) => !fieldSpec(f).optional);
  if (forStaff.length > 0) lines.push(t("review.skipped", { fields: joined(forStaff.map(fieldText)) }));
  lines.push(t("review.confirm"));
  return lines;
}

