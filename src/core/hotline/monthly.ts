/**
 * The hotline's month to the general manager (seed 002 §3.1.5-§3.1.6: 考核, 如实地向物业集团总经理
 * 汇报): on the 1st, last month's KPIs with the properties ranked, and the four forms as a
 * workbook, to the general manager and the hotline group, once through the ledger.
 */
import { isLate, tally, type JobResult } from "../scheduled/run.js";
import { localMonthKey, monthRange } from "../time/zone.js";
import { t } from "../text.js";
import { kpiTexts, type HotlineFiles } from "./forms.js";
import { monthOf } from "./month.js";
import { toChats, toPeople } from "./notify.js";
import type { HotlineDailyDeps } from "./daily.js";
import type { NewOutboxMessage } from "../outbox.js";

export interface HotlineMonthlyDeps extends HotlineDailyDeps {
  readonly hotlineFiles?: HotlineFiles;
}

export async function hotlineMonthly(deps: HotlineMonthlyDeps, now: Date, slot: Date): Promise<JobResult> {
  const { hotline, staffLocale } = deps;
  if (!hotline) return { posted: 0, skipped: 0 };
  // The 1st reports the month before.
  const month = localMonthKey(slot, deps.timeZone, -1);
  const key = { job: "hotline_monthly", period: month, target: "company" };
  if (await deps.ledger.find(key)) return { posted: 0, skipped: 1 };
  const range = monthRange(month, deps.timeZone)!;
  const m = await monthOf({ store: { ...deps.store, ...hotline }, policyOf: (id) => deps.sla.policyOf(id) }, range.from, range.to, now, staffLocale);
  const text = kpiTexts(month, m.kpis, m.names);
  const file = deps.hotlineFiles ? await deps.hotlineFiles.forms({ month, histories: m.histories, kpis: m.kpis, names: m.names, locale: staffLocale }) : null;
  const messages = [...toPeople(await hotline.companyPeople("general_manager"), staffLocale, text), ...toChats(await hotline.hotlineChats(), staffLocale, text)];
  const outbox: NewOutboxMessage[] = messages.flatMap((msg) =>
    file ? [msg, { kind: "document" as const, to: msg.to, body: { locale: staffLocale, text: [t("hotline.export.caption", { month })], filename: file.filename, mediaType: file.mediaType, base64: file.base64 } }] : [msg],
  );
  const data = Object.fromEntries(m.kpis.map((k) => [k.propertyId, { rank: k.rank, cases: k.cases, targetsMet: k.targetsMet }]));
  return tally([await deps.ledger.post(key, { scheduledFor: slot, at: now, late: isLate(now, slot), data, outbox, bulk: true })]);
}
