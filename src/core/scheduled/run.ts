/**
 * What every scheduled job is: a plain function of its dependencies and the time, run by
 * src/jobs/scheduler.ts on the slots src/jobs/schedule.ts names. Each job names the ports it
 * needs (its own `…Deps`); src/jobs/job.ts hands every job the one bag that holds them all. A job
 * makes each of its posts through the ledger (./ledger.ts), so running it twice for one slot
 * posts once.
 */
import type { Locale } from "../text.js";
import type { JobLedger } from "./ledger.js";

export interface JobResult {
  /** Posts made by this run. */
  readonly posted: number;
  /** Posts found already made (by an earlier run or another instance). */
  readonly skipped: number;
}

/**
 * `now` is when it runs; `slot` is the schedule slot it runs for (earlier than `now` when a run
 * missed during downtime is caught up). Periods come from `slot`, lateness from `now - slot`.
 */
export type Job<D> = (deps: D, now: Date, slot: Date) => Promise<JobResult>;

/** What every job that posts has: the ledger that makes each post once, and the staff's language. */
export interface PostingDeps {
  readonly ledger: JobLedger;
  /** The language of staff groups' and the director's messages. */
  readonly staffLocale: Locale;
}

/** A post made more than this after its slot says it is late, and when it was due. */
export const LATE_AFTER_MS = 30 * 60_000;
export const isLate = (now: Date, slot: Date): boolean => now.getTime() - slot.getTime() > LATE_AFTER_MS;

/** A run's counts from the ledger's answers. */
export function tally(results: readonly { posted: boolean }[]): JobResult {
  const posted = results.filter((r) => r.posted).length;
  return { posted, skipped: results.length - posted };
}
