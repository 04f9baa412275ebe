/**
 * The hotline's own reminder ladder (seed 002 §4.4-§4.6), a scheduled job: each passed deadline of
 * an open case is reminded once per level — level 1 to whoever owes the step, level 2 also to
 * the hotline group (全质办, who follow every case daily, §4.5.2), level 3 also to the general
 * manager (§4.5.2: 楼盘反馈有困难…总经理协调). A case without measures or unsolved after 7 days
 * goes once, in writing, to the general manager and the quality office (§4.3.3). Every post goes
 * through the ledger, so a repeated run or a second instance posts nothing twice.
 */
import { privateChatOf, type ChatRef } from "../messages.js";
import type { NewOutboxMessage } from "../outbox.js";
import { nameOf } from "../people/name.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import type { PropertyStore } from "../property/store.js";
import { isLate, tally, type JobResult, type PostingDeps } from "../scheduled/run.js";
import type { SlaStore } from "../sla/store.js";
import type { StaffStore } from "../staff/roles.js";
import { t, type Text } from "../text.js";
import { time } from "../ticket/views.js";
import { OPEN_HOTLINE_STATUSES, type HotlineCaseRecord, type HotlineEventRecord } from "./case.js";
import { caseDeadlines, reachedLevels, stageCallback, type HotlineDeadline, type Level } from "./deadlines.js";
import { propertyName } from "./file.js";
import type { HotlineStore } from "./store.js";
import { caseTexts } from "./views.js";
import { toChats, toPeople } from "./notify.js";
import type { HotlineFiles } from "./forms.js";

export interface HotlineJobDeps extends PostingDeps {
  /** Absent where the hotline is not wired: the jobs post nothing. */
  readonly hotline?: HotlineStore;
  readonly store: PersonStore & PropertyStore & StaffStore;
  readonly sla: Pick<SlaStore, "policyOf">;
  /** The written report's printable document (§4.3.3); absent, the report goes as messages only. */
  readonly hotlineFiles?: Pick<HotlineFiles, "writtenReport">;
}

/** Enough for every open case of a group's properties; more would be a backlog the daily report shows anyway. */
const OPEN_LIMIT = 2_000;

export async function hotlineSweep(deps: HotlineJobDeps, now: Date): Promise<JobResult> {
  const { hotline } = deps;
  if (!hotline) return { posted: 0, skipped: 0 };
  const results: { posted: boolean }[] = [];
  for (const c of await hotline.cases({ statuses: OPEN_HOTLINE_STATUSES, limit: OPEN_LIMIT })) {
    const policy = await deps.sla.policyOf(c.propertyId);
    const events = await hotline.caseEvents(c.id);
    const deadlines = [...caseDeadlines(c, events, policy), ...stageCallback(c, events, policy, now)];
    for (const d of deadlines.filter((x) => x.due.getTime() <= now.getTime())) {
      if (d.kind === "written_report") {
        results.push(await deps.ledger.post({ job: "hotline_written", period: c.id, target: "report" }, { scheduledFor: d.due, at: now, late: isLate(now, d.due), outbox: await writtenReport(deps, hotline, c, events, deadlines, now) }));
        continue;
      }
      for (const level of reachedLevels(d.due, now, policy)) {
        const at = new Date(d.due.getTime() + (level - 1) * policy.stepMinutes * 60_000);
        const outbox = await reminder(deps, hotline, c, d, level);
        results.push(await deps.ledger.post({ job: "hotline_overdue", period: `${c.id}:${d.kind}${d.round ? `@${d.round}` : ""}`, target: `level:${level}` }, { scheduledFor: at, at: now, late: isLate(now, at), outbox }));
      }
    }
  }
  return tally(results);
}

