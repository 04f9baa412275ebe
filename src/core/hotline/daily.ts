/**
 * The hotline daily report (热线日报, seed 002 §4.5.2: 热线专员每日跟进…准确做好热线日报), a
 * scheduled job: to the hotline group and the general manager, once a day through the ledger —
 * the day's new cases, each open case's latest step, the steps overdue and the callbacks due
 * (the stage callbacks of long cases, §4.6.2, among them).
 */
import { localDay } from "../time/zone.js";
import { isLate, tally, type JobResult } from "../scheduled/run.js";
import { t, type Text } from "../text.js";
import { time } from "../ticket/views.js";
import { OPEN_HOTLINE_STATUSES } from "./case.js";
import { caseDeadlines, stageCallbackAhead } from "./deadlines.js";
import { propertyName } from "./file.js";
import { toChats, toPeople } from "./notify.js";
import type { HotlineJobDeps } from "./sweep.js";
import { caseLine } from "./views.js";

export interface HotlineDailyDeps extends HotlineJobDeps {
  readonly timeZone: string;
}

const OPEN_LIMIT = 2_000;
const CALLBACKS = new Set(["first_callback", "closing_callback", "stage_callback"]);

export async function hotlineDaily(deps: HotlineDailyDeps, now: Date, slot: Date): Promise<JobResult> {
  const { hotline, staffLocale } = deps;
  if (!hotline) return { posted: 0, skipped: 0 };
  // The slot's own day: the report made at 17:30 covers that day so far.
  const day = localDay(new Date(slot.getTime() - 1), deps.timeZone);
  const key = { job: "hotline_daily", period: day.key, target: "company" };
  if (await deps.ledger.find(key)) return { posted: 0, skipped: 1 };
  const name = (id: string) => propertyName(deps.store, id, staffLocale);
  const filed = await hotline.casesFiled(day.from, slot);
  const open = await hotline.cases({ statuses: OPEN_HOTLINE_STATUSES, limit: OPEN_LIMIT });
  const progress: Text[] = [];
  const overdue: Text[] = [];
  const callbacks: Text[] = [];
  for (const c of [...open].reverse()) {
    const events = await hotline.caseEvents(c.id);
    const latest = events.at(-1);
    const property = await name(c.propertyId);
    progress.push(t("hotline.daily.progress_line", { line: caseLine(c, property), event: latest ? t(`hotline.event.${latest.type}`) : "-", at: time(latest?.at ?? c.createdAt) }));
    const policy = await deps.sla.policyOf(c.propertyId);
    for (const d of [...caseDeadlines(c, events, policy), ...stageCallbackAhead(c, events, policy, slot)]) {
      const line = t("hotline.daily.deadline_line", { number: c.number, property, deadline: t(`hotline.deadline.${d.kind}`), due: time(d.due) });
      if (d.due.getTime() <= slot.getTime()) overdue.push(line);
      else if (CALLBACKS.has(d.kind)) callbacks.push(line);
    }
  }
  const text: Text[] = [
    t("hotline.daily.title", { date: day.key }),
    t("hotline.daily.new", { count: filed.length }),
    ...(await Promise.all(filed.map(async (c) => caseLine(c, await name(c.propertyId))))),
    t("hotline.daily.progress", { count: open.length }),
    ...progress,
    t("hotline.daily.overdue", { count: overdue.length }),
    ...overdue,
    t("hotline.daily.callbacks", { count: callbacks.length }),
    ...callbacks,
  ];
  const outbox = [...toChats(await hotline.hotlineChats(), staffLocale, text), ...toPeople(await hotline.companyPeople("general_manager"), staffLocale, text)];
  const data = { new: filed.map((c) => c.number), open: open.length, overdue: overdue.length, callbacksDue: callbacks.length };
  return tally([await deps.ledger.post(key, { scheduledFor: slot, at: now, late: isLate(now, slot), data, outbox, bulk: true })]);
}
