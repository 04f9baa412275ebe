/**
 * The questions of 问清楚 as data: what each field asks, when a flow still needs it, and how an
 * answer is read. Source: ../shared/domain.md "Five clears" step 2 (who, where, how to reach
 * them, what exactly happened, since when, photos for a repair) and seed 001 (the front desk
 * records repair details and the convenient time before issuing a work order).
 */
import type { Choice } from "../messages.js";
import type { OwnerRoomRecord } from "../people/store.js";
import { propertyLabel, type PropertyRecord, type PropertyStore } from "../property/store.js";
import { t, type Locale, type MessageKey } from "../text.js";
import type { TicketKind } from "../ticket/kinds.js";
import type { Draft, FieldId } from "./state.js";
import { hasWords, truncate } from "../util/input.js";
import { parseName } from "../people/name.js";
import { parsePhone } from "../people/phone.js";
import { parseRoom } from "../property/room.js";

/** Per kind, the fields asked in order. A field already known is confirmed, not asked. */
export const FLOWS: Readonly<Record<TicketKind, readonly FieldId[]>> = {
  repair: ["property", "room", "name", "phone", "location", "place", "details", "since", "photos", "visitTime"],
  complaint: ["property", "room", "name", "phone", "location", "place", "details", "since"],
  inquiry: ["property", "room", "name", "phone", "details"],
  suggestion: ["property", "room", "name", "details"],
  praise: ["property", "room", "name"],
  // 求助 (issue 12): where and who to send help to, and what is needed.
  help: ["property", "room", "name", "phone", "details"],
};

/** One message may hold a long rant; beyond this the owner is asked to split it. */
export const MAX_MESSAGE_CHARS = 6000;
export const MAX_DESCRIPTION_CHARS = 20000;
const MAX_SHORT_ANSWER = 100;
/** Failed answers before the owner is offered to leave a required field for staff. */
export const FAILURES_BEFORE_SKIP = 2;

export interface FieldContext {
  readonly draft: Draft;
  readonly properties: readonly PropertyRecord[];
  readonly ownerRooms: readonly OwnerRoomRecord[];
  readonly store: PropertyStore;
  /** The owner's language: a property is offered by its English name in English. */
  readonly locale: Locale;
}

export type FieldAnswer = { ok: true; patch: Partial<Draft> } | { ok: false; error: MessageKey };

export interface FieldSpec {
  readonly id: FieldId;
  readonly question: MessageKey;
  /** Shown again with the question after a wrong answer. */
  readonly example?: MessageKey;
  /** Optional fields can be skipped at once; required ones only after failed answers. */
  readonly optional: boolean;
  /** What the field reads from the store; the rest of the context stays empty (it is on the hot path). */
  readonly uses?: readonly ("properties" | "ownerRooms")[];
  needed(d: Draft): boolean;
  choices?(ctx: FieldContext): Choice[];
  readText?(text: string, ctx: FieldContext): Promise<FieldAnswer>;
  readChoice?(value: string, ctx: FieldContext): FieldAnswer | null;
}

const raw = (value: string) => t("common.raw", { value });

function shortText(field: "place" | "since" | "visitTime") {
  return async (text: string): Promise<FieldAnswer> => {
    if (!hasWords(text)) return { ok: false, error: "error.need_words" };
    if ([...text].length > MAX_SHORT_ANSWER) return { ok: false, error: "error.answer_too_long" };
    return { ok: true, patch: { [field]: text } };
  };
}

/** Known rooms of the owner in the chosen property, offered as buttons. */
function knownRooms(ctx: FieldContext): OwnerRoomRecord[] {
  return ctx.ownerRooms.filter((r) => r.propertyId === ctx.draft.propertyId).slice(0, 5);
}

/**
 * Counts how much an owner said: a Chinese character carries about as much as a short English
 * word's two letters. Below the threshold the bot asks what exactly happened.
 */
/** "楼道灯坏了" (10) is thin; "车位被别人占了" (14) says enough for staff to act on. */
const THIN_BELOW = 12;

export function isThin(description: string): boolean {
  let weight = 0;
  for (const ch of description) {
    if (/\p{Script=Han}/u.test(ch)) weight += 2;
    else if (/[\p{L}\p{N}]/u.test(ch)) weight += 1;
  }
  return weight < THIN_BELOW;
}

