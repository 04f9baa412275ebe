/**
 * The one bag of ports every scheduled job is handed (each job names the part it uses in its own
 * `…Deps`, beside its concept in src/core), built once in src/main.ts.
 */
import type { JobLedger } from "../core/scheduled/ledger.js";
import type { Logger } from "../core/logger.js";
import type { OutboxStore } from "../core/outbox.js";
import type { PersonStore } from "../core/people/store.js";
import type { PropertyStore } from "../core/property/store.js";
import type { ChatStore } from "../core/staff/chats.js";
import type { StaffStore } from "../core/staff/roles.js";
import type { TicketStore } from "../core/ticket/store.js";
import type { ReportStore } from "../core/reports/figures.js";
import type { SlaStore } from "../core/sla/store.js";
import type { Locale } from "../core/text.js";
import type { HandoverStore } from "../core/staff/handover.js";
import type { ReportFiles } from "../core/reports/files.js";
import type { MaintenanceStore } from "../core/scheduled/prune.js";
import type { Job as CoreJob } from "../core/scheduled/run.js";
import type { HotlineStore } from "../core/hotline/store.js";
import type { HotlineFiles } from "../core/hotline/forms.js";


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
  /** The general manager's hotline (issue 14): its sweep and daily report post nothing without it. */
  readonly hotline?: HotlineStore;
  /** The hotline's forms for its monthly report (absent: the figures go without the workbook). */
  readonly hotlineFiles?: HotlineFiles;
}

export type Job = CoreJob<JobDeps>;
