/**
 * A property whose tickets are filed through the store and worked through the real workflow at
 * chosen moments (local Shanghai times), so the report tests count what staff and owners did.
 */
import type { Clock } from "../../src/core/time/clock.js";
import type { PersonRecord } from "../../src/core/people/store.js";
import type { PropertyRecord } from "../../src/core/property/store.js";
import type { TicketRecord } from "../../src/core/ticket/store.js";
import { firstReplyDue } from "../../src/core/sla/reply-promise.js";
import { zonedInstant } from "../../src/core/time/zone.js";
import type { Category, TicketKind, TicketSource, TicketWeight } from "../../src/core/ticket/kinds.js";
import { ownerRate, staffAct, type Rating, type StaffCommand } from "../../src/core/staff/workflow.js";
import type { StaffRole } from "../../src/core/staff/roles.js";
import type { Text } from "../../src/core/text.js";
import type { Choice } from "../../src/core/messages.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer } from "../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import { createHandoverStore } from "../../src/infra/prisma/handover.js";
import { createJobLedger } from "../../src/infra/prisma/jobs.js";
import { createMaintenance } from "../../src/infra/prisma/maintenance.js";
import { createReportStore } from "../../src/infra/prisma/reports.js";
import { createSlaStore } from "../../src/infra/prisma/sla.js";
import type { JobDeps } from "../../src/jobs/job.js";
import type { TestStore } from "./db.js";
import { anyLevel } from "./logger.js";
import type { Stores } from "../../src/infra/prisma/store.js";

export const ZONE = "Asia/Shanghai";

/** "2026-11-22 09:30" in Shanghai. */
export function sh(local: string): Date {
  const [y, mo, d, h = 0, mi = 0] = local.split(/[- :]/).map(Number) as number[];
  return zonedInstant(ZONE, y!, mo!, d!, h, mi);
}

/** A clock that is wherever the test last put it. */
export class SetClock implements Clock {
  private t = new Date(0);
  set(at: Date): void {
    this.t = at;
  }
  now(): Date {
    return new Date(this.t);
  }
}

export interface Fixture {
  readonly store: Stores;
  readonly clock: SetClock;
  readonly property: PropertyRecord;
  readonly owner: PersonRecord;
  /** Staff by role name; each is named after the role ("director" is 陈主任). */
  readonly staff: Readonly<Record<"wang" | "boss" | "director" | "head" | "front", PersonRecord>>;
  /** `source`: recorded at the front desk by 小李 (issue 12); chat by default. */
  file(at: string, opts?: { kind?: TicketKind; weight?: TicketWeight; category?: Category; zone?: "A" | "B"; source?: TicketSource }): Promise<TicketRecord>;
  /** A staff command by `who` at a local time; fails the test if the workflow refuses it. */
  act(who: PersonRecord, at: string, ticket: TicketRecord, cmd: StaffCommand): Promise<void>;
  rate(at: string, ticket: TicketRecord, rating: Rating): Promise<void>;
  cancel(at: string, ticket: TicketRecord): Promise<void>;
}

const STAFF: readonly [keyof Fixture["staff"], string, StaffRole][] = [
  ["wang", "小王", "zone_specialist"],
  ["boss", "陈主管", "supervisor"],
  ["director", "陈主任", "director"],
  ["head", "刘经理", "property_head"],
  ["front", "小李", "front_desk"],
];

