/**
 * Issue 13 §3, the lists: a staff group bound to one zone gets that zone's cards and the unzoned
 * ones, and its `/unclaimed`, `/mine` and `/overdue` list the same tickets; a property-wide group
 * and a private chat list the whole property's. Through StaffDesk.handle on both databases.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import type { Outcome, StaffInbound } from "../../../src/core/messages.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import { TestClock } from "../../support/chat.js";
import { backends, type TestStore } from "../../support/db.js";

const WHOLE = "-1001";
const ZONE_A = "-1002";
const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");

describe.each(backends())("a zone's staff group lists its zone's tickets, on $name", (backend) => {
  let opened: TestStore;
  let store: Stores;
  let clock: TestClock;
  let desk: StaffDesk;
  let hg: PropertyRecord;
  let boss: PersonRecord;
  let tickets: Record<"a" | "b" | "none", TicketRecord>;
  let filed = 0;

  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
    clock = new TestClock();
    hg = await store.createProperty(DEMO_PROPERTY);
    desk = new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" });
    const zone = (code: "A" | "B") => hg.zones.find((z) => z.code === code)!.id;
    await store.bindChat({ platform: "telegram", chatId: WHOLE, propertyId: hg.id, purpose: "staff", department: null }, clock.now());
    await store.bindChat({ platform: "telegram", chatId: ZONE_A, propertyId: hg.id, purpose: "staff", department: null, zoneId: zone("A") }, clock.now());
    boss = await store.person({ platform: "telegram", platformUserId: "boss", displayName: "陈主管", locale: "zh-CN" });
    await store.grantStaffRole(boss.id, { propertyId: hg.id, role: "supervisor", zoneId: null });
    const owner = await store.person({ platform: "telegram", platformUserId: "owner", displayName: "王先生", locale: "zh-CN" });
    const file = async (zoneId: string | null): Promise<TicketRecord> =>
      (
        await store.fileTicket({
          intakeId: `i-${++filed}`, propertyId: hg.id, zoneId, roomId: null, kind: "complaint", category: "security", weight: "general",
          majorReasons: [], ownerId: owner.id, roomLabel: "5-301", contactName: "王先生", contactPhone: "13900001111", location: "home",
          place: null, description: "保安态度太差", since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN",
          // Its promised reply time has passed: /overdue lists it.
          createdAt: clock.now(), nextReplyDueAt: new Date(clock.now().getTime() - 60_000), confirmation: {},
        })
      ).ticket;
    tickets = { a: await file(zone("A")), b: await file(zone("B")), none: await file(null) };
  });
  afterEach(() => opened.close());

  function handle(text: string, chat: string): Promise<Outcome> {
    const [, command = "", args = ""] = /^\/(\S+)\s*([\s\S]*)$/.exec(text) ?? [];
    const body: StaffInbound["body"] = { type: "command", command, args };
    return desk.handle({
      channel: "telegram",
      chat: chat === "private" ? { id: boss.platformUserId, kind: "private" } : { id: chat, kind: "group" },
      sender: { platformUserId: boss.platformUserId, displayName: boss.displayName ?? undefined },
      body,
    });
  }
  /** The ticket numbers a list names, in its text and on its buttons. */
  async function listed(command: string, chat: string): Promise<{ text: string[]; buttons: string[] }> {
    const o = await handle(`/${command}`, chat);
    const text = o.replies.map((r) => renderer.reply(r, o.locale).text).join("\n");
    const numbers = (s: string) => [...s.matchAll(/HG-\d{4}/g)].map((m) => m[0]);
    return { text: numbers(text), buttons: o.replies.flatMap((r) => r.choices ?? []).flatMap((c) => numbers(c.value)) };
  }
  const numbers = (...keys: ("a" | "b" | "none")[]) => keys.map((k) => tickets[k].number);

  it("/unclaimed and /overdue: zone A's group sees zone A's and the unzoned; the whole property's group and a private chat see all", async () => {
    for (const command of ["unclaimed", "overdue"]) {
      expect(await listed(command, ZONE_A)).toEqual({ text: numbers("a", "none"), buttons: numbers("a", "none") });
      expect((await listed(command, WHOLE)).text).toEqual(numbers("a", "b", "none"));
      expect((await listed(command, "private")).text).toEqual(numbers("a", "b", "none"));
    }
  });

  it("/mine in zone A's group leaves out the follower's zone B ticket, which a private chat and the whole group list", async () => {
    for (const x of Object.values(tickets)) expect((await handle(`/claim ${x.number}`, "private")).replies).toHaveLength(1);
    expect((await listed("mine", ZONE_A)).text).toEqual(numbers("a", "none"));
    expect((await listed("mine", WHOLE)).text).toEqual(numbers("a", "b", "none"));
    expect((await listed("mine", "private")).text).toEqual(numbers("a", "b", "none"));
    // Claimed, they left /unclaimed everywhere.
    expect((await listed("unclaimed", ZONE_A)).text).toEqual([]);
  });
});
