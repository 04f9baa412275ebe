/**
 * The staff side over one store: the scheduled jobs' bag and the staff desk with its extensions,
 * built the same way for a deployment (src/main.ts) and the playground (src/playground-desks.ts).
 */
import { StaffDesk } from "./core/desk/staff-desk.js";
import type { Logger } from "./core/logger.js";
import type { OutboxStore } from "./core/outbox.js";
import { vipExtension } from "./core/registry/vip.js";
import { draftExtension } from "./core/draft/extension.js";
import type { ReplyDrafter } from "./core/draft/port.js";
import { staffListExtension } from "./core/registry/staff-list.js";
import { createDigestExtension } from "./core/reports/digest-extension.js";
import { propertyTimeZone } from "./core/reports/digest.js";
import { statsExtension } from "./core/reports/stats-extension.js";
import type { SlaStore } from "./core/sla/store.js";
import { handoverExtension } from "./core/staff/handover.js";
import type { Locale } from "./core/text.js";
import type { Clock } from "./core/time/clock.js";
import type { Renderer } from "./i18n/render.js";
import { createReportFiles } from "./infra/export/files.js";
import { frontDeskExtension } from "./core/frontdesk/extension.js";
import { frontDeskStore } from "./infra/prisma/frontdesk.js";
import { letterReplyExtension, withRegisterExport } from "./core/frontdesk/reply.js";
import { createLetterFiles } from "./infra/export/letters.js";
import { letterRegisterStore } from "./infra/prisma/letters.js";
import { hotlineExtension, type HotlineExtensionDeps } from "./core/hotline/extension.js";
import type { PolicyLookup } from "./core/sla/reply-promise.js";
import { hotlineStore } from "./infra/prisma/hotline.js";
import { createHotlineFiles } from "./infra/export/hotline-workbook.js";
import { uuidIds } from "./infra/system.js";
import { DEFAULT_SLA_POLICY } from "./core/sla/policy.js";
import { createHandoverStore } from "./infra/prisma/handover.js";
import { createJobLedger } from "./infra/prisma/jobs.js";
import { createMaintenance } from "./infra/prisma/maintenance.js";
import type { OpenedStore } from "./infra/prisma/open.js";
import { registryStore } from "./infra/prisma/registry.js";
import { createReportStore } from "./infra/prisma/reports.js";
import type { JobDeps } from "./jobs/job.js";

export interface StaffSideDeps extends Pick<OpenedStore, "store" | "use"> {
  readonly outbox: OutboxStore;
  readonly sla: SlaStore;
  readonly clock: Clock;
  readonly renderer: Renderer;
  readonly timeZone: string;
  readonly staffLocale: Locale;
  readonly logger: Logger;
  /** The optional language model's drafter for `/draft` (issue 15); the template alone without it. */
  readonly drafter?: ReplyDrafter;
}

/** The hotline (issue 14) over the store: for the staff desk's extension and the owner desk's `/hotline`. */
export function hotlineDeps(d: Pick<OpenedStore, "store" | "use"> & { readonly policyOf: PolicyLookup; readonly staffLocale: Locale }): HotlineExtensionDeps {
  return { store: { ...d.store, ...d.use(hotlineStore) }, policyOf: d.policyOf, staffLocale: d.staffLocale, newId: () => uuidIds.next() };
}

export function staffSide(d: StaffSideDeps): { jobDeps: JobDeps; staffDesk: StaffDesk } {
  const { store, outbox, use, sla, clock, timeZone, staffLocale, logger } = d;
  const reports = use(createReportStore);
  const hotlineFiles = createHotlineFiles({ renderer: d.renderer, timeZone });
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
    hotline: use(hotlineStore),
    hotlineFiles,
  };
  const letters = {
    register: use(letterRegisterStore),
    files: createLetterFiles({ renderer: d.renderer, timeZone }),
    outbox,
    timeZone,
  };
  const letterReplies = letterReplyExtension({ ...letters, store });
  const staffDesk = new StaffDesk({
    store,
    clock,
    timeZone,
    timeZoneOf: (propertyId) => propertyTimeZone(sla, timeZone, propertyId),
    staffLocale,
    extensions: [
      handoverExtension(jobDeps.handover),
      createDigestExtension({ store, reports, ledger: jobDeps.ledger, sla, timeZone }),
      withRegisterExport(statsExtension({ store, reports, files: jobDeps.reportFiles, outbox, timeZone }), letterReplies),
      vipExtension({ store: { ...store, ...use(registryStore) } }),
      draftExtension({ store, outbox, ...(d.drafter ? { drafter: d.drafter } : {}) }),
      staffListExtension({ store: { ...store, ...use(registryStore) } }),
      frontDeskExtension({
        store: { ...store, ...use(registryStore), ...use(frontDeskStore) },
        ids: uuidIds,
        staffLocale,
        slaPolicy: (propertyId) => sla.policyOf(propertyId).catch(() => DEFAULT_SLA_POLICY),
        letters,
      }),
      letterReplies,
      hotlineExtension({
        ...hotlineDeps({ store, use, policyOf: (id) => sla.policyOf(id).catch(() => DEFAULT_SLA_POLICY), staffLocale }),
        exports: { files: hotlineFiles, outbox, timeZone },
      }),
    ],
  });
  return { jobDeps, staffDesk };
}
