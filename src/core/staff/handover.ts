/**
 * 交接班: a note for the next shift. Seed 000 §2(1) keeps a work log (工作日志薄) and a follow-up
 * book (工作事务跟进薄) that staff must read when their shift starts; `/handover <text>` writes
 * into it, and the shift-start post (src/jobs/shift-handover.ts) reads it back to the next shift.
 */
import type { Outcome } from "../messages.js";
import { t, type Text } from "../text.js";
import { truncate } from "../util/input.js";
import type { StaffExtension } from "./extension.js";

export interface HandoverNoteRecord {
  readonly id: string;
  readonly propertyId: string;
  readonly authorId: string;
  readonly authorName: string | null;
  readonly text: string;
  readonly at: Date;
}

export interface HandoverStore {
  add(note: { propertyId: string; authorId: string; text: string; at: Date }): Promise<void>;
  /** Notes of a property written in [from, to), oldest first. */
  between(propertyId: string, from: Date, to: Date, limit: number): Promise<HandoverNoteRecord[]>;
}

/** Long enough for a shift's worth of matters; longer notes belong in a ticket. */
export const HANDOVER_MAX = 1000;

/** `/handover <text>`: any staff member of the property, in its group or (one property only) in private. */
export function handoverExtension(store: HandoverStore): StaffExtension {
  return {
    names: ["handover"],
    async handle(ctx): Promise<Outcome> {
      const say = (...text: Text[]): Outcome => ({ locale: ctx.locale, replies: [{ text }] });
      const text = ctx.args.trim();
      if (!text) return say(t("handover.usage"));
      if (text.length > HANDOVER_MAX) return say(t("handover.too_long", { max: HANDOVER_MAX }));
      const propertyId = ctx.binding?.propertyId ?? (ctx.propertyIds.length === 1 ? ctx.propertyIds[0] : undefined);
      if (!propertyId) return say(t("handover.which_property"));
      await store.add({ propertyId, authorId: ctx.person.id, text, at: ctx.now });
      return say(t("handover.saved", { text: truncate(text, 60) }));
    },
  };
}
