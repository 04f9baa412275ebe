import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { ownerRate, staffAct, type Actor, type WorkflowResult } from "../../../src/core/staff/workflow.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { openChat, TestClock, type Chat } from "../../support/chat.js";
import { backends, type TestStore } from "../../support/db.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

const HOUR = 3600_000;

/** Staff with roles, and one owner's complaint filed through the real conversation. */
async function setup(store: Stores) {
  const property = (await store.properties())[0]!;
  const zoneA = property.zones.find((z) => z.code === "A")!;
  const zoneB = property.zones.find((z) => z.code === "B")!;
  const staff = async (id: string, name: string, role: Parameters<Stores["grantStaffRole"]>[1]["role"], zoneId: string | null = null) => {
    const p = await store.person({ platform: "telegram", platformUserId: id, displayName: name, locale: "zh-CN" });
    await store.grantStaffRole(p.id, { propertyId: property.id, zoneId, role });
    return store.updatePerson(p.id, { name });
  };
  const wang = await staff("s-wang", "小王", "zone_specialist", zoneA.id);
  const li = await staff("s-li", "小李", "front_desk");
  const boss = await staff("s-boss", "陈主管", "supervisor");
  const zoneBOnly = await staff("s-b", "小赵", "zone_specialist", zoneB.id);
  const stranger = await store.person({ platform: "telegram", platformUserId: "x", locale: "zh-CN" });
  return { property, wang, li, boss, zoneBOnly, stranger };
}

const as = (p: PersonRecord): Actor => ({ personId: p.id, channel: "telegram" });
const codeOf = (r: WorkflowResult) => (r.ok ? "ok" : r.code);

describe("staff workflow over a conversation-filed complaint", () => {
  let chat: Chat;
  let s: Awaited<ReturnType<typeof setup>>;
  let deps: { store: Stores; clock: TestClock };
  beforeEach(async () => {
    chat = await openChat();
    await chat.script(["保安态度太差了,我要投诉", "1", "A区5栋2单元301", "王先生", "13900001111", "公共区域", "南门岗亭", "跳过", "1"]);
    s = await setup(chat.store);
    deps = { store: chat.store, clock: chat.clock };
  });
  afterEach(async () => {
    expect(chat.errors).toEqual([]);
    await chat.close();
  });

  it("claim, promise, reply, resolve; the owner hears each step and rates; history has every actor", async () => {
    let r = await staffAct(deps, as(s.wang), "HG-0001", { type: "claim" });
    expect(r.ok && r.ticket.status).toBe("claimed");
    expect(r.ok && chat.renderer.text(r.notices[0]!.text[0]!, "zh-CN")).toBe("您的工单 HG-0001 已由 小王 受理,将跟进到底。");

    const due = new Date(chat.clock.now().getTime() + 3 * HOUR);
    r = await staffAct(deps, as(s.wang), "hg1", { type: "promise", due });
    expect(r.ok && r.ticket.nextReplyDueAt).toEqual(due);
    expect(r.ok && chat.renderer.text(r.notices[0]!.text[0]!, "zh-CN")).toContain("11月23日 13:00 前");

    r = await staffAct(deps, as(s.wang), "HG-0001", { type: "reply", text: "已联系保安队长核实" });
    expect(r.ok && r.ticket.status).toBe("in_progress");
    r = await staffAct(deps, as(s.wang), "HG-0001", { type: "note", text: "内部:当班保安是张某" });
    expect(r.ok && r.notices).toEqual([]);
    r = await staffAct(deps, as(s.wang), "HG-0001", { type: "resolve", result: "已对当班保安批评教育并当面致歉" });
    expect(r.ok && r.ticket.status).toBe("resolved");
    expect(r.ok && r.notices[0]!.choices!.map((c) => c.value)).toEqual([
      "rate:HG-0001:satisfied",
      "rate:HG-0001:fairly",
      "rate:HG-0001:dissatisfied",
    ]);

    // The owner presses "满意" in their chat.
    const said = await chat.send({ type: "choice", value: "rate:HG-0001:satisfied" });
    expect(said.text).toContain("感谢您的评价,工单 HG-0001 已结案");
    const view = await chat.send("/status HG-0001");
    expect(view.text).toContain("状态:已结案");
    expect(view.text).toContain("工作人员回复:已联系保安队长核实");
    expect(view.text).toContain("业主评价:满意");
    expect(view.text).not.toContain("张某"); // internal notes never reach the owner
  });

  it("an owner who is not satisfied reopens the ticket", async () => {
    await staffAct(deps, as(s.wang), "HG-0001", { type: "claim" });
    await staffAct(deps, as(s.wang), "HG-0001", { type: "resolve", result: "已处理" });
    const said = await chat.send({ type: "choice", value: "rate:HG-0001:dissatisfied" });
    expect(said.text).toContain("已重新处理");
    expect((await chat.store.ticketByNumber("HG-0001"))!.status).toBe("reopened");
    // And it can be claimed again.
    expect(codeOf(await staffAct(deps, as(s.li), "HG-0001", { type: "claim" }))).toBe("ok");
    // A second rating of a ticket no longer resolved changes nothing.
    expect((await chat.send({ type: "choice", value: "rate:HG-0001:satisfied" })).text).toContain("当前的状态不能这样操作");
  });

  it("permissions: strangers, other zones, non-assignees; a lead may act on any ticket", async () => {
    expect(codeOf(await staffAct(deps, as(s.stranger), "HG-0001", { type: "claim" }))).toBe("not_staff");
    expect(codeOf(await staffAct(deps, as(s.zoneBOnly), "HG-0001", { type: "claim" }))).toBe("other_zone");
    await staffAct(deps, as(s.wang), "HG-0001", { type: "claim" });
    const r = await staffAct(deps, as(s.li), "HG-0001", { type: "resolve", result: "x" });
    expect(r).toMatchObject({ ok: false, code: "not_assignee" });
    expect(!r.ok && chat.renderer.text(r.text, "zh-CN")).toContain("由 小王 跟进");
    expect(codeOf(await staffAct(deps, as(s.boss), "HG-0001", { type: "reply", text: "主管已知悉" }))).toBe("ok");
    // Another owner cannot rate someone else's ticket.
    await staffAct(deps, as(s.boss), "HG-0001", { type: "resolve", result: "ok" });
    expect(codeOf(await ownerRate(deps, as(s.li), "HG-0001", "satisfied"))).toBe("ticket_not_found");
  });

  it("bad staff input: empty texts, a promise in the past, an unknown ticket, a double-click on claim", async () => {
    expect(codeOf(await staffAct(deps, as(s.wang), "HG-9999", { type: "claim" }))).toBe("ticket_not_found");
    expect(codeOf(await staffAct(deps, as(s.wang), "HG-0001", { type: "claim" }))).toBe("ok");
    expect(codeOf(await staffAct(deps, as(s.wang), "HG-0001", { type: "claim" }))).toBe("already_yours");
    expect(codeOf(await staffAct(deps, as(s.wang), "HG-0001", { type: "reply", text: "  " }))).toBe("empty_text");
    expect(codeOf(await staffAct(deps, as(s.wang), "HG-0001", { type: "promise", due: chat.clock.now() }))).toBe("bad_time");
    expect(codeOf(await staffAct(deps, as(s.wang), "HG-0001", { type: "unclaim" }))).toBe("ok");
    expect((await chat.store.ticketByNumber("HG-0001"))).toMatchObject({ status: "new", assigneeId: null });
  });
});

