/**
 * Moving the playground's clock: the scheduled jobs run at each of their slots on the way, in
 * order, against the playground's store, with its clock standing at the slot (so a digest posted
 * at 08:30 says 08:30), and the sender delivers after each. On a move of up to two days every
 * job's slots are stops, and each hour; on a longer one only the slots of the jobs that post once
 * per period (the digest, the daily log, the month's statistics): the others look at the present
 * and run at those stops, rather than the 5-minute sweep 8,640 times for a month.
 */
import type { MovableClock } from "./adapters/playground/clock.js";
import { cronSlots } from "./jobs/cron.js";
import type { ScheduledJob, Scheduler } from "./jobs/scheduler.js";

const HOUR = 3_600_000;
/** Beyond this, a jump stops only at the daily and monthly jobs' slots. */
const HOURLY_UP_TO_MS = 2 * 24 * HOUR;
const FREQUENT = new Set(["overdue_sweep"]);

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

export function jobRunner(deps: { scheduler: Scheduler; jobs: readonly ScheduledJob[]; clock: MovableClock; timeZone: string; deliver(): Promise<unknown> }) {
  return async (from: Date, to: Date): Promise<void> => {
    for (const stop of stopsBetween(deps.jobs, deps.timeZone, from, to)) {
      deps.clock.moveTo(stop);
      await deps.scheduler.tick(stop);
      await deps.deliver();
    }
  };
}
