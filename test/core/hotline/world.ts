/**
 * A hotline world over a test store: a property with its head, a department head and a
 * supervisor, an owner's resolved ticket, the staff desk with the hotline extension, and helpers
 * to type as someone in a chat and to read what the outbox holds.
 */
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import { hotlineExtension } from "../../../src/core/hotline/extension.js";
import type { CompanyGrant } from "../../../src/core/hotline/store.js";
import type { Outcome } from "../../../src/core/messages.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { DEFAULT_SLA_POLICY } from "../../../src/core/sla/policy.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { hotlineStore } from "../../../src/infra/prisma/hotline.js";
import { createHotlineFiles } from "../../../src/infra/export/hotline-workbook.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import type { TestStore } from "../../support/db.js";
import { SetClock, ZONE } from "../../support/reports-fixture.js";

const FAR = new Date("3000-01-01T00:00:00Z");
export const HOTLINE_GROUP = "-9001";
export const STAFF_GROUP = "-1001";

export type Who = "officer" | "manager" | "head" | "wang" | "supervisor" | "owner";

export interface HotlineWorld {
  readonly clock: SetClock;
  readonly desk: StaffDesk;
  readonly home: PropertyRecord;
  readonly people: Record<Who, PersonRecord>;
  readonly hotline: ReturnType<typeof hotlineStore>;
  /** Types `text` ("/cases") as `who` in `chat` (their private chat, the hotline group, the staff group). */
  type(who: Who, text: string, chat?: "private" | "hotline" | "staff"): Promise<Outcome>;
  /** A resolved ticket of the owner's, as the hotline hears of it. */
  resolvedTicket(words: string, major?: boolean): Promise<TicketRecord>;
  companyCode(grant: CompanyGrant): Promise<string>;
  /** Every pending outbox message: to which chat, and the keys of its texts. */
  outbox(): Promise<{ chatId: string; keys: string[] }[]>;
}

export async function hotlineWorld(opened: TestStore, start: Date): Promise<HotlineWorld> {
  const { store } = opened;
  const clock = new SetClock();
  clock.set(start);
  const hotline = opened.use(hotlineStore);
  const home = await store.createProperty(DEMO_PROPERTY);
  const people = {} as Record<Who, PersonRecord>;
  for (const who of ["officer", "manager", "head", "wang", "supervisor", "owner"] as const) {
    people[who] = await store.person({ platform: "telegram", platformUserId: `u-${who}`, displayName: who, username: who, locale: "zh-CN" });
  }
  await store.grantStaffRole(people.head.id, { propertyId: home.id, role: "property_head", zoneId: null });
  await store.grantStaffRole(people.wang.id, { propertyId: home.id, role: "zone_specialist", zoneId: home.zones[0]!.id });
  await store.grantStaffRole(people.supervisor.id, { propertyId: home.id, role: "supervisor", zoneId: null });
  await store.bindChat({ platform: "telegram", chatId: STAFF_GROUP, propertyId: home.id, purpose: "staff", department: null }, start);
  const desk = new StaffDesk({
    store,
    clock,
    timeZone: ZONE,
    staffLocale: "zh-CN",
    extensions: [
      hotlineExtension({
        store: { ...store, ...hotline }, policyOf: async () => DEFAULT_SLA_POLICY, staffLocale: "zh-CN", newId: (() => { let n = 0; return () => `case-${++n}`; })(),
        exports: { files: createHotlineFiles({ renderer: createRenderer(await loadCatalog(), ZONE), timeZone: ZONE }), outbox: opened.outbox, timeZone: ZONE },
      }),
    ],
  });
  let filed = 0;
  return {
    clock,
    desk,
    home,
    people,
    hotline,
    type(who, text, chat = "private") {
      const [command = "", ...rest] = text.slice(1).split(" ");
      const id = chat === "private" ? people[who].platformUserId : chat === "hotline" ? HOTLINE_GROUP : STAFF_GROUP;
      return desk.handle({
        channel: "telegram",
        chat: { id, kind: chat === "private" ? "private" : "group" },
        sender: { platformUserId: people[who].platformUserId, displayName: who, username: who },
        body: { type: "command", command, args: rest.join(" ") },
      });
    },
    async resolvedTicket(words, major = false) {
      const { ticket } = await store.fileTicket({
        intakeId: `hl-${++filed}`, propertyId: home.id, zoneId: home.zones[0]!.id, roomId: null, kind: "repair", category: "engineering",
        weight: major ? "major" : "general", majorReasons: [], ownerId: people.owner.id, roomLabel: "3-1201", contactName: "张三", contactPhone: "13900001111",
        location: "home", place: null, description: words, since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN",
        createdAt: clock.now(), nextReplyDueAt: null, confirmation: {},
      });
      // Handled by the property (§4.1): a matter it never handled is no hotline case.
      const at = clock.now();
      const moved = await store.applyTransition(ticket.id, ticket.status, "resolved", {
        at, type: "transition", actorKind: "staff", actorId: people.wang.id, channel: "telegram", fromStatus: ticket.status, toStatus: "resolved", data: { action: "resolve", result: "已处理" },
      }, { claimedAt: at, resolvedAt: at });
      if (!moved.ok) throw new Error(`the fixture could not resolve ${ticket.number}`);
      return moved.ticket;
    },
    async companyCode(grant) {
      return (await hotline.createCompanyInvite(grant, new Date(clock.now().getTime() + 86_400_000), clock.now())).code;
    },
    async outbox() {
      return (await opened.outbox.due(FAR, 500)).map((r) => ({
        chatId: r.message.to.chatId,
        keys: r.message.kind === "card" ? [] : r.message.body.text.map((x) => x.key),
      }));
    },
  };
}
