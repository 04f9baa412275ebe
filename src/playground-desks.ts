/**
 * The playground's desks and job bag, built as src/main.ts builds a deployment's (the same
 * extensions, the same stores), over the playground's own store and clock.
 */
import { OwnerDesk } from "./core/desk/owner-desk.js";
import type { Logger } from "./core/logger.js";
import type { OutboxStore } from "./core/outbox.js";
import { DEFAULT_SLA_POLICY } from "./core/sla/policy.js";
import type { Locale } from "./core/text.js";
import type { Clock } from "./core/time/clock.js";
import type { Renderer } from "./i18n/render.js";
import type { OpenedStore } from "./infra/prisma/open.js";
import { createSlaStore } from "./infra/prisma/sla.js";
import { uuidIds } from "./infra/system.js";
import type { JobDeps } from "./jobs/job.js";
import { hotlineDeps, staffSide } from "./staff-side.js";
import type { StaffDesk } from "./core/desk/staff-desk.js";

export interface DeskDeps extends Pick<OpenedStore, "store" | "use"> {
  readonly outbox: OutboxStore;
  readonly clock: Clock;
  readonly renderer: Renderer;
  readonly timeZone: string;
  readonly staffLocale: Locale;
  readonly logger: Logger;
}

export function buildDesks(d: DeskDeps): { desk: OwnerDesk; staffDesk: StaffDesk; jobDeps: JobDeps } {
  const { store, use, clock, logger } = d;
  const sla = use(createSlaStore);
  const slaPolicy = (propertyId: string) => sla.policyOf(propertyId).catch(() => DEFAULT_SLA_POLICY);
  const hotline = hotlineDeps({ store, use, policyOf: slaPolicy, staffLocale: d.staffLocale });
  const desk = new OwnerDesk({ store, clock, ids: uuidIds, logger, slaPolicy, staffLocale: d.staffLocale, hotline });
  const { jobDeps, staffDesk } = staffSide({ ...d, sla });
  return { desk, staffDesk, jobDeps };
}
