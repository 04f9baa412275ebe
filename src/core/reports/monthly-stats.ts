/**
 * 月度统计: on the 1st, last month's statistics of each property to its director's chats and to
 * its admins' private chats, with the workbook and the CSV attached (seed 000 §3 item 12: 每月1号
 * 统计上月各项工作指标完成情况; seed 000 §3A(d): the monthly callback statistics). One post per
 * property and month through the ledger, so a rerun, a catch-up or a second instance posts once.
 */
import type { Breakdown } from "./breakdown.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { PropertyRecord, PropertyStore } from "../property/store.js";
import type { MonthlyFigures, ReportStore } from "./figures.js";
import { monthlyMessages, monthlyTexts } from "./monthly.js";
import { propertyLabel } from "../property/store.js";
import { privateChatOf, type ChatRef } from "../messages.js";
import type { Locale } from "../text.js";
import { localMonthKey, monthRange } from "../time/zone.js";
import { isLate, tally, type JobResult } from "../scheduled/run.js";
import type { PersonStore } from "../people/store.js";
import type { StaffStore } from "../staff/roles.js";
import type { ChatStore } from "../staff/chats.js";
import type { ReportFiles } from "./files.js";
import type { PostingDeps } from "../scheduled/run.js";

/** What this job uses of the ports src/jobs/job.ts hands every job. */
export interface MonthlyStatsDeps extends PostingDeps {
  readonly store: PersonStore & PropertyStore & StaffStore & ChatStore;
  readonly reports: ReportStore;
  readonly reportFiles: ReportFiles;
  readonly timeZone: string;
}


interface Recipient {
  readonly to: ChatRef;
  readonly locale: Locale;
}

/** The director's chats in the staff language, and each admin in their own. */
async function recipients(deps: MonthlyStatsDeps, propertyId: string): Promise<Recipient[]> {
  const chats = (await deps.store.propertyChats(propertyId, "director")).filter((c) => c.active);
  const admins = (await deps.store.staffOf(propertyId, "admin")).flatMap((p) => {
    const to = privateChatOf(p);
    return to ? [{ to, locale: p.locale ?? deps.staffLocale }] : [];
  });
  return [...chats.map((c) => ({ to: { platform: c.platform, chatId: c.chatId }, locale: deps.staffLocale })), ...admins];
}

export async function monthlyStats(deps: MonthlyStatsDeps, now: Date, slot: Date): Promise<JobResult> {
  // The slot is on the 1st: its period is the month before, whenever the run catches it up.
  const month = localMonthKey(slot, deps.timeZone, -1);
  const range = monthRange(month, deps.timeZone)!;
  const late = isLate(now, slot);
  const results = [];
  for (const property of await deps.store.properties()) {
    const key = { job: "monthly_stats", period: month, target: property.id };
    // Building a workbook for a post already made is wasted work; the ledger still decides.
    if (await deps.ledger.find(key)) {
      results.push({ posted: false });
      continue;
    }
    const to = await recipients(deps, property.id);
    if (to.length === 0) continue;
    const figures = await deps.reports.monthly(property.id, month, range.from, range.to, now);
    const breakdown = await deps.reports.breakdown(property.id, range.from, range.to);
    const outbox = await messages(deps, property, figures, to, late ? slot : null, breakdown);
    const data = { total: figures.total, byKind: figures.byKind, ratings: figures.ratings, rates: figures.rates };
    results.push(await deps.ledger.post(key, { scheduledFor: slot, at: now, late, data, outbox, bulk: true }));
  }
  return tally(results);
}

/** Each language's text and files are made once, however many chats read that language. */
async function messages(
  deps: MonthlyStatsDeps,
  property: PropertyRecord,
  figures: MonthlyFigures,
  to: readonly Recipient[],
  lateSince: Date | null,
  breakdown: Breakdown,
): Promise<NewOutboxMessage[]> {
  const out: NewOutboxMessage[] = [];
  for (const locale of new Set(to.map((r) => r.locale))) {
    const label = propertyLabel(property, locale);
    const text = monthlyTexts(label, figures, lateSince, breakdown);
    const files = await deps.reportFiles.monthly({ property, figures, locale });
    for (const r of to.filter((x) => x.locale === locale)) out.push(...monthlyMessages(r.to, locale, text, files, { property: label, month: figures.month }));
  }
  return out;
}
