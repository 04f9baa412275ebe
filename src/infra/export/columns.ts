/**
 * The columns of 用户意见受理表 (the complaint intake form, seed 000 §2(2): the matter, the
 * handling and the result, the owner's confirmation, the callback) and of 回访用户月统计表 (the
 * monthly callback statistics, seed 000 §3A(d)), shared by the workbook and the CSV so both list
 * the same things under the same headers.
 */
import type { CallbackRow, IntakeRow } from "../../core/reports/figures.js";
import { localParts } from "../../core/time/zone.js";
import { t, type MessageKey, type Text } from "../../core/text.js";

/** A cell as both formats take it: a date is a local wall-clock time (see `wallClock`). */
export type Cell = string | number | Date | null;

/** Renders a Text in the export's language. */
export type Say = (text: Text) => string;

export interface Column<R> {
  readonly header: MessageKey;
  /** In characters, for the workbook. */
  readonly width: number;
  value(row: R, index: number, say: Say, timeZone: string): Cell;
}

/**
 * An instant as the reader's clock showed it, as a Date whose UTC fields are that reading.
 * Spreadsheets have no time zones: a date cell is a wall-clock time, so this is what they need.
 */
export function wallClock(at: Date | null, timeZone: string): Date | null {
  if (!at) return null;
  const p = localParts(at, timeZone);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
}

/** "2026-10-03 14:05", from a wall-clock Date. */
export function formatWallClock(d: Date): string {
  return d.toISOString().slice(0, 16).replace("T", " ");
}

export const INTAKE_COLUMNS: readonly Column<IntakeRow>[] = [
  { header: "export.intake.seq", width: 6, value: (_, i) => i + 1 },
  { header: "export.intake.number", width: 11, value: (r) => r.number },
  { header: "export.intake.created", width: 17, value: (r, _, __, tz) => wallClock(r.createdAt, tz) },
  { header: "export.intake.kind", width: 8, value: (r, _, say) => say(t(`kind.${r.kind}`)) },
  { header: "export.intake.category", width: 12, value: (r, _, say) => say(t(`category.${r.category}`)) },
  { header: "export.intake.weight", width: 8, value: (r, _, say) => say(t(`export.weight.${r.weight}`)) },
  { header: "export.intake.room", width: 12, value: (r) => r.roomLabel },
  { header: "export.intake.name", width: 10, value: (r) => r.contactName },
  { header: "export.intake.phone", width: 14, value: (r) => r.contactPhone },
  { header: "export.intake.zone", width: 8, value: (r) => r.zoneName },
  { header: "export.intake.description", width: 40, value: (r) => r.description },
  { header: "export.intake.assignee", width: 10, value: (r) => r.assigneeName },
  { header: "export.intake.first_response", width: 17, value: (r, _, __, tz) => wallClock(r.firstResponseAt, tz) },
  { header: "export.intake.resolved", width: 17, value: (r, _, __, tz) => wallClock(r.resolvedAt, tz) },
  { header: "export.intake.result", width: 30, value: (r) => r.result },
  { header: "export.intake.status", width: 10, value: (r, _, say) => say(t(`status.${r.status}`)) },
  { header: "export.intake.called_back", width: 17, value: (r, _, __, tz) => wallClock(r.calledBackAt, tz) },
  { header: "export.intake.rating", width: 8, value: (r, _, say) => (r.rating ? say(t(`rating.${r.rating}`)) : null) },
];

export const CALLBACK_COLUMNS: readonly Column<CallbackRow>[] = [
  { header: "export.callback.seq", width: 6, value: (_, i) => i + 1 },
  { header: "export.callback.at", width: 17, value: (r, _, __, tz) => wallClock(r.at, tz) },
  { header: "export.callback.number", width: 11, value: (r) => r.ticketNumber },
  { header: "export.callback.room", width: 12, value: (r) => r.roomLabel },
  { header: "export.callback.name", width: 10, value: (r) => r.contactName },
  { header: "export.callback.kind", width: 8, value: (r, _, say) => say(t(`kind.${r.kind}`)) },
  { header: "export.callback.category", width: 12, value: (r, _, say) => say(t(`category.${r.category}`)) },
  { header: "export.callback.by", width: 14, value: (r, _, say) => say(t(`export.callback.by.${r.by}`)) },
  { header: "export.callback.by_name", width: 10, value: (r) => r.byName },
  { header: "export.callback.rating", width: 8, value: (r, _, say) => say(t(`rating.${r.rating}`)) },
  { header: "export.callback.note", width: 40, value: (r) => r.note },
];

/** Where the rating is in CALLBACK_COLUMNS, for the totals block's COUNTIF. */
export const CALLBACK_RATING_COLUMN = CALLBACK_COLUMNS.findIndex((c) => c.header === "export.callback.rating");
