/**
 * What every scheduled job is: a plain function of its dependencies and the time, run by
 * src/jobs/scheduler.ts on the slots src/jobs/schedule.ts names. A job makes each of its posts
 * through the ledger (src/core/jobs/ledger.ts), so running it twice for one slot posts once.
 */
import type { JobLedger } from "./ledger.js";
import type { Logger } from "../logger.js";
import type { OutboxStore } from "../outbox.js";
import type { PersonStore } from "../people/store.js";
import type { PropertyStore } from "../property/store.js";
import type { ChatStore } from "../staff/chats.js";
import type { StaffStore } from "../staff/roles.js";
import type { TicketStore } from "../ticket/store.js";
import type { ReportStore } from "../reports/figures.js";
import type { SlaStore } from "../sla/store.js";
import type { Locale } from "../text.js";
import type { HandoverStore } from "../staff/handover.js";
import type { ReportFiles } from "../reports/files.js";
import type { MaintenanceStore } from "./prune.js";

export interface JobDeps {
  /** The properties, their people, chats and tickets: what the posts are about and whom they go to. */
  readonly store: PersonStore & PropertyStore & TicketStore & StaffStore & ChatStore;
  readonly outbox: OutboxStore;
  readonly ledger: JobLedger;
  readonly reports: ReportStore;
  /** Properties' SLA policies and the SLA jobs' reads. */
  readonly sla: SlaStore;
  readonly handover: HandoverStore;
  /** The monthly workbook and CSV. */
  readonly reportFiles: ReportFiles;
  readonly maintenance: MaintenanceStore;
  /** The language of staff groups' and the director's messages. */
  readonly staffLocale: Locale;
  /** The company's default time zone; a property's SLA policy may name its own. */
  readonly timeZone: string;
  readonly logger: Logger;
}

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
export type Job = (deps: JobDeps, now: Date, slot: Date) => Promise<JobResult>;

/** A post made more than this after its slot says it is late, and when it was due. */
export const LATE_AFTER_MS = 30 * 60_000;
export const isLate = (now: Date, slot: Date): boolean => now.getTime() - slot.getTime() > LATE_AFTER_MS;

/** A run's counts from the ledger's answers. */
export function tally(results: readonly { posted: boolean }[]): JobResult {
  const posted = results.filter((r) => r.posted).length;
  return { posted, skipped: results.length - posted };
}
