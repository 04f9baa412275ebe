/**
 * What the model is asked and the shape its answer must have (issue 15, item 3): one JSON object,
 * validated by zod whether the service enforced the schema (structured output) or only promised
 * JSON (JSON mode). Every extracted value is null when the owner did not say it.
 */
import { z } from "zod";
import type { OwnerTextReading } from "../../core/classify/owner-text.js";
import { CATEGORIES, LOCATIONS, NAMED_MAJOR_REASONS, TICKET_KINDS } from "../../core/ticket/kinds.js";
import type { Locale } from "../../core/text.js";

// No maxLength: strict structured output on some services rejects it; values are cut below.
const text = z.string().nullable();
const MAX_VALUE_CHARS = 100;

export const ReadingSchema = z.strictObject({
  kind: z.enum(TICKET_KINDS),
  category: z.enum(CATEGORIES),
  major: z.boolean(),
  majorReasons: z.array(z.enum(NAMED_MAJOR_REASONS)),
  room: text,
  name: text,
  phone: text,
  location: z.enum(LOCATIONS).nullable(),
  place: text,
  since: text,
  visitTime: text,
  summary: text,
});
export type ReadingJson = z.infer<typeof ReadingSchema>;

/** The JSON Schema sent as `response_format.json_schema` (strict: every key required, nulls allowed). */
export function readingJsonSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(ReadingSchema) as Record<string, unknown>;
  return schema;
}

const LANGUAGE: Record<Locale, string> = { "zh-CN": "Simplified Chinese", en: "English" };

/**
 * Written once in English: the models a company points this at (DeepSeek, Qwen, a local model)
 * all read it, and the owner's own words go in the user message unchanged. The summary is in
 * the staff's language (the staff group reads it on the card).
 */
export const systemPrompt = (staffLocale: Locale): string => [
  "You read one message an owner sent to the property-management service desk (物业) of a Chinese residential estate.",
  "Answer with one JSON object and nothing else, with exactly these keys:",
  `kind: one of ${TICKET_KINDS.join(", ")} (complaint 投诉, repair request 报修, inquiry 咨询, suggestion 建议, praise 表扬).`,
  `category: one of ${CATEGORIES.join(", ")} (cleaning 清洁, engineering 工程维修, greening 绿化, security 护卫/秩序, parking 停车, fees 物业费, management 整体管理 incl. noise and neighbours, efficiency 工作效率 incl. unanswered phones and no-shows, conduct 言行举止, other).`,
  `major: true when the matter must be reported to a manager at once; majorReasons: any of ${NAMED_MAJOR_REASONS.join(", ")}.`,
  "Major: flooding, fire, gas, a person trapped in a lift, an injury, a theft or fight, a safety hazard that could hurt someone now,",
  "a collective action by several households, a threat to go to the press or social media, to the police, a court or the city hotline 12345, or a matter raised again after earlier reports.",
  "Not major: thanks for or questions about past trouble, ordinary noise or an ordinary fault.",
  "room, name, phone: the owner's room number (e.g. 3-1201), name and phone exactly as written, else null.",
  "location: home when the matter is inside the owner's home, common for a common area, null if unclear; place: the common area named, else null.",
  "since: since when, in the owner's words, else null; visitTime: when a technician may come, in the owner's words, else null.",
  `summary: what the matter is in one line of at most ${SUMMARY_MAX_CHARS} characters in ${LANGUAGE[staffLocale]}, for the staff; null when the message is already that short and in ${LANGUAGE[staffLocale]}.`,
  "Placeholders such as ⟨P1⟩ or ⟨N1⟩ stand for a phone or a name: copy them as they are.",
].join("\n");

/** The card's line: a longer answer is cut. */
const SUMMARY_MAX_CHARS = 60;

export function toReading(json: ReadingJson, restore: (value: string) => string): OwnerTextReading {
  const value = (v: string | null) => (v === null || v.trim() === "" ? undefined : restore(v.trim()).slice(0, MAX_VALUE_CHARS));
  const extracted = {
    room: value(json.room),
    name: value(json.name),
    phone: value(json.phone),
    location: json.location ?? undefined,
    place: value(json.place),
    since: value(json.since),
    visitTime: value(json.visitTime),
  };
  const summary = json.summary === null ? "" : restore(json.summary.replace(/\s+/g, " ").trim()).slice(0, SUMMARY_MAX_CHARS);
  return {
    classification: { kind: json.kind, category: json.category, major: json.major, majorReasons: json.majorReasons },
    extracted: Object.fromEntries(Object.entries(extracted).filter(([, v]) => v !== undefined)),
    ...(summary ? { summary } : {}),
  };
}
