/**
 * Issue 10 §3–§6, one defect at a time, through StaffDesk.handle on both databases: staff of
 * another property in this one's groups, internal notes across zones, a claimed ticket handed on,
 * a bound group taken over with a bind code, `/unbind`, phone numbers in the owner's words, a
 * stranger in a staff group, ticket commands without a number. The whole grid of who may do what
 * where is authorization-matrix.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import type { Outcome, StaffInbound } from "../../../src/core/messages.js";
import type { NewOutboxMessage } from "../../../src/core/outbox.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { announcement } from "../../../src/core/staff/announce.js";
import { staffCard } from "../../../src/core/staff/card.js";
import type { StaffRole } from "../../../src/core/staff/roles.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import { TestClock } from "../../support/chat.js";
import { backends, type TestStore } from "../../support/db.js";

const HG_STAFF = "-1001";
const HG_DIRECTOR = "-1002";
const XY_STAFF = "-2001";
const XY_STAFF_2 = "-2002";
const XY_DIRECTOR = "-2003";
const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
const PHONE_IN_WORDS = "楼上漏水,天花板都泡了。我电话13812345678,白天打021-12345678";

describe.each(backends())("who may act where, on $name", (backend) => {
  let opened: TestStore;
  let store: Stores;
  let clock: TestClock;
  let desk: StaffDesk;
  let hg: PropertyRecord;
  let xy: PropertyRecord;
  let filed = 0;

  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
    clock = new TestClock();
    hg = await store.createProperty(DEMO_PROPERTY);
    xy = await store.createProperty({ code: "XY", name: "西苑" });
    desk = new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" });
    const bind = (chatId: string, propertyId: string, purpose: "staff" | "director") =>
      store.bindChat({ platform: "telegram", chatId, propertyId, purpose, department: null }, clock.now());
    await bind(HG_STAFF, hg.id, "staff");
    await bind(HG_DIRECTOR, hg.id, "director");
    await bind(XY_STAFF, xy.id, "staff");
    await bind(XY_STAFF_2, xy.id, "staff");
    await bind(XY_DIRECTOR, xy.id, "director");
  });
  afterEach(() => opened.close());

  async function person(id: string, role?: StaffRole, property?: PropertyRecord, zone?: "A" | "B"): Promise<PersonRecord> {
    const p = await store.person({ platform: "telegram", platformUserId: id, displayName: id, username: id, locale: "zh-CN" });
    if (role) await store.grantStaffRole(p.id, { propertyId: (property ?? hg).id, role, zoneId: zone ? hg.zones.find((z) => z.code === zone)!.id : null });
    return p;
  }

  async function ticket(zone: "A" | "B" | null, description = "保安态度太差"): Promise<TicketRecord> {
    const owner = await person("owner");
    const { ticket } = await store.fileTicket({
      intakeId: `i-${++filed}`, propertyId: hg.id, zoneId: zone ? hg.zones.find((z) => z.code === zone)!.id : null, roomId: null, kind: "complaint",
      category: "security", weight: "general", majorReasons: [], ownerId: owner.id, roomLabel: "A区5栋301", contactName: "王先生",
      contactPhone: "13900001111", location: "home", place: null, description, since: null, visitTime: null, photos: [], channel: "telegram",
      locale: "zh-CN", createdAt: clock.now(), nextReplyDueAt: new Date(clock.now().getTime() - 60_000), confirmation: {},
    });
    return ticket;
  }

  async function handle(who: PersonRecord, text: string, chat: string = HG_STAFF): Promise<Outcome> {
    const [, command = "", args = ""] = /^\/(\S+)\s*([\s\S]*)$/.exec(text) ?? [];
    const body: StaffInbound["body"] = text.startsWith("/") ? { type: "command", command, args } : { type: "choice", value: text };
    return desk.handle({
      channel: "telegram",
      chat: chat === "private" ? { id: who.platformUserId, kind: "private" } : { id: chat, kind: "group" },
      sender: { platformUserId: who.platformUserId, displayName: who.displayName ?? undefined, username: who.username ?? undefined },
      body,
    });
  }
  const said = (o: Outcome) => o.replies.map((r) => renderer.reply(r, o.locale).text).join("\n");
  const send = async (who: PersonRecord, text: string, chat?: string) => said(await handle(who, text, chat));

  async function queued(): Promise<NewOutboxMessage[]> {
    const rows = await opened.outbox.due(new Date(clock.now().getTime() + 60_000), 200);
    for (const r of rows) await opened.outbox.markSent(r.id, clock.now());
    return rows.map((r) => r.message);
  }
  const textsTo = (out: NewOutboxMessage[], chatId: string) =>
    out.flatMap((m) => (m.kind === "message" && m.to.chatId === chatId ? [m.body.text.map((x) => renderer.text(x, "zh-CN")).join("\n")] : []));

  it("staff of another property, in this property's group, list none of its tickets (21 cells of the issue)", async () => {
    const outsider = await person("xy-boss", "supervisor", xy);
    const wang = await person("wang", "zone_specialist", hg, "A");
    const t = await ticket("A");
    await send(wang, `/claim ${t.number}`);
    for (const command of ["/unclaimed", "/mine", "/overdue"]) {
      const answer = await send(outsider, command);
      expect(answer, command).toContain("本群是【虹港家园】的工作群");
      expect(answer, command).not.toContain("HG-");
    }
    // In their own group and in private they see their own property's (none), never this one's.
    expect(await send(outsider, "/unclaimed", XY_STAFF)).toBe("没有待受理的工单。");
    expect(await send(outsider, "/overdue", "private")).not.toContain("HG-");
    // Nor do this property's staff in the other property's group.
    expect(await send(wang, "/mine", XY_STAFF)).toContain("本群是【西苑】的工作群");
    expect(await send(wang, "/mine", HG_STAFF)).toContain(t.number);
  });

  it("a card button from another property's group, or in private for another property, does nothing here", async () => {
    const outsider = await person("xy-boss", "supervisor", xy);
    const t = await ticket("A");
    await queued();
    expect(await send(outsider, `claim:${t.number}`)).toContain("本群是【虹港家园】的工作群");
    expect(await send(outsider, `claim:${t.number}`, XY_STAFF)).toContain(`没有找到工单 ${t.number}`);
    expect(await send(outsider, `ticket:${t.number}`, "private")).toContain(`没有找到工单 ${t.number}`);
    expect((await store.ticketByNumber(t.number))!.assigneeId).toBeNull();
    expect(await queued()).toEqual([]);
  });

  it("internal notes: the zone's 管家, the follower, the front desk and the leads read them; another zone's 管家 does not", async () => {
    const a = await person("a", "zone_specialist", hg, "A");
    const b = await person("b", "zone_specialist", hg, "B");
    const front = await person("front", "front_desk");
    const boss = await person("boss", "supervisor");
    const inA = await ticket("A");
    const unzoned = await ticket(null);
    for (const x of [inA, unzoned]) {
      await send(a, `/claim ${x.number}`);
      expect(await send(a, `/note ${x.number} 业主是老上访户,注意措辞`)).toContain("内部备注");
    }
    for (const who of [a, front, boss]) expect(await send(who, `/ticket ${inA.number}`), who.displayName!).toContain("业主是老上访户");
    const seenByB = await send(b, `/ticket ${inA.number}`);
    expect(seenByB).toContain(inA.number);
    expect(seenByB).not.toContain("业主是老上访户");
    expect(seenByB).toContain("内部备注仅本区域的管家");
    expect(await send(b, `ticket:${inA.number}`, "private")).not.toContain("业主是老上访户");
    expect(await send(b, `/note ${inA.number} 我来看看`)).toBe("这个工单不在您管辖的区域,请由该区域的管家或主管处理。");
    // A ticket whose zone is not known yet is every 管家's.
    expect(await send(b, `/ticket ${unzoned.number}`)).toContain("业主是老上访户");
  });

  it("a claimed ticket is handed on only by its follower or a lead; an unclaimed one by any colleague", async () => {
    const a = await person("a", "zone_specialist", hg, "A");
    const front = await person("front", "front_desk");
    const boss = await person("boss", "supervisor");
    const t = await ticket("A");
    expect(await send(front, `/transfer ${t.number} @a`)).toContain("已转交 @a");
    expect((await store.ticketByNumber(t.number))!.assigneeId).toBe(a.id);
    expect(await send(front, `/transfer ${t.number} @front`)).toContain("这个工单由 a 跟进");
    expect((await store.ticketByNumber(t.number))!.assigneeId).toBe(a.id);
    expect(await send(boss, `/transfer ${t.number} @front`)).toContain("已转交 @front");
    expect(await send(front, `/transfer ${t.number} @a`)).toContain("已转交 @a");
  });

  it("a bind code does not take over a group bound to another property; its lead may move it, and the property is told", async () => {
    const stranger = await person("stranger");
    const xyStaff = await person("xy-front", "front_desk", xy);
    const xyBoss = await person("xy-boss", "supervisor", xy);
    const xyDirector = await person("xy-director", "director", xy);
    const code = async () =>
      (await store.createInvite({ propertyId: hg.id, grant: { kind: "bind", purpose: "staff", department: null }, expiresAt: new Date(clock.now().getTime() + 3_600_000), createdAt: clock.now() })).code;
    const first = await code();
    await queued();
    for (const who of [stranger, xyStaff]) {
      expect(await send(who, `/bind ${first}`, XY_STAFF)).toContain("本群已绑定为【西苑】的客服工作群。只有【西苑】的客服主管");
    }
    expect(await store.chatBinding({ platform: "telegram", chatId: XY_STAFF })).toMatchObject({ propertyId: xy.id, active: true });
    expect(await queued()).toEqual([]);
    // The code was not spent: it still binds an unbound group.
    expect(await send(stranger, `/bind ${first}`, "-3001")).toContain("本群已绑定为【虹港家园】的客服工作群");

    expect(await send(xyBoss, `/bind ${await code()}`, XY_STAFF)).toContain("本群已绑定为【虹港家园】的客服工作群");
    expect(await store.chatBinding({ platform: "telegram", chatId: XY_STAFF })).toMatchObject({ propertyId: hg.id, active: true });
    const out = await queued();
    const told = `⚠️ 【西苑】的客服工作群(群 ${XY_STAFF})已由 xy-boss 改绑到【虹港家园】,今后不再往该群发送【西苑】的工单。`;
    for (const chat of [XY_STAFF_2, XY_DIRECTOR, xyBoss.platformUserId, xyDirector.platformUserId]) expect(textsTo(out, chat), chat).toEqual([told]);
    expect(out.map((m) => m.to.chatId).sort()).toEqual([XY_STAFF_2, XY_DIRECTOR, xyBoss.platformUserId, xyDirector.platformUserId].sort());

    // Re-binding to the same property behaves as before: the code re-purposes the group.
    const director = await store.createInvite({ propertyId: hg.id, grant: { kind: "bind", purpose: "director", department: null }, expiresAt: new Date(clock.now().getTime() + 3_600_000), createdAt: clock.now() });
    expect(await send(stranger, `/bind ${director.code}`, XY_STAFF)).toContain("本群已绑定为【虹港家园】的主任群");
  });

  it("/unbind: a lead of the group's property, in the group; the property is told; then the group is free", async () => {
    const front = await person("xy-front", "front_desk", xy);
    const boss = await person("xy-boss", "supervisor", xy);
    const hgBoss = await person("hg-boss", "supervisor");
    await queued();
    expect(await send(front, "/unbind", XY_STAFF)).toBe("只有【西苑】的客服主管、服务中心主任、楼盘负责人或管理员可以解除本群的绑定。");
    expect(await send(hgBoss, "/unbind", XY_STAFF)).toContain("只有【西苑】的");
    expect(await send(boss, "/unbind", "private")).toBe("请在要解除绑定的群里发送 /unbind。");
    expect(await queued()).toEqual([]);
    expect(await send(boss, "/unbind", XY_STAFF)).toBe("本群已解除与【西苑】的绑定,不再接收它的工单。");
    expect(await store.chatBinding({ platform: "telegram", chatId: XY_STAFF })).toMatchObject({ active: false });
    const out = await queued();
    expect(textsTo(out, XY_DIRECTOR)).toEqual([`⚠️ 【西苑】的客服工作群(群 ${XY_STAFF})已由 xy-boss 解除绑定,今后不再往该群发送工单。`]);
    expect(out.map((m) => m.to.chatId).sort()).toEqual([XY_STAFF_2, XY_DIRECTOR, boss.platformUserId].sort());
    expect(await send(boss, "/unbind", XY_STAFF)).toContain("本群还没有绑定小区");
    expect(await send(boss, "/unclaimed", XY_STAFF)).toContain("本群还没有绑定小区");
    // Free now: any code binds it, no lead needed.
    const code = await store.createInvite({ propertyId: hg.id, grant: { kind: "bind", purpose: "staff", department: null }, expiresAt: new Date(clock.now().getTime() + 3_600_000), createdAt: clock.now() });
    expect(await send(front, `/bind ${code.code}`, XY_STAFF)).toContain("【虹港家园】的客服工作群");
    expect(await queued()).toEqual([]);
  });

  it("a phone number typed in the owner's words is masked on the card, the major report and group views; whole in private", async () => {
    const a = await person("a", "zone_specialist", hg, "A");
    await person("boss", "supervisor");
    const t = await ticket("A", PHONE_IN_WORDS);
    const card = renderer.reply((await staffCard(store, t.id, "zh-CN"))!, "zh-CN").text;
    expect(card).toContain("我电话138****5678,白天打021-****5678");
    expect(card).not.toContain("13812345678");
    const report = (await announcement(store, hg.id, true, "zh-CN"))({ ...t, weight: "major" }).filter((m) => m.kind === "message");
    expect(report.length).toBeGreaterThan(0);
    for (const m of report) {
      const text = m.kind === "message" ? m.body.text.map((x) => renderer.text(x, "zh-CN")).join("\n") : "";
      expect(text).toContain("138****5678");
      expect(text).not.toContain("13812345678");
    }
    await send(a, `/claim ${t.number}`);
    for (const view of [`/ticket ${t.number}`, "/mine", `ticket:${t.number}`]) {
      expect(await send(a, view, HG_STAFF), view).not.toContain("13812345678");
    }
    expect(await send(a, `/ticket ${t.number}`, "private")).toContain("我电话13812345678,白天打021-12345678");
    expect((await store.ticketByNumber(t.number))!.description).toBe(PHONE_IN_WORDS);
  });

  it("a stranger in a staff group is told they are not staff here and how to join; staff get the commands", async () => {
    const stranger = await person("stranger");
    const wang = await person("wang", "zone_specialist", hg, "A");
    const answer = await send(stranger, "/unclaimed");
    expect(answer).toContain("本群是【虹港家园】的工作群");
    expect(answer).toContain("/join 邀请码");
    expect(await send(stranger, "/mine", "private")).toContain("/join 邀请码");
    const addressed = (who: PersonRecord, chat: string) =>
      desk.addressed({ channel: "telegram", chat: { id: chat, kind: "group" }, sender: { platformUserId: who.platformUserId } }).then(said);
    expect(await addressed(stranger, HG_STAFF)).toContain("本群是【虹港家园】的工作群");
    expect(await addressed(wang, HG_STAFF)).toContain("工作人员命令");
    expect(await addressed(wang, "-3001")).toContain("本群还没有绑定小区");
  });

  it("a ticket command without a number answers with its usage", async () => {
    const wang = await person("wang", "zone_specialist", hg, "A");
    expect(await send(wang, "/claim")).toBe("用法:/claim 工单号,例如 /claim HG-0001");
    expect(await send(wang, "/unclaim")).toBe("用法:/unclaim 工单号,例如 /unclaim HG-0001");
    expect(await send(wang, "/ticket", "private")).toBe("用法:/ticket 工单号,例如 /ticket HG-0001");
    expect(await send(wang, "/note")).toContain("用法:/note");
    expect(await send(wang, "/resolve")).toContain("用法:/resolve");
    expect(await send(wang, "claim:")).toBe("用法:/claim 工单号,例如 /claim HG-0001");
    expect(await send(wang, "/sla")).toContain("npm run admin -- sla show");
    expect(await send(wang, "/claim HG-9999")).toContain("没有找到工单 HG-9999");
  });
});
