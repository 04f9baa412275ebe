/**
 * The hotline's KPIs per property and month (seed 002 §3.1.5 考核, §5.4-§5.6), with the property
 * heads ranked: 投诉反馈及时率 100%, 投诉回访率 100%, 回访满意率 98%, 投诉结案率 ≥ 80%. The
 * definitions are in docs/rates.md ("The hotline's KPIs"); the targets are the reports' own.
 */
import type { Rate } from "../reports/figures.js";
import { meetsTarget, TARGETED_RATES, type TargetedRate } from "../reports/monthly.js";
import type { SlaPolicy } from "../sla/policy.js";
import type { HotlineCaseRecord, HotlineEventRecord } from "./case.js";

export interface CaseHistory {
  readonly case: HotlineCaseRecord;
  readonly events: readonly HotlineEventRecord[];
}

export interface PropertyKpis extends Readonly<Record<TargetedRate, Rate>> {
  readonly propertyId: string;
  readonly cases: number;
  /** How many of the four targets are met (a rate with no value meets none). */
  readonly targetsMet: number;
  /** 1 for the best property of the month. */
  readonly rank: number;
}

const CALLBACKS = new Set(["callback_first", "callback_second", "callback_closing", "callback_stage"]);
const after = (d: Date, minutes: number) => d.getTime() + minutes * 60_000;
const rate = (numerator: number, denominator: number): Rate => ({ numerator, denominator });
const sum = (rates: readonly Rate[]): Rate => rate(rates.reduce((a, r) => a + r.numerator, 0), rates.reduce((a, r) => a + r.denominator, 0));

/** One case's part of each rate, read as the case stands at `asOf`. */
function caseRates(h: CaseHistory, asOf: Date, policy: SlaPolicy): Record<TargetedRate, Rate> {
  const { case: c, events } = h;
  const feedback = events.find((e) => e.type === "feedback");
  const feedbackDue = after(c.createdAt, policy.hotlineFeedbackMinutes);
  const onTime = feedback !== undefined && feedback.at.getTime() <= feedbackDue;
  // Not returned yet and still in time: it may be on time yet, so it counts nowhere.
  const feedbackCounts = feedback !== undefined || feedbackDue < asOf.getTime();
  const callbacks = events.filter((e) => CALLBACKS.has(e.type));
  const callbackCounts = callbacks.length > 0 || after(c.createdAt, policy.hotlineFirstCallbackMinutes) < asOf.getTime();
  const ratings = callbacks.map((e) => e.data.rating);
  return {
    feedbackOnTime: rate(onTime ? 1 : 0, feedbackCounts ? 1 : 0),
    callback: rate(callbacks.length > 0 ? 1 : 0, callbackCounts ? 1 : 0),
    callbackSatisfaction: rate(ratings.filter((r) => r === "satisfied" || r === "fairly").length, ratings.length),
    closure: rate(c.status === "closed" ? 1 : 0, 1),
  };
}

/**
 * `histories`: the cases filed in the month with their events up to `asOf`. Ranked by targets
 * met, then by the sum of the four rates' values, then by fewer cases, then by property id.
 */
export function hotlineKpis(histories: readonly CaseHistory[], asOf: Date, policyOf: (propertyId: string) => SlaPolicy): PropertyKpis[] {
  const byProperty = new Map<string, Record<TargetedRate, Rate>[]>();
  for (const h of histories) {
    const list = byProperty.get(h.case.propertyId) ?? [];
    list.push(caseRates(h, asOf, policyOf(h.case.propertyId)));
    byProperty.set(h.case.propertyId, list);
  }
  const unranked = [...byProperty].map(([propertyId, parts]) => {
    const rates = Object.fromEntries(TARGETED_RATES.map((name) => [name, sum(parts.map((p) => p[name]))])) as Record<TargetedRate, Rate>;
    const targetsMet = TARGETED_RATES.filter((name) => meetsTarget(name, rates[name]) === true).length;
    return { propertyId, cases: parts.length, targetsMet, ...rates };
  });
  const score = (k: (typeof unranked)[number]) => TARGETED_RATES.reduce((a, name) => a + (k[name].denominator ? k[name].numerator / k[name].denominator : 0), 0);
  unranked.sort((a, b) => b.targetsMet - a.targetsMet || score(b) - score(a) || a.cases - b.cases || a.propertyId.localeCompare(b.propertyId));
  return unranked.map((k, i) => ({ ...k, rank: i + 1 }));
}
