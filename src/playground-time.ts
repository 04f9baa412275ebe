/**
 * Moving the playground's clock: the scheduled jobs run at each of their slots on the way, in
 * order, against the playground's store, with its clock standing at the slot (so a digest posted
 * at 08:30 says 08:30), and the sender delivers after each. On a move of up to two days every
 * job's slots are stops, and each hour, and every job runs at each; on a longer one only the jobs
 * that post once per period (the digest, the daily log, the month's statistics) stop the clock at
 * their slots, and those that look at the present (the overdue sweep, the reminders, the
 * handover) run once at the end, as after a bot's downtime: a month in half the time, without the
 * 5-minute sweep run 8,640 times.
 */
import type { MovableClock } from "./adapters/playground/clock.js";
import { cronSlots } from "./jobs/cron.js";
import type { ScheduledJob, Scheduler } from "./jobs/scheduler.js";

const HOUR = 3_600_000;
/** Beyond this, a jump stops only at the daily and monthly jobs' slots. */
const HOURLY_UP_TO_MS = 2 * 24 * HOUR;
/** Every 5 minutes: on a short move they run at each hourly stop instead of stopping the clock 12 times an hour. */
const FREQUENT = new Set(["overdue_sweep", "callback_reminders", "hotline_sweep"]);

export function stopsBetween(jobs: readonly ScheduledJob[], timeZone: string, from: Date, to: Date): Date[] {
  const stops = new Set<number>([to.getTime()]);
  const short = to.getTime() - from.getTime() <= HOURLY_UP_TO_MS;
  for (const job of jobs) {
    if (FREQUENT.has(job.name) || (!short && job.catchUp !== "every")) continue;
    for (const slot of cronSlots(job.cron, timeZone).between(from, to, 10_000)) stops.add(slot.getTime());
  }
  if (short) {
    for (let t = Math.floor(from.getTime() / HOUR) * HOUR + HOUR; t < to.getTime(); t += HOUR) stops.add(t);
  }
  return [...stops].sort((a, b) => a - b).map((t) => new Date(t));
}

/** The jobs split by how they catch up; each half has its own scheduler (they share no job). */
export function splitJobs(jobs: readonly ScheduledJob[]): { periodic: ScheduledJob[]; present: ScheduledJob[] } {
  return { periodic: jobs.filter((j) => j.catchUp === "every"), present: jobs.filter((j) => j.catchUp !== "every") };
}

export interface JobRunnerDeps {
  readonly periodic: Scheduler;
  readonly present: Scheduler;
  readonly jobs: readonly ScheduledJob[];
  readonly clock: MovableClock;
  readonly timeZone: string;
  deliver(): Promise<unknown>;
}

export function jobRunner(deps: JobRunnerDeps) {
  return async (from: Date, to: Date): Promise<void> => {
    const short = to.getTime() - from.getTime() <= HOURLY_UP_TO_MS;
    for (const stop of stopsBetween(deps.jobs, deps.timeZone, from, to)) {
      deps.clock.moveTo(stop);
      await deps.periodic.tick(stop);
      if (short || stop.getTime() === to.getTime()) await deps.present.tick(stop);
      await deps.deliver();
    }
  };
}
