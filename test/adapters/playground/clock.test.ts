/** The playground's clock: where each step lands, that it never goes back, and where a move stops for the jobs. */
import { describe, expect, it } from "vitest";
import { MovableClock, stepTarget } from "../../../src/adapters/playground/clock.js";
import { JOB_SCHEDULES } from "../../../src/jobs/defaults.js";
import { scheduledJobs } from "../../../src/jobs/schedule.js";
import { jobRunner, splitJobs, stopsBetween } from "../../../src/playground-time.js";
import type { Scheduler } from "../../../src/jobs/scheduler.js";
import { sh } from "../../support/reports-fixture.js";

const ZONE = "Asia/Shanghai";

describe("the playground's clock", () => {
  it("steps an hour, to 08:30 tomorrow and to 09:00 on the 1st of next month, in the property's zone", () => {
    const now = sh("2026-12-31 23:10");
    expect(stepTarget("hour", now, ZONE)).toEqual(sh("2027-01-01 00:10"));
    expect(stepTarget("morning", now, ZONE)).toEqual(sh("2027-01-01 08:30"));
    expect(stepTarget("month", now, ZONE)).toEqual(sh("2027-01-01 09:00"));
    expect(stepTarget("morning", sh("2026-12-07 07:00"), ZONE)).toEqual(sh("2026-12-08 08:30"));
  });

  it("runs ahead of the real clock and never back", () => {
    let real = sh("2026-12-07 10:00");
    const clock = new MovableClock({ now: () => new Date(real) });
    clock.moveTo(sh("2026-12-08 08:30"));
    expect(clock.now()).toEqual(sh("2026-12-08 08:30"));
    clock.moveTo(sh("2026-12-07 12:00"));
    expect(clock.now()).toEqual(sh("2026-12-08 08:30"));
    real = sh("2026-12-07 11:00");
    expect(clock.now()).toEqual(sh("2026-12-08 09:30"));
    expect(new MovableClock({ now: () => new Date(real) }, clock.offsetMs()).now()).toEqual(sh("2026-12-08 09:30"));
  });

  it("stops at every job's slot and each hour on a short move, at the once-a-period jobs' on a long one", () => {
    const jobs = scheduledJobs(JOB_SCHEDULES);
    const short = stopsBetween(jobs, ZONE, sh("2026-12-07 16:00"), sh("2026-12-08 08:30"));
    expect(short[0]).toEqual(sh("2026-12-07 17:00"));
    expect(short).toContainEqual(sh("2026-12-07 18:00")); // the daily log
    expect(short).toContainEqual(sh("2026-12-08 03:20")); // prune
    // The 5-minute jobs (the overdue sweep, the callback reminders) run at the hourly stops instead.
    expect(short).not.toContainEqual(sh("2026-12-07 17:05"));
    expect(short.at(-1)).toEqual(sh("2026-12-08 08:30"));
    const long = stopsBetween(jobs, ZONE, sh("2026-12-07 10:00"), sh("2027-01-01 09:00"));
    // Digests at 08:30 from Dec 8 to Jan 1 (25), daily logs at 18:00 and hotline daily reports at
    // 17:30 from Dec 7 to 31 (25 each), the statistics and the hotline's month at the end.
    expect(long.length).toBe(25 + 25 + 25 + 1);
    expect(long).not.toContainEqual(sh("2026-12-08 03:20"));
    expect(long.at(-1)).toEqual(sh("2027-01-01 09:00"));
  });

  it("ticks the present-looking jobs at every stop of a short move, once at the end of a long one", async () => {
    const jobs = scheduledJobs(JOB_SCHEDULES);
    const { periodic, present } = splitJobs(jobs);
    expect(periodic.map((j) => j.name).sort()).toEqual(["daily_log", "director_digest", "hotline_daily", "hotline_monthly", "monthly_stats"]);
    expect(present.map((j) => j.name)).toContain("overdue_sweep");
    const ticks: string[] = [];
    const fake = (name: string): Scheduler => ({
      tick: async (now) => (ticks.push(`${name} ${now!.toISOString()}`), []),
      start: async () => {},
      stop: async () => {},
    });
    const clock = new MovableClock({ now: () => sh("2026-12-07 10:00") });
    const run = jobRunner({ periodic: fake("periodic"), present: fake("present"), jobs, clock, timeZone: ZONE, deliver: async () => {} });
    await run(clock.now(), sh("2026-12-07 12:00"));
    expect(ticks.filter((t) => t.startsWith("present"))).toHaveLength(2); // 11:00 and 12:00
    ticks.length = 0;
    await run(clock.now(), sh("2027-01-01 09:00"));
    expect(ticks.filter((t) => t.startsWith("present"))).toEqual([`present ${sh("2027-01-01 09:00").toISOString()}`]);
    expect(ticks.filter((t) => t.startsWith("periodic"))).toHaveLength(76);
    expect(clock.now()).toEqual(sh("2027-01-01 09:00"));
  });
});