async function reminder(deps: HotlineJobDeps, hotline: HotlineStore, c: HotlineCaseRecord, d: HotlineDeadline, level: Level): Promise<NewOutboxMessage[]> {
  const owing = await owes(deps, hotline, c, d);
  const managers = level >= 3 ? await hotline.companyPeople("general_manager") : [];
  const groups = level >= 2 ? await hotline.hotlineChats() : [];
  const property = await propertyName(deps.store, c.propertyId, deps.staffLocale);
  const text = [t(`hotline.overdue.level${level}`), t(`hotline.overdue.${d.kind as Exclude<HotlineDeadline["kind"], "written_report">}`, { number: c.number, property, due: time(d.due) })];
  return [...toPeople([...owing, ...managers], deps.staffLocale, text), ...toChats(groups, deps.staffLocale, text)];
}

/** Who owes the step: the property head the measures and the feedback (§3.2.3), the department head the first callback, the officers the closing and stage ones (§4.6.2). */
async function owes(deps: HotlineJobDeps, hotline: HotlineStore, c: HotlineCaseRecord, d: HotlineDeadline): Promise<PersonRecord[]> {
  if (d.kind === "closing_callback" || d.kind === "stage_callback") return hotline.companyPeople("hotline_officer");
  const heads = await deps.store.staffOf(c.propertyId, "property_head");
  const department = c.departmentHeadId ? await deps.store.personById(c.departmentHeadId) : null;
  if (d.kind === "first_callback") return department ? [department] : heads;
  return d.kind === "feedback" && department ? [...heads, department] : heads;
}

async function writtenReport(deps: HotlineJobDeps, hotline: HotlineStore, c: HotlineCaseRecord, events: readonly HotlineEventRecord[], deadlines: readonly HotlineDeadline[], now: Date): Promise<NewOutboxMessage[]> {
  const property = await propertyName(deps.store, c.propertyId, deps.staffLocale);
  const head = c.departmentHeadId ? await deps.store.personById(c.departmentHeadId) : null;
  const reason = c.status === "awaiting_measures" ? "no_measures" : "unsolved";
  const text: Text[] = [
    t("hotline.written.title", { number: c.number, property }),
    t(`hotline.written.${reason}`),
    ...caseTexts(c, property, head ? nameOf(head) : null),
    t("hotline.written.history"),
    ...events.map((e) => t("hotline.written.event", { at: time(e.at), event: t(`hotline.event.${e.type}`) })),
  ];
  const managers = await hotline.companyPeople("general_manager");
  const groups = await hotline.hotlineChats();
  const messages = [...toPeople(managers, deps.staffLocale, text), ...toChats(groups, deps.staffLocale, text)];
  if (!deps.hotlineFiles) return messages;
  // §4.3.3 "书面上报": the same case file as a printable document, to the same readers.
  const names = new Map<string, string>();
  for (const id of new Set(events.flatMap((e) => (e.actorId ? [e.actorId] : [])))) {
    const p = await deps.store.personById(id);
    if (p) names.set(id, nameOf(p));
  }
  const file = await deps.hotlineFiles.writtenReport({
    case: c,
    property,
    departmentHead: head ? nameOf(head) : null,
    reason,
    history: events.map((e) => ({ at: e.at, type: e.type, by: e.actorId ? (names.get(e.actorId) ?? null) : null, note: String(e.data.note ?? e.data.measures ?? "") })),
    overdue: deadlines.flatMap((d) => (d.kind !== "written_report" && d.due.getTime() <= now.getTime() ? [{ kind: d.kind, due: d.due }] : [])),
    at: now,
    locale: deps.staffLocale,
  });
  const caption = [t("hotline.written.caption", { number: c.number, property })];
  const document = (to: ChatRef): NewOutboxMessage => ({ kind: "document", to, body: { locale: deps.staffLocale, text: caption, ...file } });
  const readers = [...new Map(managers.flatMap((p) => { const to = privateChatOf(p); return to ? [[p.id, to] as const] : []; })).values(), ...groups];
  return [...messages, ...readers.map(document)];
}
