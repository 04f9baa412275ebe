/** The read-back a scribe confirms (记清楚), in the owner's intake's own lines where they fit. */
import { t, type Text } from "../text.js";
import type { DeskDraft } from "./draft.js";
import { kindText, categoryText } from "../ticket/views.js";

export function readBack(d: DeskDraft): Text[] {
  const kind = d.major ? t("review.kind_major", { kind: kindText(d.kind ?? "complaint") }) : kindText(d.kind ?? "complaint");
  const lines: Text[] = [t("frontdesk.review.title", { source: t(`source.${d.source!}`) }), t("review.kind", { kind, category: categoryText(d.category ?? "other") })];
  if (d.room) lines.push(t("review.room", { value: d.room }));
  if (d.source !== "patrol") {
    lines.push(t("review.contact", { name: d.name ?? t("card.not_given"), phone: d.phone ?? t("card.not_given") }));
    lines.push(t(d.owner?.inChat ? "frontdesk.reach.chat" : "frontdesk.reach.phone"));
  }
  lines.push(t("review.description", { value: d.description ?? "" }), t(`frontdesk.how.${d.source!}`));
  return lines;
}
