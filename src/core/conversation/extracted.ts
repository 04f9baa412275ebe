/**
 * What the optional model picked out of the owner's free text (issue 15, item 3), taken into the
 * draft so the bot asks only what is still missing (问清楚). Each value goes through the field's
 * own parser, exactly as if the owner had typed it as the answer, so a room the registry does not
 * know or a phone that is not one is simply asked for later. What the owner already answered or
 * skipped is never overwritten, and every value taken is shown at once and again in the read-back
 * (记清楚) for the owner to confirm or correct.
 */
import { EXTRACTED_FIELDS, type Extracted, type ExtractedField } from "../classify/owner-text.js";
import { t, type Text } from "../text.js";
import { fieldSpec, FLOWS, type FieldContext } from "./fields.js";
import type { Draft } from "./state.js";
import type { Turn } from "./turn.js";

/** Each value's line, as the read-back words it (views.ts reviewTexts). */
function shown(d: Draft, field: ExtractedField): Text | null {
  switch (field) {
    case "room":
      return d.room ? t("review.room", { value: d.room }) : null;
    case "name":
    case "phone":
      return null; // one contact line for both, below
    case "location":
      return d.location === "home" ? t("review.location_home") : null;
    case "place":
      return d.place ? t("review.location_common", { place: d.place }) : null;
    case "since":
      return d.since ? t("review.since", { value: d.since }) : null;
    case "visitTime":
      return d.visitTime ? t("review.visit_time", { value: d.visitTime }) : null;
  }
}

function alreadyKnown(d: Draft, field: ExtractedField): boolean {
  return d[field] !== undefined || d.skipped.includes(field);
}

/** Takes what parses; says what was taken ("I noted: …"), or nothing when nothing was. */
export async function takeExtracted(turn: Turn, extracted: Extracted): Promise<void> {
  const d = turn.state.draft!;
  const flow = d.kind ? FLOWS[d.kind] : null;
  const properties = await turn.env.properties();
  // A room is read against the property it is in: only when that is already clear.
  const propertyId = d.propertyId ?? (properties.length === 1 ? properties[0]!.id : undefined);
  const ctx: FieldContext = {
    draft: { ...d, propertyId },
    properties,
    ownerRooms: [],
    store: turn.env.store,
    locale: turn.locale,
  };
  const taken: ExtractedField[] = [];
  for (const field of EXTRACTED_FIELDS) {
    const value = extracted[field];
    if (value === undefined || alreadyKnown(d, field) || (flow && !flow.includes(field))) continue;
    if (field === "room" && propertyId === undefined) continue;
    if (field === "place" && (extracted.location ?? d.location) !== "common") continue;
    const answer = field === "location" ? fieldSpec(field).readChoice?.(`loc:${value}`, ctx) : await fieldSpec(field).readText?.(value, ctx);
    if (!answer?.ok) continue;
    Object.assign(d, answer.patch);
    taken.push(field);
  }
  if (taken.length === 0) return;
  const lines: Text[] = [t("hear.extracted")];
  for (const field of taken) {
    const line = shown(d, field);
    if (line) lines.push(line);
  }
  if (taken.includes("name") || taken.includes("phone")) lines.push(t("review.contact", { name: d.name ?? "-", phone: d.phone ?? "-" }));
  turn.say(...lines);
}
