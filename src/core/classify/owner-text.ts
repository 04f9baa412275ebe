/**
 * The optional language model beside the keyword classifier (issue 15, item 3): a port the
 * intake's hearing step calls, and how its reading is merged with the keywords. The model is
 * never required and never on the critical path: whatever it answers, or fails to, the keyword
 * result stands where the model says nothing, and a major flag from either side stands (seed 000
 * §2(2): a major matter is reported at once, so a missed one is the worst error).
 */
import { MAJOR_REASONS, type Category, type Location, type MajorReason, type TicketKind } from "../ticket/kinds.js";
import type { Classification } from "./keywords.js";

/** What the model may pull out of the owner's free text; each value goes through the field's own parser. */
export const EXTRACTED_FIELDS = ["room", "name", "phone", "location", "place", "since", "visitTime"] as const;
export type ExtractedField = (typeof EXTRACTED_FIELDS)[number];

export interface Extracted {
  readonly room?: string;
  readonly name?: string;
  readonly phone?: string;
  readonly location?: Location;
  readonly place?: string;
  readonly since?: string;
  readonly visitTime?: string;
}

export interface ModelClassification {
  readonly kind: TicketKind;
  readonly category: Category;
  readonly major: boolean;
  readonly majorReasons: readonly MajorReason[];
}

export interface OwnerTextReading {
  readonly classification: ModelClassification;
  readonly extracted: Extracted;
  /**
   * What the matter is, in one line in the staff's language, for the staff card: an English
   * owner's words get a Chinese line (the original is kept). Absent when the words are short
   * and already in that language.
   */
  readonly summary?: string;
}

/**
 * Why there is no reading: each is an expected outcome the intake shrugs off (the keyword path
 * goes on), kept apart so the log and the tests can tell them apart.
 */
export type OwnerTextFailure =
  | "timeout" // the turn's budget ran out first
  | "circuit_open" // too many failures lately: not called for a while
  | "daily_cap" // the day's token allowance is spent
  | "unavailable" // the service refused or failed (429, 5xx, network)
  | "invalid"; // it answered, but not JSON of the agreed shape

export type OwnerTextResult = { readonly ok: true; readonly reading: OwnerTextReading } | { readonly ok: false; readonly reason: OwnerTextFailure };

/** 业主 text reader: an LLM behind it (src/infra/llm/), or a fake in tests. */
export interface OwnerTextModel {
  /** Resolves within the implementation's budget; never rejects. */
  read(text: string): Promise<OwnerTextResult>;
}

/**
 * Keywords and model together. The model's kind and category win (it reads wording the lexicon
 * has never seen); major is either side's, and the keywords' reasons are never removed, only
 * added to. A model that says major without a reason still marks the matter major. The one
 * reason that gives way is `possible_major` (the learned model's "major, reason unsure"): when
 * the LLM names a real reason, that says more.
 */
export function mergeClassification(keyword: Classification, model: ModelClassification): Classification {
  const reasons = new Set<MajorReason>([...keyword.majorReasons, ...model.majorReasons]);
  if (reasons.size > 1) reasons.delete("possible_major");
  const majorReasons = MAJOR_REASONS.filter((r) => reasons.has(r));
  return {
    kind: model.kind,
    category: model.category,
    major: keyword.major || model.major || majorReasons.length > 0,
    majorReasons,
    matched: true,
  };
}
