/**
 * Where a period's tickets came from and what they were, cut finer than the digest's counts
 * (issue 12, items 3 and 6): kind × category, by source (chat, phone, visit, letter, patrol) and
 * complaints split as seed 003 §6.5.3 divides them, 服务类 (attitude, skill, timeliness) and 维修类
 * (facilities). Definitions in docs/rates.md.
 */
import { t, type Text } from "../text.js";
import { CATEGORIES, TICKET_KINDS, TICKET_SOURCES, type Category, type TicketKind, type TicketSource } from "../ticket/kinds.js";
import { categoryText, kindText } from "../ticket/views.js";

/** 服务类 or 维修类 (seed 003 §6.5.3). */
export type ComplaintType = "service" | "repair";

/** A complaint about facilities (工程维修) is 维修类; about anything people do, 服务类. */
export const complaintType = (category: Category): ComplaintType => (category === "engineering" ? "repair" : "service");

export interface Breakdown {
  /** Tickets filed in the window, cancelled ones included, by kind then category. */
  readonly kindByCategory: Readonly<Record<TicketKind, Readonly<Record<Category, number>>>>;
  readonly bySource: Readonly<Record<TicketSource, number>>;
  readonly complaintTypes: Readonly<Record<ComplaintType, number>>;
}

/** The port's side: implemented in src/infra/prisma/breakdown.ts, part of ReportStore. */
export interface BreakdownStore {
  breakdown(propertyId: string, from: Date, to: Date): Promise<Breakdown>;
}

/** Counts of (kind, category, source) rows into a Breakdown: every key present, zeros included. */
export function breakdownOf(rows: readonly { kind: TicketKind; category: Category; source: TicketSource; count: number }[]): Breakdown {
  const kindByCategory = Object.fromEntries(TICKET_KINDS.map((k) => [k, Object.fromEntries(CATEGORIES.map((c) => [c, 0]))])) as Record<TicketKind, Record<Category, number>>;
  const bySource = Object.fromEntries(TICKET_SOURCES.map((s) => [s, 0])) as Record<TicketSource, number>;
  const complaintTypes: Record<ComplaintType, number> = { service: 0, repair: 0 };
  for (const r of rows) {
    kindByCategory[r.kind][r.category] += r.count;
    bySource[r.source] += r.count;
    if (r.kind === "complaint") complaintTypes[complaintType(r.category)] += r.count;
  }
  return { kindByCategory, bySource, complaintTypes };
}

/** One line: where the period's matters came from (聊天 3,来电 1…), sources with none left out. */
export function sourceLine(b: Breakdown): Text {
  const parts = TICKET_SOURCES.filter((s) => b.bySource[s] > 0).map((s) => t("breakdown.item", { name: t(`source.${s}`), count: b.bySource[s] }));
  return t("breakdown.by_source", { items: parts.length === 0 ? t("monthly_stats.none") : parts.reduce((a, c) => t("breakdown.join", { a, b: c })) });
}

/** The monthly statistics' part: by source, complaint types, and kind × category (rows with none left out). */
export function breakdownTexts(b: Breakdown): Text[] {
  const lines: Text[] = [sourceLine(b), t("breakdown.complaint_types", { service: b.complaintTypes.service, repair: b.complaintTypes.repair })];
  lines.push(t("breakdown.kind_by_category"));
  let any = false;
  for (const k of TICKET_KINDS) {
    const cats = CATEGORIES.filter((c) => b.kindByCategory[k][c] > 0);
    if (cats.length === 0) continue;
    any = true;
    const items = cats.map((c) => t("breakdown.item", { name: categoryText(c), count: b.kindByCategory[k][c] })).reduce((a, c) => t("breakdown.join", { a, b: c }));
    lines.push(t("breakdown.kind_row", { kind: kindText(k), items }));
  }
  if (!any) lines.push(t("monthly_stats.none"));
  return lines;
}
