/** A property with staff, a staff group and tickets, the real StaffDesk over it, and the admin tool. */
import { StaffDesk } from "../../src/core/desk/staff-desk.js";
import type { StaffInbound } from "../../src/core/messages.js";
import type { PersonRecord } from "../../src/core/people/store.js";
import type { PropertyRecord } from "../../src/core/property/store.js";
import { vipExtension } from "../../src/core/registry/vip.js";
import { staffListExtension } from "../../src/core/registry/staff-list.js";
import type { StaffRole } from "../../src/core/staff/roles.js";
import type { TicketRecord } from "../../src/core/ticket/store.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer } from "../../src/i18n/render.js";
import type { TestBackend } from "../support/db.js";
import { adminWorld, type AdminWorld } from "./harness.js";

export const GROUP = "-100777";

export interface StaffWorld extends AdminWorld {
  readonly property: PropertyRecord;
  readonly people: Record<"wang" | "li" | "boss", PersonRecord>;
  /** What `user` reads back for a command (`/claim HG-0001`) or a button (`claim:HG-0001`). */
  staff(user: "wang" | "li" | "boss", text: string, where?: "group" | "private"): Promise<string>;
  file(n: number): Promise<TicketRecord>;
}

export async function staffWorld(backend: TestBackend): Promise<StaffWorld> {
  const w = await adminWorld(backend);
  const { store } = w.db;
  const property = await store.createProperty({ code: "HG", name: "虹港家园", zones: [{ code: "A", name: "A区" }, { code: "B", name: "B区" }] });
  const person = async (id: string, role: StaffRole): Promise<PersonRecord> => {
    const p = await store.person({ platform: "telegram", platformUserId: `u-${id}`, displayName: id, username: id, locale: "zh-CN" });
    await store.grantStaffRole(p.id, { propertyId: property.id, zoneId: null, role });
    return p;
  };
  const people = { wang: await person("wang", "supervisor"), li: await person("li", "front_desk"), boss: await person("boss", "admin") };
  await store.bindChat({ platform: "telegram", chatId: GROUP, propertyId: property.id, purpose: "staff", department: null }, w.clock.now());
  const owner = await store.person({ platform: "telegram", platformUserId: "o-1", displayName: "业主", locale: "zh-CN" });
  const desk = new StaffDesk({ store, clock: w.clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN", extensions: [vipExtension({ store: { ...store, ...w.registry } }), staffListExtension({ store: { ...store, ...w.registry } })] });
  const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
  return {
    ...w,
    property,
    people,
    async staff(user, text, where = "group") {
      const m = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
      const body: StaffInbound["body"] = m ? { type: "command", command: m[1]!, args: m[2]! } : { type: "choice", value: text };
      const outcome = await desk.handle({ channel: "telegram", chat: { id: where === "group" ? GROUP : `u-${user}`, kind: where }, sender: { platformUserId: `u-${user}`, username: user }, body });
      return outcome.replies.map((r) => renderer.reply(r, outcome.locale).text).join("\n");
    },
    async file(n) {
      const { ticket } = await store.fileTicket({
        intakeId: `intake-${n}`, propertyId: property.id, zoneId: null, roomId: null, kind: "repair", category: "engineering", weight: "general",
        majorReasons: [], ownerId: owner.id, roomLabel: "3-1201", contactName: "王先生", contactPhone: "13900001111", location: "home", place: null,
        description: `第 ${n} 件事`, since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: w.clock.now(),
        nextReplyDueAt: null, confirmation: {},
      });
      return ticket;
    },
  };
}
