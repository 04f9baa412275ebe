/**
 * What filing tells staff (./src/core/staff/announce.ts) for a VIP's and a zone's ticket, over a
 * real store (both databases): the groups that see the zone, one private message a person (a
 * supervisor who is also the zone's 管家 reads the VIP report once), and a major VIP matter's
 * report beside the VIP one.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewOutboxMessage } from "../../../src/core/outbox.js";
import { announcement } from "../../../src/core/staff/announce.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { backends, type TestStore } from "../../support/db.js";

const at = new Date("2026-11-23T02:00:00Z");
const base = {
  id: "t1", number: "HG-0001", propertyId: "p", zoneId: null, kind: "repair", category: "engineering", weight: "general",
  majorReasons: [], status: "new", ownerId: "o", roomLabel: "3-1201", contactName: "王先生", contactPhone: "13812345678",
  location: "home", place: null, description: "客厅灯不亮", since: null, visitTime: null, channel: "telegram", locale: "zh-CN",
  photoCount: 0, assigneeId: null, createdAt: at, confirmedAt: at, nextReplyDueAt: null, resolvedAt: null, closedAt: null,
  firstReplyDueAt: null, firstResponseAt: null, claimedAt: null, calledBackAt: null, rating: null, reopenCount: 0,
  awaitingClaimSince: at, source: "chat", summary: null, vip: false, vipNote: null, nextCallbackAt: null,
} satisfies TicketRecord;

/** "card → -1", "message → u-chen: vip.report, vip.card, vip.attend [claim:HG-0001, ticket:HG-0001]", sorted. */
const shown = (messages: readonly NewOutboxMessage[]): string[] =>
  messages.map((m) =>
    m.kind === "card"
      ? `card → ${m.to.chatId}`
      : `message → ${m.to.chatId}: ${m.body.text.map((x) => x.key).join(", ")}${"choices" in m.body && m.body.choices ? ` [${m.body.choices.map((c) => c.value).join(", ")}]` : ""}`,
  ).sort();

describe.each(backends())("filing tells staff of a VIP's and a zone's ticket on $name", (backend) => {
  let db: TestStore;
  let property: PropertyRecord;
  beforeEach(async () => {
    db = await backend.open();
    const { store } = db;
    property = await store.createProperty({ code: "HG", name: "虹港家园", zones: [{ code: "A", name: "A区" }, { code: "B", name: "B区" }] });
    const [a, b] = property.zones;
    const person = async (uid: string, ...roles: [string, string | null][]) => {
      const p = await store.person({ platform: "telegram", platformUserId: uid, displayName: uid, locale: "zh-CN" });
      for (const [role, zoneId] of roles) await store.grantStaffRole(p.id, { propertyId: property.id, zoneId, role: role as "supervisor" });
    };
    await person("u-chen", ["supervisor", null], ["zone_specialist", a!.id]);
    await person("u-zhao", ["zone_specialist", b!.id]);
    await person("u-sun", ["supervisor", null]);
    for (const [chatId, zoneId] of [["-1", null], ["-2", a!.id], ["-3", b!.id]] as const) {
      await store.bindChat({ platform: "telegram", chatId, propertyId: property.id, purpose: "staff", department: null, zoneId }, at);
    }
    await store.bindChat({ platform: "telegram", chatId: "-9", propertyId: property.id, purpose: "director", department: null }, at);
  });
  afterEach(() => db.close());

  it("a VIP's ticket of zone A: A's and the property's groups, and each supervisor and A's 管家 once, with the buttons", async () => {
    const announce = await announcement(db.store, property.id, false, "zh-CN");
    expect(shown(announce({ ...base, propertyId: property.id, zoneId: property.zones[0]!.id, vip: true, vipNote: "老领导" }))).toEqual([
      "card → -1",
      "card → -2",
      "message → u-chen: vip.report, vip.card, vip.attend [claim:HG-0001, ticket:HG-0001]",
      "message → u-sun: vip.report, vip.card, vip.attend [claim:HG-0001, ticket:HG-0001]",
    ]);
  });

  it("an ordinary ticket of zone B: B's and the property's groups, and B's 管家 a notice; a major VIP matter's report comes first", async () => {
    let announce = await announcement(db.store, property.id, false, "zh-CN");
    expect(shown(announce({ ...base, propertyId: property.id, zoneId: property.zones[1]!.id }))).toEqual([
      "card → -1",
      "card → -3",
      "message → u-zhao: zone.new_ticket [claim:HG-0001, ticket:HG-0001]",
    ]);
    announce = await announcement(db.store, property.id, true, "zh-CN");
    expect(shown(announce({ ...base, propertyId: property.id, zoneId: property.zones[1]!.id, weight: "major", vip: true, vipNote: null }))).toEqual([
      "card → -1",
      "card → -3",
      "message → -9: report.major_escalated",
      "message → u-chen: report.major_escalated, vip.report, vip.card_no_note, vip.attend [claim:HG-0001, ticket:HG-0001]",
      "message → u-sun: report.major_escalated, vip.report, vip.card_no_note, vip.attend [claim:HG-0001, ticket:HG-0001]",
      "message → u-zhao: report.major_escalated, vip.report, vip.card_no_note, vip.attend [claim:HG-0001, ticket:HG-0001]",
    ]);
  });
});
