/**
 * A property with its staff, chats and an owner on a real database, the SLA jobs' dependencies
 * over the same connection, and a clock the test sets. Times are written as Shanghai wall time.
 */
import type { Clock } from "../../src/core/time/clock.js";
import type { PersonRecord } from "../../src/core/people/store.js";
import type { TicketRecord } from "../../src/core/ticket/store.js";
import { firstReplyDue } from "../../src/core/sla/deadlines.js";
import type { StaffRole } from "../../src/core/staff/roles.js";
import type { Text } from "../../src/core/text.js";
import type { TicketKind, TicketWeight } from "../../src/core/ticket/kinds.js";
import { staffAct, type StaffCommand, type WorkflowResult } from "../../src/core/staff/workflow.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer } from "../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import { createHandoverStore } from "../../src/infra/prisma/handover.js";
import { createJobLedger } from "../../src/infra/prisma/jobs.js";
import { createMaintenance } from "../../src/infra/prisma/maintenance.js";
import { createReportStore } from "../../src/infra/prisma/reports.js";
import { createSlaStore } from "../../src/infra/prisma/sla.js";
import type { JobDeps } from "../../src/jobs/job.js";
import type { TestBackend, TestStore } from "./db.js";
import { anyLevel } from "./logger.js";
import type { Stores } from "../../src/infra/prisma/store.js";

/** "2026-11-23T10:00" in Shanghai (UTC+8). 2026-11-23 is a Monday. */
export const sh = (wall: string): Date => new Date(`${wall}:00+08:00`);

export class SetClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
}

export const STAFF_CHAT = "-100";
export const DIRECTOR_CHAT = "-200";
export const HOTLINE_CHAT = "-300";

/** An SLA message as a test reads it: where it went, its first key, and its rendered text. */
export interface SlaMessage {
  readonly chatId: string;
  readonly key: string;
  readonly text: string;
}

export async function openWorld(backend: TestBackend, opts: { directorChat?: boolean } = {}) {
  const db: TestStore = await backend.open();
  const { store } = db;
  const property = await store.createProperty(DEMO_PROPERTY);
  const setUpAt = sh("2026-11-20T09:00");
  const staff = async (uid: string, name: string, role: StaffRole): Promise<PersonRecord> => {
    const p = await store.person({ platform: "telegram", platformUserId: uid, displayName: name, locale: "zh-CN" });
    await store.grantStaffRole(p.id, { propertyId: property.id, zoneId: null, role });
    return store.updatePerson(p.id, { name });
  };
  const people = {
    wang: await staff("s-wang", "小王", "zone_specialist"),
    boss: await staff("s-boss", "陈主管", "supervisor"),
    director: await staff("s-dir", "刘主任", "director"),
    head: await staff("s-head", "赵经理", "property_head"),
  };
  const owner = await store.person({ platform: "telegram", platformUserId: "o-1", displayName: "王先生", locale: "zh-CN" });
  const bind = (chatId: string, purpose: "staff" | "director" | "hotline") =>
    store.bindChat({ platform: "telegram", chatId, propertyId: property.id, purpose, department: null }, setUpAt);
  await bind(STAFF_CHAT, "staff");
  await bind(HOTLINE_CHAT, "hotline");
  if (opts.directorChat) await bind(DIRECTOR_CHAT, "director");

  const sla = db.use(createSlaStore);
  const ledger = db.use(createJobLedger);
  const deps: JobDeps = {
    store,
    outbox: db.outbox,
    ledger,
    reports: db.use(createReportStore),
    sla,
    handover: db.use(createHandoverStore),
    maintenance: db.use(createMaintenance),
    // The SLA jobs attach no files; a monthly report here would fail loudly, not pass silently.
    reportFiles: { monthly: () => Promise.reject(new Error("no report files in the SLA world")) },
    staffLocale: "zh-CN",
    timeZone: "Asia/Shanghai",
    logger: anyLevel((message, error) => void errors.push({ message, error })),
  };
  const errors: { message: string; error: unknown }[] = [];
  const clock = new SetClock(setUpAt);
  const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
  const render = (texts: readonly Text[]) => texts.map((x) => renderer.text(x, "zh-CN")).join("\n");
  let filed = 0;

  return {
    db,
    store: store as Stores,
    property,
    people,
    owner,
    sla,
    ledger,
    deps,
    clock,
    errors,
    render,
    /** File a ticket as intake does, with the first reply promised under the property's policy. */
    async file(kind: TicketKind, at: Date, weight: TicketWeight = "general"): Promise<TicketRecord> {
      const policy = await sla.policyOf(property.id);
      const { ticket } = await store.fileTicket({
        intakeId: `intake-${++filed}`, propertyId: property.id, zoneId: null, roomId: null, kind, category: "other", weight,
        majorReasons: [], ownerId: owner.id, roomLabel: "A区5栋2单元301", contactName: "王先生", contactPhone: "13900001111",
        location: "home", place: null, description: `第 ${filed} 件事`, since: null, visitTime: null, photos: [], channel: "telegram",
        locale: "zh-CN", createdAt: at, nextReplyDueAt: firstReplyDue(kind, weight, at, policy), confirmation: {},
      });
      return ticket;
    },
    /** A staff command at a moment, through the real workflow; it must succeed. */
    async act(who: PersonRecord, number: string, cmd: StaffCommand, at: Date): Promise<WorkflowResult> {
      clock.at = at;
      const r = await staffAct({ store, clock }, { personId: who.id, channel: "telegram" }, number, cmd);
      if (!r.ok) throw new Error(`${cmd.type} ${number} failed: ${r.code}`);
      return r;
    },
    /** The SLA jobs' messages waiting in the outbox, oldest first (nothing is sent in tests). */
    async messages(): Promise<SlaMessage[]> {
      const pending = await db.outbox.due(new Date("2100-01-01T00:00:00Z"), 1000);
      return pending.flatMap((r) => {
        const m = r.message;
        const key = m.kind === "message" ? m.body.text[0]?.key : undefined;
        if (m.kind !== "message" || !key || !/^(sla|callbacks)\./.test(key)) return [];
        return [{ chatId: m.to.chatId, key, text: render(m.body.text) }];
      });
    },
    close: () => db.close(),
  };
}

export type World = Awaited<ReturnType<typeof openWorld>>;
