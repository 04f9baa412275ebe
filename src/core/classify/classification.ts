/**
 * What the classifier says of an owner's text, in its own file so the keyword tables
 * (./keywords.ts) and the learned model beside them (./learned.ts) share it without importing
 * each other.
 */
import type { Category, MajorReason, TicketKind } from "../ticket/kinds.js";

export interface Classification {
  kind: TicketKind;
  category: Category;
  /** Looks like a 重大投诉 or an urgent matter to report at once (五清楚's 报告). */
  major: boolean;
  majorReasons: MajorReason[];
  /** False when no keyword matched at all: the bot asks the owner to pick. */
  matched: boolean;
}

/** What the keywords make of a text, with what ./learned.ts weighs against the model. */
export interface KeywordReading extends Classification {
  /**
   * What the kind rests on: `explicit`, an un-negated kind word at EXPLICIT_WEIGHT or above (投诉,
   * 报修, 建议, 表扬) named it; `words`, other kind words; `none`, only a major reason's hint, a
   * topic's default kind, or nothing.
   */
  readonly kindEvidence: "explicit" | "words" | "none";
}