export async function fixture(store: Stores): Promise<Fixture> {
  const property = await store.createProperty(DEMO_PROPERTY);
  const clock = new SetClock();
  const staff = {} as Record<keyof Fixture["staff"], PersonRecord>;
  for (const [key, name, role] of STAFF) {
    const p = await store.person({ platform: "telegram", platformUserId: `s-${key}`, displayName: key, locale: "zh-CN" });
    await store.grantStaffRole(p.id, { propertyId: property.id, zoneId: null, role });
    staff[key] = await store.updatePerson(p.id, { name });
  }
  const owner = await store.person({ platform: "telegram", platformUserId: "owner-1", displayName: "王先生", locale: "zh-CN" });
  const deps = { store, clock };
  let filed = 0;
  const fresh = async (t: TicketRecord) => (await store.ticketById(t.id))!;
  return {
    store,
    clock,
    property,
    owner,
    staff,
    async file(at, opts = {}) {
      const createdAt = sh(at);
      const kind = opts.kind ?? "complaint";
      const weight = opts.weight ?? "general";
      const zoneId = opts.zone ? property.zones.find((z) => z.code === opts.zone)!.id : null;
      const { ticket } = await store.fileTicket({
        intakeId: `intake-${++filed}`, propertyId: property.id, zoneId, roomId: null, kind, category: opts.category ?? "security",
        weight, majorReasons: [], ownerId: owner.id, roomLabel: `3-${1200 + filed}`, contactName: "王先生", contactPhone: "13900001111",
        location: "common", place: "南门", description: `第 ${filed} 件事`, since: null, visitTime: null, photos: [], channel: "telegram",
        locale: "zh-CN", createdAt, nextReplyDueAt: firstReplyDue(kind, weight, createdAt), confirmation: {},
        ...(opts.source ? { source: opts.source, scribeId: staff.front.id } : {}),
      });
      return ticket;
    },
    async act(who, at, ticket, cmd) {
      clock.set(sh(at));
      const r = await staffAct(deps, { personId: who.id, channel: "telegram" }, ticket.number, cmd);
      if (!r.ok) throw new Error(`${cmd.type} ${ticket.number} at ${at}: ${r.code}`);
    },
    async rate(at, ticket, rating) {
      clock.set(sh(at));
      const r = await ownerRate(deps, { personId: owner.id, channel: "telegram" }, ticket.number, rating);
      if (!r.ok) throw new Error(`rate ${ticket.number} at ${at}: ${r.code}`);
    },
    async cancel(at, ticket) {
      const now = await fresh(ticket);
      const event = { at: sh(at), type: "transition" as const, actorKind: "owner" as const, actorId: owner.id, channel: "telegram" as const, fromStatus: null, toStatus: null, data: { action: "cancel" } };
      const r = await store.applyTransition(ticket.id, now.status, "cancelled", event);
      if (!r.ok) throw new Error(`cancel ${ticket.number}: ${r.code}`);
    },
  };
}

const renderer = createRenderer(await loadCatalog(), ZONE);

/** Texts as a reader of `locale` sees them, one line each. */
export const render = (texts: readonly Text[], locale: "zh-CN" | "en" = "zh-CN"): string =>
  texts.map((x) => renderer.text(x, locale)).join("\n");

/** The scheduled jobs' dependencies over the test's connection; errors logged are collected. */
export function jobDeps(db: TestStore, errors: unknown[] = []): JobDeps {
  return {
    store: db.store,
    outbox: db.outbox,
    ledger: db.use(createJobLedger),
    reports: db.use(createReportStore),
    sla: db.use(createSlaStore),
    handover: db.use(createHandoverStore),
    maintenance: db.use(createMaintenance),
    reportFiles: { monthly: () => Promise.reject(new Error("the digest tests make no workbooks")) },
    staffLocale: "zh-CN",
    timeZone: ZONE,
    logger: anyLevel((_message, error) => void errors.push(error)),
  };
}

export interface Pending {
  readonly chatId: string;
  readonly text: string;
  readonly firstKey: string;
  readonly choices: readonly Choice[];
}

/** Messages waiting in the outbox (tests send nothing), oldest first, rendered in their locale. */
export async function pending(db: TestStore): Promise<Pending[]> {
  const rows = await db.outbox.due(new Date("2100-01-01T00:00:00Z"), 1000);
  return rows.flatMap(({ message: m }) =>
    m.kind === "message"
      ? [{ chatId: m.to.chatId, text: render(m.body.text, m.body.locale), firstKey: m.body.text[0]?.key ?? "", choices: m.body.choices ?? [] }]
      : [],
  );
}
