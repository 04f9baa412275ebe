/**
 * 工作日志: at the end of the day, each property's staff groups get the day's log: what came
 * in, what was finished, what is still open or overdue, the callbacks made, and the handover
 * notes written (seed 000 §2(1): the work log and the follow-up book of each shift).
 */
import { sourceLine } from "./breakdown.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { DigestFigures, ReportStore } from "./figures.js";
import { writtenComplaintTexts } from "./written.js";
import { truncate } from "../util/input.js";
import type { HandoverNoteRecord, HandoverStore } from "../staff/handover.js";
import { t, type Text } from "../text.js";
import { localDay } from "../time/zone.js";
import { TICKET_KINDS } from "../ticket/kinds.js";
import { isLate, tally, type JobResult } from "../scheduled/run.js";
import { propertyLabel, type PropertyStore } from "../property/store.js";
import type { ChatStore } from "../staff/chats.js";
import type { PostingDeps } from "../scheduled/run.js";

/** What this job uses of the ports src/jobs/job.ts hands every job. */
export interface DailyLogDeps extends PostingDeps {
  readonly store: PropertyStore & ChatStore;
  readonly handover: HandoverStore;
  readonly reports: ReportStore;
  readonly timeZone: string;
}

const NOTES_SHOWN = 20;

export async function dailyLog(deps: DailyLogDeps, now: Date, slot: Date): Promise<JobResult> {
  const day = localDay(slot, deps.timeZone);
  const results = [];
  for (const property of await deps.store.properties()) {
    const chats = (await deps.store.propertyChats(property.id, "staff")).filter((c) => c.active);
    if (chats.length === 0) continue;
    // The log covers the day up to its slot (18:00); what comes later is in tomorrow's digest.
    const figures = await deps.reports.digest(property.id, day.from, slot, now);
    const notes = await deps.handover.between(property.id, day.from, slot, NOTES_SHOWN);
    const late = isLate(now, slot);
    const sources = sourceLine(await deps.reports.breakdown(property.id, day.from, slot));
    const written = writtenComplaintTexts(await deps.reports.openWrittenComplaints(property.id, slot), now);
    const text = dailyLogTexts(propertyLabel(property, deps.staffLocale), day.key, figures, notes, late ? slot : null, sources, written);
    const outbox: NewOutboxMessage[] = chats.map((c) => ({ kind: "message", to: { platform: c.platform, chatId: c.chatId }, body: { locale: deps.staffLocale, text } }));
    results.push(
      await deps.ledger.post(
        { job: "daily_log", period: day.key, target: property.id },
        { scheduledFor: slot, at: now, late, data: { created: figures.created, resolved: figures.resolved, open: figures.open, overdue: figures.overdue }, outbox, bulk: true },
      ),
    );
  }
  return tally(results);
}

export function dailyLogTexts(
  property: string,
  date: string,
  f: DigestFigures,
  notes: readonly HandoverNoteRecord[],
  lateSince: Date | null,
  sources?: Text,
  written: readonly Text[] = [],
): Text[] {
  const created = TICKET_KINDS.reduce((sum, k) => sum + f.created[k], 0);
  const lines: Text[] = [t("daily_log.title", { property, date })];
  if (lateSince) lines.push(t("jobs.late", { due: { time: lateSince.toISOString() } }));
  lines.push(
    t("daily_log.counts", { created, complaints: f.created.complaint, repairs: f.created.repair, resolved: f.resolved, open: f.open, overdue: f.overdue }),
    // Issue 12, item 6: where the day's matters came from.
    ...(sources ? [sources] : []),
    t("daily_log.callbacks", { count: f.callbacks.length, major: f.major.length }),
    // Issue 12, item 6: the letters still owed a written reply, with their deadlines.
    ...written,
  );
  if (notes.length === 0) lines.push(t("daily_log.no_notes"));
  else {
    lines.push(t("daily_log.notes_title", { count: notes.length }));
    for (const n of notes) lines.push(t("handover.line", { at: { time: n.at.toISOString() }, name: n.authorName ?? "?", text: truncate(n.text, 200) }));
  }
  return lines;
}
