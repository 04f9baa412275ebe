/**
 * The one place that maps schedules to jobs: each job with its cron expression (configured, in
 * the configured time zone; null turns it off) and how runs missed during downtime are caught up.
 */
import type { JobName } from "./defaults.js";
import type { Job } from "./job.js";
import type { ScheduledJob } from "./scheduler.js";
import { callbackReminders } from "../core/sla/callback-reminders.js";
import { dailyLog } from "../core/reports/daily-log.js";
import { directorDigest } from "../core/reports/director-digest.js";
import { digestReminder } from "../core/reports/digest-reminder.js";
import { monthlyStats } from "../core/reports/monthly-stats.js";
import { overdueSweep } from "../core/sla/overdue-sweep.js";
import { prune } from "../core/scheduled/prune.js";
import { shiftHandover } from "../core/reports/shift-handover.js";
import { hotlineDaily } from "../core/hotline/daily.js";
import { hotlineSweep } from "../core/hotline/sweep.js";
import { hotlineMonthly } from "../core/hotline/monthly.js";

const DAY = 24 * 3_600_000;

/**
 * "every": a post per missed period (a digest for each day the bot was down, within a week; a
 * month's statistics within two months). "latest": looking at the present is enough.
 */
const JOBS: Readonly<Record<JobName, { job: Job; catchUp: ScheduledJob["catchUp"]; catchUpWindowMs?: number }>> = {
  overdue_sweep: { job: overdueSweep, catchUp: "latest" },
  callback_reminders: { job: callbackReminders, catchUp: "latest" },
  director_digest: { job: directorDigest, catchUp: "every", catchUpWindowMs: 7 * DAY },
  digest_reminder: { job: digestReminder, catchUp: "latest" },
  daily_log: { job: dailyLog, catchUp: "every", catchUpWindowMs: 7 * DAY },
  shift_handover: { job: shiftHandover, catchUp: "latest" },
  monthly_stats: { job: monthlyStats, catchUp: "every", catchUpWindowMs: 62 * DAY },
  prune: { job: prune, catchUp: "latest" },
  hotline_sweep: { job: hotlineSweep, catchUp: "latest" },
  hotline_daily: { job: hotlineDaily, catchUp: "every", catchUpWindowMs: 7 * DAY },
  hotline_monthly: { job: hotlineMonthly, catchUp: "every", catchUpWindowMs: 62 * DAY },
};

export function scheduledJobs(schedules: Readonly<Record<JobName, string | null>>): ScheduledJob[] {
  return (Object.keys(JOBS) as JobName[]).flatMap((name) => {
    const cron = schedules[name];
    return cron ? [{ name, cron, ...JOBS[name] }] : [];
  });
}
