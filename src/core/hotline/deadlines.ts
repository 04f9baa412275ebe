/**
 * A case's open deadlines, from its status and history (seed 002): the measures at once (§4.4,
 * the policy's business-hours clock); the department head's first callback within 24 h of the
 * case file (§4.6.1); the 处理回访表 to the quality office within 24 h (§4.5.1); the officer's
 * closing callback once the property reports it done (§4.6.2; the task names no time, so the
 * first callback's 24 h is used); the written report when the case has no measures or is still
 * unsolved after 7 days (§4.3.3); the officer's stage callbacks on a long case (§4.6.2, `stageCallback`).
 */
import type { SlaPolicy } from "../sla/policy.js";
import type { HotlineCaseRecord, HotlineEventRecord, HotlineEventType } from "./case.js";

export const HOTLINE_DEADLINES = ["measures", "first_callback", "feedback", "closing_callback", "stage_callback", "written_report"] as const;
export type HotlineDeadlineKind = (typeof HOTLINE_DEADLINES)[number];

export interface HotlineDeadline {
  readonly kind: HotlineDeadlineKind;
  readonly due: Date;
  /** A deadline that comes round again (the stage callbacks): which round, so each is reminded once. */
  readonly round?: string;
}

const MINUTE = 60_000;
const after = (from: Date, minutes: number) => new Date(from.getTime() + minutes * MINUTE);

export function caseDeadlines(c: HotlineCaseRecord, events: readonly HotlineEventRecord[], policy: SlaPolicy): HotlineDeadline[] {
  if (c.status === "closed") return [];
  const last = (type: HotlineEventType) => events.filter((e) => e.type === type).at(-1);
  const out: HotlineDeadline[] = [];
  if (c.status === "awaiting_measures") out.push({ kind: "measures", due: c.measuresDueAt });
  if (!last("callback_first")) out.push({ kind: "first_callback", due: after(c.createdAt, policy.hotlineFirstCallbackMinutes) });
  if (!last("feedback")) out.push({ kind: "feedback", due: after(c.createdAt, policy.hotlineFeedbackMinutes) });
  const done = last("done");
  if (c.status === "done" && done) out.push({ kind: "closing_callback", due: after(done.at, policy.hotlineFirstCallbackMinutes) });
  if (c.status === "awaiting_measures" || c.status === "in_hand") out.push({ kind: "written_report", due: after(c.createdAt, policy.hotlineWrittenReportMinutes) });
  return out;
}

/**
 * §4.6.2 阶段性回访 on a long case: in hand `hotlineStageMinutes` after the case file or the last
 * stage callback, the officer owes one, and again every as long until it is done (the policy's
 * `hotline.stage`, default 3 days). Only a case in hand: before the measures there is no process
 * to ask about, and a case reported done is owed the closing callback instead.
 */
export function stageCallback(c: HotlineCaseRecord, events: readonly HotlineEventRecord[], policy: SlaPolicy, now: Date): HotlineDeadline[] {
  return stageRound(c, events, policy, now, 1);
}

/**
 * The stage callback a daily report lists (§4.5.2: each case's progress): the one overdue, as
 * `stageCallback` has it, or else the next one coming, so the officers see it before it is late.
 */
export function stageCallbackAhead(c: HotlineCaseRecord, events: readonly HotlineEventRecord[], policy: SlaPolicy, now: Date): HotlineDeadline[] {
  return stageRound(c, events, policy, now, 0);
}

/** The latest round due by `now` when at least `atLeast` rounds are; the next one when none is. */
function stageRound(c: HotlineCaseRecord, events: readonly HotlineEventRecord[], policy: SlaPolicy, now: Date, atLeast: 0 | 1): HotlineDeadline[] {
  const every = policy.hotlineStageMinutes * MINUTE;
  if (c.status !== "in_hand" || every <= 0) return [];
  const from = events.filter((e) => e.type === "callback_stage").at(-1)?.at ?? c.createdAt;
  const rounds = Math.floor((now.getTime() - from.getTime()) / every);
  if (rounds < atLeast) return [];
  const due = new Date(from.getTime() + Math.max(rounds, 1) * every);
  return [{ kind: "stage_callback", due, round: due.toISOString() }];
}

export type Level = 1 | 2 | 3;

/** Level 1 at the deadline, each next one `stepMinutes` later, as the tickets' ladder climbs. */
export function reachedLevels(due: Date, now: Date, policy: SlaPolicy): Level[] {
  return ([1, 2, 3] as const).filter((l) => now.getTime() >= after(due, (l - 1) * policy.stepMinutes).getTime());
}
