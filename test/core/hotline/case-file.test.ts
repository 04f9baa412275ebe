/**
 * Issue 14, items 1, 4 and 10 through the staff desk over a real store on both databases:
 * company codes make the officers, the general manager and the hotline group; an officer's
 * recorded call becomes a numbered case file sent at once to the property head and logged in the
 * hotline group (a major one to the general manager too); the property head sets the measures
 * and names the department head; nobody else reads the case (seed 002 §4.2-§4.5, §4.8).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, type TestStore } from "../../support/db.js";
import { sh } from "../../support/reports-fixture.js";
import { HOTLINE_GROUP, hotlineWorld, STAFF_GROUP, type HotlineWorld } from "./world.js";

const keys = (o: { replies: readonly { text: readonly { key: string }[] }[] }) => o.replies.flatMap((r) => r.text.map((x) => x.key));

describe.each(backends())("the hotline's case file on $name", (backend) => {
  let opened: TestStore;
  let w: HotlineWorld;

  beforeAll(async () => {
    opened = await backend.open();
    // Saturday 16:30: 365-day duty (§5.1), so the 2 business hours run to 18:00 and on from 08:30 Sunday.
    w = await hotlineWorld(opened, sh("2026-11-28 16:30"));
  });
  afterAll(() => opened?.close());

  it("company codes make the officer and the general manager, and the hotline group; a property's code cannot take that group", async () => {
    expect(keys(await w.type("officer", `/join ${await w.companyCode({ kind: "join", role: "hotline_officer" })}`))).toEqual(["hotline.joined"]);
    expect(keys(await w.type("manager", `/join ${await w.companyCode({ kind: "join", role: "general_manager" })}`))).toEqual(["hotline.joined"]);
    const code = await w.companyCode({ kind: "bind" });
    expect(keys(await w.type("officer", `/join ${code}`))).toEqual(["staff.invite_wrong_kind"]);
    expect(keys(await w.type("officer", `/bind ${code}`, "hotline"))).toEqual(["hotline.bound"]);
    expect(keys(await w.type("officer", `/bind ${code}`, "hotline"))).toEqual(["staff.invite_used"]);
    expect(await w.hotline.companyRoles(w.people.officer.id)).toEqual(["hotline_officer"]);
    expect(await w.hotline.hotlineChats()).toEqual([{ platform: "telegram", chatId: HOTLINE_GROUP }]);
    const property = await opened.store.createInvite({ propertyId: w.home.id, grant: { kind: "bind", purpose: "staff", department: null }, expiresAt: new Date(w.clock.now().getTime() + 3_600_000), createdAt: w.clock.now() });
    expect(keys(await w.type("head", `/bind ${property.code}`, "hotline"))).toEqual(["hotline.bind_company_group"]);
    expect(await opened.store.chatBinding({ platform: "telegram", chatId: HOTLINE_GROUP })).toBeNull();
    expect(keys(await w.type("wang", "/where", "hotline"))).toEqual(["hotline.where"]);
  });

  it("the officer's script greets with the standard words; a matter the property never handled is not a case (§4.1, §5.2)", async () => {
    expect(keys(await w.type("officer", "/hlrecord"))).toEqual(["hotline.script.greeting", "hotline.script.ask", "hotline.usage.hlrecord"]);
    expect(keys(await w.type("officer", "/hlrecord HG-0999 楼上漏水"))).toEqual(["hotline.scope.not_handled", "hotline.intake.record_line", "hotline.scope.what_for"]);
    expect(keys(await w.type("officer", "/hlrecord 楼上漏水"))).toEqual(["hotline.usage.hlrecord"]);
    expect(await w.hotline.cases({ statuses: ["awaiting_measures"], limit: 10 })).toEqual([]);
    // Only the officers record calls: the general manager and property staff do not.
    expect(keys(await w.type("manager", "/hlrecord HG-0001 不满意"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("head", "/hlrecord HG-0001 不满意"))).toEqual(["hotline.not_allowed"]);
  });

  it("a recorded call is a numbered case file, sent at once to the property head and logged in the hotline group", async () => {
    const ticket = await w.resolvedTicket("卫生间漏水");
    const before = (await w.outbox()).length;
    const out = await w.type("officer", `/hlrecord ${ticket.number} 13800001234 维修后仍然漏水,对处理结果不满意`);
    expect(keys(out)[0]).toBe("hotline.recorded");
    const c = (await w.hotline.caseByNumber("HL2026-0001"))!;
    expect(c).toMatchObject({ status: "awaiting_measures", tickets: [ticket.number], roomLabel: "3-1201", contactName: "张三", contactPhone: "13800001234", source: "phone", major: false, recordedById: w.people.officer.id });
    // 16:30 + 2 business hours = 18:00 Saturday (1.5 h) + 30 min from 08:30 Sunday.
    expect(c.measuresDueAt).toEqual(sh("2026-11-29 09:00"));
    const sent = (await w.outbox()).slice(before);
    expect(sent.map((m) => [m.chatId, m.keys[0]])).toEqual([
      [w.people.head.platformUserId, "hotline.to_head.intro"],
      [HOTLINE_GROUP, "hotline.log.filed"],
    ]);
    expect((await w.hotline.caseEvents(c.id)).map((e) => e.type)).toEqual(["filed"]);
  });

  it("a major case reaches the general manager at once (§4.3.2)", async () => {
    const ticket = await w.resolvedTicket("电梯困人", true);
    const before = (await w.outbox()).length;
    await w.type("officer", `/hlrecord ${ticket.number} 电梯又困人了,要求总经理处理`, "hotline");
    const c = (await w.hotline.caseByNumber("HL2026-0002"))!;
    expect(c.major).toBe(true);
    const sent = (await w.outbox()).slice(before);
    expect(sent.map((m) => [m.chatId, m.keys[0]])).toEqual([
      [w.people.head.platformUserId, "hotline.to_head.intro"],
      [w.people.manager.platformUserId, "hotline.to_gm.major"],
      [HOTLINE_GROUP, "hotline.log.filed"],
    ]);
  });

  it("the property head sets the measures and names the department head, once; the department head is told and may read the case", async () => {
    expect(keys(await w.type("wang", "/case HL2026-0001"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("head", "/measures HL2026-0001 @nobody 上门"))).toEqual(["hotline.not_property_staff"]);
    expect(keys(await w.type("head", "/measures HL2026-0001 @wang"))).toEqual(["hotline.usage.measures"]);
    const before = (await w.outbox()).length;
    expect(keys(await w.type("head", "/measures HL2026-0001 @wang 工程部今天下午上门复查,修好为止"))).toEqual(["hotline.measures_set"]);
    expect(keys(await w.type("head", "/measures HL2026-0001 @wang 再说一遍"))).toEqual(["hotline.measures_already"]);
    const sent = (await w.outbox()).slice(before);
    expect(sent.map((m) => [m.chatId, m.keys[0]])).toEqual([
      [w.people.wang.platformUserId, "hotline.to_department.intro"],
      [HOTLINE_GROUP, "hotline.log.measures"],
    ]);
    const c = (await w.hotline.caseByNumber("HL2026-0001"))!;
    expect(c).toMatchObject({ status: "in_hand", departmentHeadId: w.people.wang.id, measures: "工程部今天下午上门复查,修好为止" });
    expect((await w.hotline.caseEvents(c.id)).map((e) => e.type)).toEqual(["filed", "measures"]);
    expect(keys(await w.type("wang", "/case HL2026-0001"))[0]).toBe("hotline.case.title");
    // Named on one case only: not the other one.
    expect(keys(await w.type("wang", "/case HL2026-0002"))).toEqual(["hotline.not_allowed"]);
  });

  it("confidentiality (§4.8): never in the property's groups, never to other staff", async () => {
    expect(keys(await w.type("head", "/case HL2026-0001", "staff"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("head", "/cases", "staff"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("officer", "/case HL2026-0001", "staff"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("supervisor", "/case HL2026-0001"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("supervisor", "/cases"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("owner", "/cases"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("head", "/measures HL2026-0002 @wang 上门", "staff"))).toEqual(["hotline.not_allowed"]);
    // The department head may read but not set measures; the officer may read everywhere but a property group.
    expect(keys(await w.type("wang", "/measures HL2026-0002 @wang 上门"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("officer", "/cases", "hotline"))[0]).toBe("hotline.cases_title");
    expect(keys(await w.type("manager", "/case HL2026-0002"))[0]).toBe("hotline.case.title_major");
    expect(keys(await w.type("head", "/cases"))[0]).toBe("hotline.cases_title");
    expect(STAFF_GROUP).not.toBe(HOTLINE_GROUP);
  });

  it("the callbacks, the 处理回访表 and completion, each from its status and by its person; a satisfied closing callback closes the case (§4.5-§4.6)", async () => {
    const before = (await w.outbox()).length;
    expect(keys(await w.type("wang", "/hlcall HL2026-0001 first"))).toEqual(["hotline.usage.hlcall"]);
    expect(keys(await w.type("wang", "/hlcall HL2026-0001 first 满意 业主认可上门处理"))).toEqual(["hotline.step_recorded"]);
    expect(keys(await w.type("officer", "/hlcall HL2026-0001 closing 满意"))).toEqual(["hotline.step_wrong_status"]);
    expect(keys(await w.type("officer", "/hlcall HL2026-0001 stage 较满意 还在等配件", "hotline"))).toEqual(["hotline.step_recorded"]);
    expect(keys(await w.type("wang", "/hlfeedback HL2026-0001 满意 已更换防水层"))).toEqual(["hotline.step_recorded"]);
    expect(keys(await w.type("head", "/hlcall HL2026-0001 second 满意"))).toEqual(["hotline.step_wrong_status"]);
    expect(keys(await w.type("supervisor", "/hldone HL2026-0001 修好了"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("wang", "/hldone HL2026-0001 修好了"))).toEqual(["hotline.step_recorded", "hotline.case.status"]);
    expect(keys(await w.type("head", "/hlcall HL2026-0001 second 满意"))).toEqual(["hotline.step_recorded"]);
    expect(keys(await w.type("wang", "/hlcall HL2026-0001 closing 满意"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("manager", "/hlcall HL2026-0001 closing 满意"))).toEqual(["hotline.not_allowed"]);
    expect(keys(await w.type("officer", "/hlcall HL2026-0001 closing 满意 业主表示满意"))).toEqual(["hotline.step_recorded", "hotline.case.status"]);
    const c = (await w.hotline.caseByNumber("HL2026-0001"))!;
    expect(c.status).toBe("closed");
    expect(c.closedAt).toEqual(w.clock.now());
    expect((await w.hotline.caseEvents(c.id)).map((e) => e.type)).toEqual(["filed", "measures", "callback_first", "callback_stage", "feedback", "done", "callback_second", "callback_closing"]);
    const logged = (await w.outbox()).slice(before);
    expect(logged.every((m) => m.chatId === HOTLINE_GROUP && m.keys[0] === "hotline.log.step")).toBe(true);
    expect(logged).toHaveLength(6);
  });

  it("numbers restart each year, in the company's time zone", async () => {
    w.clock.set(sh("2027-01-01 00:10"));
    const ticket = await w.resolvedTicket("门禁坏了");
    await w.type("officer", `/hlrecord ${ticket.number} 门禁修了三次还是坏`);
    expect(await w.hotline.caseByNumber("HL2027-0001")).not.toBeNull();
  });

  it("the officer finds the owner's ticket by phone or room; a matter the property has not handled goes to its front desk (§4.1, §4.2)", async () => {
    const caller = await opened.store.person({ platform: "telegram", platformUserId: "u-caller", displayName: "caller", username: "caller", locale: "zh-CN" });
    const { ticket } = await opened.store.fileTicket({
      intakeId: "hl-caller", propertyId: w.home.id, zoneId: w.home.zones[0]!.id, roomId: null, kind: "repair", category: "engineering",
      weight: "general", majorReasons: [], ownerId: caller.id, roomLabel: "5-0802", contactName: "李四", contactPhone: "13700002222",
      location: "home", place: null, description: "阳台漏水", since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN",
      createdAt: w.clock.now(), nextReplyDueAt: null, confirmation: {},
    });
    // Filed but not yet taken up: not a hotline case; the officer is given the property's open ticket and the front desk's line.
    let out = await w.type("officer", "/hlrecord 5-0802 13700002222 阳台漏水没人来");
    expect(keys(out)).toEqual(["hotline.scope.not_handled", "hotline.intake.with_property", "ticket.line", "hotline.intake.record_line", "hotline.scope.what_for"]);
    expect(out.replies[0]!.text.find((x) => x.key === "hotline.intake.record_line")!.params).toEqual({ line: "5-0802 13700002222 阳台漏水没人来" });
    expect(out.replies[0]!.text.find((x) => x.key === "ticket.line")!.params).toMatchObject({ number: ticket.number });
    const filed = (await w.hotline.casesFiled(new Date(0), new Date("2100-01-01T00:00:00Z"))).length;
    await opened.store.applyTransition(ticket.id, ticket.status, "in_progress", {
      at: w.clock.now(), type: "transition", actorKind: "staff", actorId: w.people.wang.id, channel: "telegram", fromStatus: ticket.status, toStatus: "in_progress", data: { action: "claim" },
    }, { claimedAt: w.clock.now() });
    // Taken up by the property: found by the caller's phone alone, the matter recorded against it.
    out = await w.type("officer", "/hlrecord 137-0000-2222 处理太慢,对处理过程不满意");
    expect(keys(out)[0]).toBe("hotline.recorded");
    const c = (await w.hotline.casesFiled(new Date(0), new Date("2100-01-01T00:00:00Z"))).at(-1)!;
    expect((await w.hotline.casesFiled(new Date(0), new Date("2100-01-01T00:00:00Z"))).length).toBe(filed + 1);
    expect(c).toMatchObject({ tickets: [ticket.number], ownerId: caller.id, roomLabel: "5-0802", contactName: "李四", contactPhone: "13700002222", matter: "处理太慢,对处理过程不满意", source: "phone" });
    // By room: the owner of 3-1201 has several handled tickets, so the officer asks which one.
    out = await w.type("officer", "/hlrecord 3-1201 修过还是坏");
    expect(keys(out)[0]).toBe("hotline.intake.pick");
    expect(keys(out).filter((k) => k === "ticket.line").length).toBeGreaterThan(1);
    expect((await w.hotline.casesFiled(new Date(0), new Date("2100-01-01T00:00:00Z"))).length).toBe(filed + 1);
  });
});
