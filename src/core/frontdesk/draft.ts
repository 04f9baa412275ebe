/**
 * A matter a staff member is recording at the front desk (issue 12), kept between their commands
 * like an owner's conversation: 听清楚 (the owner's words, as said), 问清楚 (room, name, phone,
 * looked up and confirmed rather than retyped), 记清楚 (read back, confirmed by the scribe, with
 * how the owner confirmed). Seed 000 §2(2): "当用户来电或上门投诉时" the desk records the matter.
 */
import { z } from "zod";
import { parsePhone } from "../people/phone.js";
import { parseRoom } from "../property/room.js";
import { CATEGORIES, MAJOR_REASONS, TICKET_KINDS, TICKET_SOURCES, type TicketSource } from "../ticket/kinds.js";

/** The sources staff record; `chat` is the owner's own. */
export const DESK_SOURCES = TICKET_SOURCES.filter((s): s is Exclude<TicketSource, "chat"> => s !== "chat");
export type DeskSource = (typeof DESK_SOURCES)[number];

/** How the owner confirmed the read-back, by source: 记清楚's signature for a matter not filed in chat. */
export const OWNER_CONFIRMATION: Record<DeskSource, string> = {
  phone: "read_back_by_phone",
  visit: "signed_at_counter",
  letter: "letter_on_file",
  patrol: "found_on_patrol",
};

const candidateSchema = z.object({
  personId: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  roomLabel: z.string().nullable(),
  /** Known on a chat platform: told there of the filing and every later step. */
  inChat: z.boolean(),
});
export type OwnerCandidate = z.infer<typeof candidateSchema>;

const draftSchema = z.object({
  v: z.literal(1),
  id: z.string(),
  source: z.enum(DESK_SOURCES).optional(),
  propertyId: z.string(),
  description: z.string().optional(),
  room: z.string().optional(),
  name: z.string().optional(),
  phone: z.string().optional(),
  kind: z.enum(TICKET_KINDS).optional(),
  category: z.enum(CATEGORIES).optional(),
  major: z.boolean(),
  majorReasons: z.array(z.enum(MAJOR_REASONS)),
  /** The owner proposed from earlier tickets or the roster, until the scribe says yes or no. */
  candidate: candidateSchema.optional(),
  /** The owner the scribe confirmed; null: a new owner, reached by phone. */
  owner: candidateSchema.nullable().optional(),
  /** A letter's register entry as it will be written (收文登记簿): corrected with `/record received|sender|summary`. */
  letter: z
    .object({ receivedOn: z.string().optional(), sender: z.string().optional(), summary: z.string().optional(), scans: z.array(z.string()) })
    .optional(),
});
export type DeskDraft = z.infer<typeof draftSchema>;

export function parseDraft(raw: unknown): DeskDraft | null {
  const parsed = draftSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

const SOURCE_WORDS: readonly [RegExp, DeskSource][] = [
  [/^(来电|电话|phone|call)$/i, "phone"],
  [/^(来访|上门|visit|counter)$/i, "visit"],
  [/^(书面|来信|信件|letter)$/i, "letter"],
  [/^(巡检|巡查|patrol)$/i, "patrol"],
];

export const sourceOfWord = (word: string): DeskSource | null => SOURCE_WORDS.find(([re]) => re.test(word))?.[1] ?? null;

/** What one `/record …` line said: `[source] [room] [phone] the owner's words`, each part optional. */
export interface RecordLine {
  source?: DeskSource;
  room?: string;
  phone?: string;
  words?: string;
}

export function parseRecordLine(args: string): RecordLine {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const out: RecordLine = {};
  const first = words[0] !== undefined ? sourceOfWord(words[0]) : null;
  if (first) {
    out.source = first;
    words.shift();
  }
  const room = words[0] !== undefined ? parseRoom(words[0]) : null;
  if (room?.ok) {
    out.room = room.label;
    words.shift();
  }
  const phone = words[0] !== undefined && /^\+?[\d-]{7,}$/.test(words[0]) ? parsePhone(words[0]) : null;
  if (phone?.ok) {
    out.phone = phone.phone;
    words.shift();
  }
  if (words.length > 0) out.words = words.join(" ");
  return out;
}
