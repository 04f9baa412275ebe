/**
 * The persisted state of one owner's conversation. It is stored after every message, so a
 * process killed mid-conversation resumes at the same question (grammyjs/conversations keeps
 * its replay log for the same reason). The shape is versioned: `v` changes when a field's
 * meaning changes, and `parseState` upgrades older versions instead of dropping them.
 */
import { z } from "zod";
import { CATEGORIES, LOCATIONS, MAJOR_REASONS, TICKET_KINDS } from "../ticket/kinds.js";

export const STATE_VERSION = 2;

export const FIELD_IDS = [
  "property",
  "room",
  "name",
  "phone",
  "location",
  "place",
  "details",
  "since",
  "photos",
  "visitTime",
] as const;
export type FieldId = (typeof FIELD_IDS)[number];

export const STEPS = [
  "idle",
  "hear", // waiting for the owner's own words about the matter (听清楚)
  "classify", // confirming what kind of matter we understood
  "pick_kind",
  "pick_category",
  "profile", // a returning owner confirms what we already know
  "ask", // asking for one missing field (问清楚)
  "review", // the record read back for the owner's confirmation (记清楚)
  "edit", // which part to correct
  "next_pending", // offer to file a matter heard during the last intake
  "add_info", // adding information to an open ticket
  // Issue 13 item 1, added without a new version: a v2 state without them reads as before.
  "roster_owner", // the roster's owner of the room given, offered to confirm (./roster.ts)
  "roster_room", // the roster's room of the phone given, offered to link the owner to it
] as const;
export type StepName = (typeof STEPS)[number];

const draftSchema = z.object({
  intakeId: z.string(),
  startedAt: z.string(),
  description: z.string(),
  kind: z.enum(TICKET_KINDS).optional(),
  category: z.enum(CATEGORIES).optional(),
  major: z.boolean(),
  majorReasons: z.array(z.enum(MAJOR_REASONS)),
  /** What the owner set themselves; later words no longer reclassify those. */
  ownerSet: z.array(z.enum(["kind", "category", "major"])),
  propertyId: z.string().optional(),
  room: z.string().optional(),
  roomId: z.string().nullable().optional(),
  zoneId: z.string().nullable().optional(),
  name: z.string().optional(),
  phone: z.string().optional(),
  location: z.enum(LOCATIONS).optional(),
  place: z.string().optional(),
  /** Asked once when the first words were too thin; afterwards the description carries it. */
  detailsAsked: z.boolean(),
  since: z.string().optional(),
  photos: z.array(z.string()),
  photosDone: z.boolean(),
  visitTime: z.string().optional(),
  /** The owners' group the matter was first raised in: it gets a masked confirmation at filing. */
  group: z.string().optional(),
  profileChecked: z.boolean(),
  /** The model's one line on the matter for the staff card (issue 15); absent without a model. */
  summary: z.string().optional(),
  /** Fields the owner skipped or could not give: staff will confirm them. */
  skipped: z.array(z.enum(FIELD_IDS)),
  /** The roster was read for the room given (its owner offered or not there): not again for it. */
  rosterChecked: z.boolean().optional(),
  /** The rooms the roster registers the phone given for, offered at the `roster_room` step. */
  rosterRooms: z.array(z.string()).optional(),
  /** Taken from the roster on "是我": read back masked, as offered, never in full. */
  fromRoster: z.array(z.enum(["name", "phone"])).optional(),
});
export type Draft = z.infer<typeof draftSchema>;

const pendingSchema = z.object({ text: z.string(), group: z.string().optional() });
export type PendingMatter = z.infer<typeof pendingSchema>;

const stateSchema = z.object({
  v: z.literal(STATE_VERSION),
  step: z.enum(STEPS),
  field: z.enum(FIELD_IDS).optional(),
  draft: draftSchema.optional(),
  /** Failed answers to the current question; after a few, the owner may leave it for staff. */
  failures: z.number().int().nonnegative(),
  /**
   * Matters heard but not yet taken in: mentioned during another intake, put aside, or raised in
   * an owners' group (then `group` is that chat). Offered one by one so nothing is lost.
   */
  pending: z.array(pendingSchema),
  englishOffered: z.boolean(),
  /** The ticket an `add_info` step adds to. */
  ticketNumber: z.string().optional(),
  /**
   * Words or a photo sent after filing while the owner is asked which matter they belong to
   * (./follow-up.ts): added to the ticket they pick, or the start of a new matter.
   */
  held: z.object({ text: z.string().optional(), fileRef: z.string().optional() }).optional(),
  /** Values of the choices last offered, so a typed "1" or "2" picks them. */
  lastChoices: z.array(z.string()),
  /**
   * Numbers each question that offers buttons; its buttons carry the number, so a button of an
   * earlier question (a double tap, an old keyboard scrolled back to) is recognised as out of date.
   */
  askSeq: z.number().int().nonnegative().default(0),
  /**
   * The owner's last message, if it was text with a platform id, and the question it answered: an
   * edit of that message while the same question is still open is read as the answer (issue 10).
   */
  lastMessage: z.object({ id: z.string(), step: z.enum(STEPS), field: z.enum(FIELD_IDS).optional() }).optional(),
});
export type ConversationState = z.infer<typeof stateSchema>;

export function initialState(): ConversationState {
  return { v: STATE_VERSION, step: "idle", failures: 0, pending: [], englishOffered: false, lastChoices: [], askSeq: 0 };
}

export type ParsedState = { ok: true; state: ConversationState } | { ok: false; code: "state_unreadable" };

/**
 * Read a stored state. Version upgrades go here as `if (raw.v === 1) raw = upgrade1to2(raw)`;
 * a state that cannot be read is reported so the owner can be told, never silently reset.
 */
export function parseState(raw: unknown): ParsedState {
  if (raw === null || raw === undefined) return { ok: true, state: initialState() };
  const parsed = stateSchema.safeParse(upgrade(raw));
  return parsed.success ? { ok: true, state: parsed.data } : { ok: false, code: "state_unreadable" };
}

/** Older shapes, one step at a time, so a conversation saved by an older release resumes. */
function upgrade(raw: unknown): unknown {
  let state = raw as { v?: unknown; pending?: unknown };
  if (state?.v === 1) {
    // v1 kept pending matters as bare strings; v2 also remembers the group they came from.
    const pending = Array.isArray(state.pending) ? state.pending.map((text) => ({ text })) : [];
    state = { ...state, v: 2, pending };
  }
  return state;
}