describe.each(backends())("claim race on $name", (backend) => {
  let opened: TestStore;
  beforeEach(async () => {
    opened = await backend.open();
  });
  afterEach(async () => {
    await opened.close();
  });

  /** The property's staff and one repair filed directly in the store. */
  async function fileOne() {
    const store = opened.store;
    await store.createProperty(DEMO_PROPERTY);
    const s = await setup(store);
    const owner = await store.person({ platform: "console", platformUserId: "o", locale: "zh-CN" });
    const filed = await store.fileTicket(newTicket(s.property, owner));
    return { store, s, filed, deps: { store, clock: new TestClock() } };
  }

  it("two staff claiming at the same moment: exactly one wins, the other is told who has it", async () => {
    const { store, s, filed, deps } = await fileOne();
    const [a, b] = await Promise.all([
      staffAct(deps, as(s.wang), filed.ticket.number, { type: "claim" }),
      staffAct(deps, as(s.li), filed.ticket.number, { type: "claim" }),
    ]);
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    const loser = [a, b].find((r) => !r.ok)!;
    expect(loser).toMatchObject({ ok: false, code: "already_claimed" });
    const winner = (a.ok ? s.wang : s.li).name;
    expect(!loser.ok && JSON.stringify(loser.text)).toContain(winner);
    const events = await store.ticketEvents(filed.ticket.id);
    expect(events.filter((e) => e.type === "transition")).toHaveLength(1);
  });

  it("claiming back a reopened ticket, lost to a resolution made meanwhile, says it cannot be claimed now, not 'already yours'", async () => {
    const { store, s, filed, deps } = await fileOne();
    for (const [who, cmd] of [
      [s.wang, { type: "claim" }],
      [s.wang, { type: "resolve", result: "已处理" }],
      [s.boss, { type: "reopen", reason: "业主说没修好" }],
    ] as const) {
      expect(codeOf(await staffAct(deps, as(who), filed.ticket.number, cmd))).toBe("ok");
    }
    // The supervisor resolves it again between wang reading it and wang's claim being written.
    let resolvedFirst = false;
    const racing: Stores = {
      ...store,
      applyTransition: async (...args) => {
        if (!resolvedFirst) {
          resolvedFirst = true;
          expect(codeOf(await staffAct({ ...deps, store }, as(s.boss), filed.ticket.number, { type: "resolve", result: "已派人修好" }))).toBe("ok");
        }
        return store.applyTransition(...args);
      },
    };
    const lost = await staffAct({ ...deps, store: racing }, as(s.wang), filed.ticket.number, { type: "claim" });
    expect(lost).toMatchObject({ ok: false, code: "not_allowed_now" });
    expect((await store.ticketByNumber(filed.ticket.number))?.status).toBe("resolved");
  });
});

function newTicket(property: PropertyRecord, owner: PersonRecord): Parameters<Stores["fileTicket"]>[0] {
  return {
    intakeId: "race-1", propertyId: property.id, zoneId: null, roomId: null, kind: "repair", category: "engineering",
    weight: "general", majorReasons: [], ownerId: owner.id, roomLabel: "3-1201", contactName: null, contactPhone: null,
    location: "home", place: null, description: "水龙头坏了", since: null, visitTime: null, photos: [], channel: "console",
    locale: "zh-CN", createdAt: new Date("2026-11-23T02:00:00Z"), nextReplyDueAt: null, confirmation: {},
  };
}
