/**
 * A suggested reply to an owner (`/draft HG-0042`, issue 15 item 3): what the drafter is told of
 * a ticket and what it answers. Seed 000 §2(2) C 复清楚: the owner is told the process and the
 * result, and when they will hear next; a draft is written in that spirit, in the owner's
 * language, and is only ever shown to the staff member, who edits it and sends it with `/reply`.
 */
import type { Category, TicketKind } from "../ticket/kinds.js";
import type { TicketStatus } from "../ticket/status.js";
import type { Locale } from "../text.js";

/** What the owner has already been told, oldest first: the staff replies and promises. */
export interface ToldLine {
  readonly at: string;
  readonly kind: "reply" | "promise" | "resolved";
  readonly text: string;
}

/** A ticket as a drafter may see it: nothing staff-internal (no notes), the owner's own words. */
export interface DraftFacts {
  readonly number: string;
  readonly kind: TicketKind;
  readonly category: Category;
  readonly status: TicketStatus;
  /** The owner's words, as filed. */
  readonly description: string;
  readonly ownerLocale: Locale;
  /** The next reply promised to the owner (跟清楚), ISO, or null. */
  readonly nextReplyDueAt: string | null;
  readonly told: readonly ToldLine[];
  /** What staff typed after the number (`/draft HG-0042 师傅明早9点上门`): the gist to put in words. */
  readonly gist: string;
}

/** Why there is no model draft: the template is used instead, and the staff member is told why. */
export type DraftFailure = "timeout" | "unavailable" | "invalid" | "circuit_open" | "daily_cap";

export type DraftResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: DraftFailure };

/** A language model that drafts (src/infra/llm/drafter.ts), or a fake in tests. Never rejects. */
export interface ReplyDrafter {
  draft(facts: DraftFacts): Promise<DraftResult>;
}
