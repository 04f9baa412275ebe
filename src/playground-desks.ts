/**
 * The playground's desks and job bag, built as src/main.ts builds a deployment's (the same
 * extensions, the same stores), over the playground's own store and clock.
 */
import { OwnerDesk } from "./core/desk/owner-desk.js";
import { StaffDesk } from "./core/desk/staff-desk.js";
import type { Logger } from "./core/logger.js";
import type { OutboxStore } from "./core/outbox.js";
import { vipExtension } from "./core/registry/vip.js";
import { createDigestExtension } from "./core/reports/digest-extension.js";
import { statsExtension } from "./core/reports/stats-extension.js";
import { DEFAULT_SLA_POLICY } from "./core/sla/policy.js";
import { handoverExtension } from "./core/staff/handover.js";
import type { Locale } from "./core/text.js";
import type { Clock } from "./core/time/clock.js";
import type { Renderer } from "./i18n/render.js";
import { createReportFiles } from "./infra/export/files.js";
import type { OpenedStore } from "./infra/prisma/open.js";
import { createHandoverStore } from "./infra/prisma/handover.js";
import { createJobLedger } from "./infra/prisma/jobs.js";
import { createMaintenance } from "./infra/prisma/maintenance.js";
import { registryStore } from "./infra/prisma/registry.js";
import { createReportStore } from "./infra/prisma/reports.js";
import { createSlaStore } from "./infra/prisma/sla.js";
import { uuidIds } from "./infra/system.js";
import type { JobDeps } from "./jobs/job.js";

export interface DeskDeps extends Pick<OpenedStore, "store" | "use"> {
  readonly outbox: OutboxStore;
  readonly clock: Clock;
  readonly renderer: Renderer;
  readonly timeZone: string;
  readonly staffLocale: Locale;
  readonly logger: Logger;
}

export function buildDesks(d: DeskDeps): { desk: OwnerDesk; staffDesk: StaffDesk; jobDeps: JobDeps } {
  const { store, outbox, use, clock, timeZone, staffLocale, logger } = d;
  const sla = use(createSlaStore);
  const slaPolicy = (propertyId: string) => sla.policyOf(propertyId).catch(() => DEFAULT_SLA_POLICY);
  const desk = new OwnerDesk({ store, clock, ids: uuidIds, logger, slaPolicy });
  const reports = use(createReportStore);
  const jobDeps: JobDeps = {
    store,
    outbox,
    ledger: use(createJobLedger),
    reports,
    handover: use(createHandoverStore),
    maintenance: use(createMaintenance),
    sla,
    reportFiles: createReportFiles({ reports, renderer: d.renderer, timeZone }),
    staffLocale,
    timeZone,
    logger,
  };
  const staffDesk = new StaffDesk({
    store,
    clock,
    timeZone,
    staffLocale,
    extensions: [
      handoverExtension(jobDeps.handover),
      createDigestExtension({ store, reports, ledger: jobDeps.ledger, sla, timeZone }),
      statsExtension({ store, reports, files: jobDeps.reportFiles, outbox, timeZone }),
      vipExtension({ store: { ...store, ...use(registryStore) } }),
    ],
  });
  return { desk, staffDesk, jobDeps };
}
