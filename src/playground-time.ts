/**
 * Moving the playground's clock: the scheduled jobs run at each of their slots on the way, in
 * order, against the playground's store, with its clock standing at the slot (so a digest posted
 * at 08:30 says 08:30), and the sender delivers after each. The 5-minute overdue sweep runs at
 * those stops and hourly on short moves, rather than 8,640 times for a month.
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
  for (const job of jobs) {
    if (FREQUENT.has(job.name)) continue;
    for (const slot of cronSlots(job.cron, timeZone).between(from, to, 10_000)) stops.add(slot.getTime());
  }
  if (to.getTime() - from.getTime() <= HOURLY_UP_TO_MS) {
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