const SPECS: readonly FieldSpec[] = [
  {
    id: "property",
    question: "ask.property",
    optional: false,
    uses: ["properties"],
    needed: (d) => d.propertyId === undefined,
    choices: (ctx) => ctx.properties.map((p) => ({ value: `prop:${p.id}`, label: raw(propertyLabel(p, ctx.locale)) })),
    readChoice: (value, ctx) => {
      const p = ctx.properties.find((x) => `prop:${x.id}` === value);
      return p ? { ok: true, patch: { propertyId: p.id } } : null;
    },
    readText: async (text, ctx) => {
      const q = text.trim().toLowerCase();
      const p = ctx.properties.find(
        (x) => x.name.toLowerCase() === q || x.code.toLowerCase() === q || x.nameEn?.toLowerCase() === q,
      );
      return p ? { ok: true, patch: { propertyId: p.id } } : { ok: false, error: "error.property_unknown" };
    },
  },
  {
    id: "room",
    question: "ask.room",
    example: "ask.room.example",
    optional: false,
    uses: ["properties", "ownerRooms"],
    needed: (d) => d.room === undefined,
    choices: (ctx) => knownRooms(ctx).map((r, i) => ({ value: `room:${i}`, label: raw(r.roomLabel) })),
    readChoice: (value, ctx) => {
      const r = knownRooms(ctx)[Number(value.slice("room:".length))];
      if (!value.startsWith("room:") || !r) return null;
      return { ok: true, patch: { room: r.roomLabel, roomId: r.roomId, zoneId: r.zoneId } };
    },
    readText: async (text, ctx) => {
      const parsed = parseRoom(text);
      if (!parsed.ok) return { ok: false, error: "error.room_format" };
      const property = ctx.properties.find((p) => p.id === ctx.draft.propertyId);
      if (property?.hasRoomRegistry) {
        const match = await ctx.store.findRoom(property.id, parsed.label);
        if (!match) return { ok: false, error: "error.room_unknown" };
        return { ok: true, patch: { room: match.label, roomId: match.id, zoneId: match.zoneId } };
      }
      const zone = property?.zones.find((z) => z.code.toUpperCase() === parsed.zoneCode);
      return { ok: true, patch: { room: parsed.label, roomId: null, zoneId: zone?.id ?? null } };
    },
  },
  {
    id: "name",
    question: "ask.name",
    example: "ask.name.example",
    optional: false,
    needed: (d) => d.name === undefined,
    readText: async (text) => {
      const parsed = parseName(text);
      if (parsed.ok) return { ok: true, patch: { name: parsed.name } };
      return { ok: false, error: parsed.reason === "too_long" ? "error.name_too_long" : "error.name_format" };
    },
  },
  {
    id: "phone",
    question: "ask.phone",
    example: "ask.phone.example",
    optional: false,
    needed: (d) => d.phone === undefined,
    readText: async (text) => {
      const parsed = parsePhone(text);
      return parsed.ok ? { ok: true, patch: { phone: parsed.phone } } : { ok: false, error: "error.phone_format" };
    },
  },
  {
    id: "location",
    question: "ask.location",
    optional: false,
    needed: (d) => d.location === undefined,
    choices: () => [
      { value: "loc:home", label: t("location.home") },
      { value: "loc:common", label: t("location.common") },
    ],
    readChoice: (value) =>
      value === "loc:home" || value === "loc:common"
        ? { ok: true, patch: { location: value === "loc:home" ? "home" : "common" } }
        : null,
    readText: async (text) => {
      const s = text.toLowerCase();
      if (/家|屋|室内|户内|home|flat|apartment|inside/.test(s)) return { ok: true, patch: { location: "home" } };
      if (/公共|公区|楼道|电梯|大堂|车库|停车|小区|花园|门口|common|lobby|lift|elevator|garage|corridor|hall/.test(s)) {
        // "3栋电梯" names the place already: keep it so it is not asked again; "公共区域" does not.
        const named = hasWords(s.replace(/公共区域|公共地方|公共|公区|common areas?|common|the|in|an?/g, ""));
        return { ok: true, patch: named ? { location: "common", place: truncate(text, MAX_SHORT_ANSWER) } : { location: "common" } };
      }
      return { ok: false, error: "error.pick_option" };
    },
  },
  {
    id: "place",
    question: "ask.place",
    example: "ask.place.example",
    optional: false,
    needed: (d) => d.location === "common" && d.place === undefined,
    readText: shortText("place"),
  },
  {
    id: "details",
    question: "ask.details",
    optional: true,
    needed: (d) => !d.detailsAsked && isThin(d.description),
    readText: async (text, ctx) => {
      if (!hasWords(text)) return { ok: false, error: "error.need_words" };
      return { ok: true, patch: { detailsAsked: true, description: appendDescription(ctx.draft.description, text) } };
    },
  },
  {
    id: "since",
    question: "ask.since",
    optional: true,
    needed: (d) => d.since === undefined,
    readText: shortText("since"),
  },
  {
    id: "photos",
    question: "ask.photos",
    optional: true,
    needed: (d) => !d.photosDone,
    choices: (ctx) => (ctx.draft.photos.length > 0 ? [{ value: "done", label: t("choice.photos_done") }] : []),
    readChoice: (value) => (value === "done" ? { ok: true, patch: { photosDone: true } } : null),
  },
  {
    id: "visitTime",
    question: "ask.visit_time",
    example: "ask.visit_time.example",
    optional: true,
    needed: (d) => d.location === "home" && d.visitTime === undefined,
    readText: shortText("visitTime"),
  },
];

/** The owner's words, in order, each kept whole; the total is capped so one ticket stays readable. */
export function appendDescription(description: string, text: string): string {
  const joined = description ? `${description}\n${text}` : text;
  return [...joined].length > MAX_DESCRIPTION_CHARS ? truncate(joined, MAX_DESCRIPTION_CHARS) : joined;
}

const BY_ID = new Map(SPECS.map((s) => [s.id, s]));

export function fieldSpec(id: FieldId): FieldSpec {
  const spec = BY_ID.get(id);
  if (!spec) throw new Error(`no field spec for ${id}`);
  return spec;
}

/** The next field this draft's flow still needs, or null when the record is complete. */
export function nextField(d: Draft): FieldId | null {
  if (!d.kind) return null;
  for (const id of FLOWS[d.kind]) {
    if (d.skipped.includes(id)) continue;
    if (fieldSpec(id).needed(d)) return id;
  }
  return null;
}

/** What marking a field as skipped means for the draft. */
export function skipPatch(id: FieldId): Partial<Draft> {
  if (id === "photos") return { photosDone: true };
  if (id === "details") return { detailsAsked: true };
  return {};
}
