/**
 * The monthly statistics as a chat post: counts by kind, category, zone and staff member, the
 * callback ratings, and each rate beside the company's target (seed 002 §5.4–5.6: feedback on
 * time 100%, callback rate 100%, callback satisfaction 98%, closure rate 80% or more), with its
 * numerator and denominator so a director can check it against the workbook. Seed 000 §3 item 12:
 * on the 1st, last month's indicators are reported (每月1号统计上月各项工作指标完成情况).
 */
import { breakdownTexts, type Breakdown } from "./breakdown.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { ChatRef } from "../messages.js";
import { t, type Locale, type Text } from "../text.js";
import { CATEGORIES } from "../ticket/kinds.js";
import { RATE_TARGETS, rateValue, type MonthlyFigures, type Rate } from "./figures.js";
import type { ReportFile } from "./files.js";

/** The rates in the order the seed lists them; the reopen rate, without a target, last. */
export const TARGETED_RATES = ["feedbackOnTime", "callback", "callbackSatisfaction", "closure"] as const;
export type TargetedRate = (typeof TARGETED_RATES)[number];

/** seed 002 §5.6 says 结案率80%以上; the other targets are stated as plain figures. */
export const AT_LEAST: ReadonlySet<TargetedRate> = new Set(["closure"]);

/** "97.5%": one decimal, none when whole. Digits are the same in every locale. */
export function percent(value: number): string {
  const p = Math.round(value * 1000) / 10;
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** Whether a rate reaches its target; null when nothing was counted. */
export function meetsTarget(name: TargetedRate, rate: Rate): boolean | null {
  const value = rateValue(rate);
  return value === null ? null : value >= RATE_TARGETS[name];
}

function rateLine(name: TargetedRate | "reopen", rate: Rate): Text {
  const value = rateValue(rate);
  const params = {
    name: t(`monthly_stats.rate_name.${name}`),
    value: value === null ? t("monthly_stats.no_cases") : percent(value),
    numerator: rate.numerator,
    denominator: rate.denominator,
  };
  if (name === "reopen") return t("monthly_stats.rate_untargeted", params);
  const met = meetsTarget(name, rate);
  const target = percent(RATE_TARGETS[name]);
  return t("monthly_stats.rate", {
    ...params,
    mark: met === null ? "➖" : met ? "✅" : "⚠️",
    target: AT_LEAST.has(name) ? t("monthly_stats.target_at_least", { value: target }) : target,
  });
}

/** The post's lines. `lateSince`: the slot it was due at, when it is caught up late. */
export function monthlyTexts(property: string, f: MonthlyFigures, lateSince: Date | null, breakdown?: Breakdown): Text[] {
  const lines: Text[] = [t("monthly_stats.title", { property, month: f.month })];
  if (lateSince) lines.push(t("jobs.late", { due: { time: lateSince.toISOString() } }));
  lines.push(t("monthly_stats.as_of", { time: { time: f.asOf.toISOString() } }), t("monthly_stats.total", { total: f.total, ...f.byKind }));
  // Issue 12: by source, service vs repair-type complaints, kind × category.
  if (breakdown) lines.push(...breakdownTexts(breakdown));

  const categories = CATEGORIES.filter((c) => f.byCategory[c] > 0);
  lines.push(t("monthly_stats.by_category"));
  if (categories.length === 0) lines.push(t("monthly_stats.none"));
  for (const c of categories) lines.push(t("monthly_stats.item", { name: t(`category.${c}`), count: f.byCategory[c] }));

  lines.push(t("monthly_stats.by_zone"));
  if (f.byZone.length === 0) lines.push(t("monthly_stats.none"));
  for (const z of f.byZone) lines.push(t("monthly_stats.item", { name: z.name ?? t("monthly_stats.no_zone"), count: z.count }));

  lines.push(t("monthly_stats.by_staff"));
  if (f.byStaff.length === 0) lines.push(t("monthly_stats.none"));
  for (const s of f.byStaff) lines.push(t("monthly_stats.staff_item", { name: s.name, claimed: s.claimed, resolved: s.resolved }));

  lines.push(t("monthly_stats.ratings", { ...f.ratings }), t("monthly_stats.repeat_callbacks", { count: f.repeatCallbacks }), t("monthly_stats.rates"));
  for (const name of TARGETED_RATES) lines.push(rateLine(name, f.rates[name]));
  lines.push(rateLine("reopen", f.rates.reopen));
  return lines;
}

/** Each file as a document to `to`, captioned with what it is. */
export function documentMessages(to: ChatRef, locale: Locale, files: readonly ReportFile[], caption: { property: string; month: string }): NewOutboxMessage[] {
  return files.map((file) => ({
    kind: "document",
    to,
    body: { locale, text: [t(`monthly_stats.caption.${file.kind}`, caption)], filename: file.filename, mediaType: file.mediaType, base64: file.base64 },
  }));
}

/**
 * What one chat receives on the 1st: the figures as a message, then each file. The outbox keeps
 * a chat's messages in this order.
 */
export function monthlyMessages(to: ChatRef, locale: Locale, text: readonly Text[], files: readonly ReportFile[], caption: { property: string; month: string }): NewOutboxMessage[] {
  const withFiles = files.length > 0 ? [...text, t("monthly_stats.attached")] : text;
  return [{ kind: "message", to, body: { locale, text: withFiles } }, ...documentMessages(to, locale, files, caption)];
}
