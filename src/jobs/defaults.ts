/**
 * The scheduled jobs by name, with their default schedules (cron, in the configured time zone).
 * Each can be changed or turned off with `SCHEDULE_<NAME>` (e.g. SCHEDULE_DIRECTOR_DIGEST="0 8 * * *",
 * SCHEDULE_PRUNE=off); src/config.ts validates them.
 */
export const JOB_SCHEDULES = {
  /** 跟清楚: passed deadlines climb the ladder (assignee, staff group, one level up). */
  overdue_sweep: "*/5 * * * *",
  /** 回访: each callback planned by severity, at its time, to the person responsible, then up the ladder. */
  callback_reminders: "*/5 * * * *",
  /** The director reads yesterday's complaints and signs off before 09:00 (seed 000 §3, item 4). */
  director_digest: "30 8 * * *",
  digest_reminder: "0 9 * * *",
  /** 工作日志: the day's log to each staff group at the end of business hours. */
  daily_log: "0 18 * * *",
  /** 交接班: at shift start, what the shift must pick up (seed 000 §2(1)B). */
  shift_handover: "30 8 * * *",
  /** Monthly statistics on the 1st (seed 000 §3; domain.md "the month"). */
  monthly_stats: "0 9 1 * *",
  /** Forget webhook update ids and sent outbox rows once they can no longer matter. */
  prune: "20 3 * * *",
  /** 总经理热线 (seed 002): each case's deadlines reminded and escalated; the 7-day written report. */
  hotline_sweep: "*/10 * * * *",
  /** 热线日报 (seed 002 §4.5.2), before the duty ends at 18:00 (§5.1). */
  hotline_daily: "30 17 * * *",
  /** The hotline's month to the general manager: KPIs, ranking and the four forms (seed 002 §3.1.5-§3.1.6). */
  hotline_monthly: "0 9 1 * *",
} as const;

export type JobName = keyof typeof JOB_SCHEDULES;
export const JOB_NAMES = Object.keys(JOB_SCHEDULES) as JobName[];
export const scheduleEnvKey = (name: JobName): string => `SCHEDULE_${name.toUpperCase()}`;
