/**
 * `/draft` (issue 15, item 3) through the real staff desk over a real store: who may ask, the
 * template without a model, the model's draft, the template again when the model fails, and in
 * a group the draft goes to the asker's private chat only, never to the owner.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { draftExtension } from "../../../src/core/draft/extension.js";
import type { DraftFacts, DraftResult, ReplyDrafter } from "../../../src/core/draft/port.js";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import type { StaffInbound } from "../../../src/core/messages.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { staffAct } from "../../../src/core/staff/workflow.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import type { Locale } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { TestClock } from "../../support/chat.js";
import { backends, type TestStore } from "../../support/db.js";

const GROUP = "-100888";

/** Answers as scripted and remembers what it was told. */
class ScriptedDrafter implements ReplyDrafter {
  readonly told: DraftFacts[] = [];
  constructor(private readonly result: DraftResult) {}
  async draft(facts: DraftFacts): Promise<DraftResult> {
    this.told.push(facts);
    return this.result;
  }
}

describe.each(backends())("/draft through the staff desk on $name", (backend) => {
  let db: TestStore;
  let property: PropertyRecord;
  let renderer: Renderer;
  const clock = new TestClock();
  let filed = 0;

  beforeEach(async () => {
    db = await backend.open();
    renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    const { store } = db;
    property = await store.createProperty({ code: "HG", name: "虹港家园", zones: [{ code: "A", name: "A区" }, { code: "B", name: "B区" }] });
    const zone = (code: string) => property.zones.find((z) => z.code === code)!.id;
    for (const [id, zoneId] of [["a", zone("A")], ["b", zone("B")]] as const) {
      const p = await store.person({ platform: "telegram", platformUserId: `u-${id}`, displayName: id, username: id, locale: "zh-CN" });
      await store.grantStaffRole(p.id, { propertyId: property.id, zoneId, role: "zone_specialist" });
    }
    await store.bindChat({ platform: "telegram", chatId: GROUP, propertyId: property.id, purpose: "staff", department: null }, clock.now());
  });
  afterEach(() => db.close());

  async function file(locale: Locale, description: string): Promise<TicketRecord> {
    const { store } = db;
    const owner = await store.person({ platform: "telegram", platformUserId: `o-${++filed}`, displayName: "业主", locale });
    const { ticket } = await store.fileTicket({
      intakeId: `draft-${filed}`, propertyId: property.id, zoneId: property.zones.find((z) => z.code === "A")!.id, roomId: null, kind: "repair",
      category: "engineering", weight: "general", majorReasons: [], ownerId: owner.id, roomLabel: "A-3-1201", contactName: "王先生",
      contactPhone: "13900001111", location: "home", place: null, description, since: null, visitTime: null, photos: [], channel: "telegram",
      locale, createdAt: clock.now(), nextReplyDueAt: null, confirmation: {},
    });
    return ticket;
  }

  async function ask(drafter: ReplyDrafter | undefined, user: "a" | "b", text: string, where: "group" | "private" = "private") {
    const desk = new StaffDesk({ store: db.store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN", extensions: [draftExtension({ store: db.store, outbox: db.outbox, ...(drafter ? { drafter } : {}) })] });
    const m = /^\/(\S+)\s*([\s\S]*)$/.exec(text)!;
    const body: StaffInbound["body"] = { type: "command", command: m[1]!, args: m[2]! };
    const outcome = await desk.handle({ channel: "telegram", chat: { id: where === "group" ? GROUP : `u-${user}`, kind: where }, sender: { platformUserId: `u-${user}`, username: user }, body });
    return { outcome, said: outcome.replies.map((r) => renderer.reply(r, outcome.locale).text) };
  }

  const queued = async () => (await db.outbox.due(new Date(clock.now().getTime() + 1), 50)).filter((r) => r.message.kind === "message");

  it("without a model gives the 复清楚 template in the owner's language as a /reply line, and sends nothing to the owner", async () => {
    const ticket = await file("en", "The kitchen tap has been leaking since Monday, call me on 13812345678");
    const { said } = await ask(undefined, "a", `/draft ${ticket.number}`);
    expect(said[0]).toBe(`工单 ${ticket.number} 的回复草稿(按模板起草,请补充处理过程和结果):`);
    expect(said[1]).toMatch(new RegExp(`^/reply ${ticket.number} Hello! About the matter you reported, “The kitchen tap has been leaking since …” \\(ticket ${ticket.number}\\): we have received it`));
    expect(said[1]).toContain("We will update you as soon as we can.");
    expect(said[2]).toContain("草稿没有发给业主");
    expect(await queued()).toEqual([]);
  });

  it("puts the staff member's gist in the template and, once resolved, asks the owner to rate", async () => {
    const ticket = await file("zh-CN", "厨房水龙头漏水");
    const { said } = await ask(undefined, "a", `/draft ${ticket.number} 师傅明早9点上门更换阀芯。`);
    expect(said[1]).toBe(`/reply ${ticket.number} 您好!关于您反映的「厨房水龙头漏水」(工单 ${ticket.number}),师傅明早9点上门更换阀芯。我们会尽快向您反馈进展。如有其他需要,请随时联系我们。`);
    const a = await db.store.person({ platform: "telegram", platformUserId: "u-a", displayName: "a", username: "a", locale: "zh-CN" });
    const act = (cmd: Parameters<typeof staffAct>[3]) => staffAct({ store: db.store, clock }, { personId: a.id, channel: "telegram" }, ticket.number, cmd);
    expect((await act({ type: "claim" })).ok).toBe(true);
    expect((await act({ type: "resolve", result: "已更换阀芯" })).ok).toBe(true);
    const resolved = await ask(undefined, "a", `/draft ${ticket.number}`);
    expect(resolved.said[1]).toBe(`/reply ${ticket.number} 您好!关于您反映的「厨房水龙头漏水」(工单 ${ticket.number}),已经处理完毕。请您确认处理结果,并对我们的服务进行评价。如有其他需要,请随时联系我们。`);
  });

  it("gives the model's draft with the facts the owner has seen, never the internal notes", async () => {
    const ticket = await file("zh-CN", "楼道灯坏了");
    const a = await db.store.person({ platform: "telegram", platformUserId: "u-a", displayName: "a", username: "a", locale: "zh-CN" });
    const act = (cmd: Parameters<typeof staffAct>[3]) => staffAct({ store: db.store, clock }, { personId: a.id, channel: "telegram" }, ticket.number, cmd);
    expect((await act({ type: "claim" })).ok).toBe(true);
    expect((await act({ type: "note", text: "内部:业主很难缠" })).ok).toBe(true);
    expect((await act({ type: "reply", text: "电工下午过来" })).ok).toBe(true);
    const model = new ScriptedDrafter({ ok: true, text: "您好,电工今天下午会来更换楼道灯,修好后我们再告诉您。" });
    const { said } = await ask(model, "a", `/draft ${ticket.number}`);
    expect(said[0]).toBe(`工单 ${ticket.number} 的回复草稿(由语言模型起草,请核对后再发):`);
    expect(said[1]).toBe(`/reply ${ticket.number} 您好,电工今天下午会来更换楼道灯,修好后我们再告诉您。`);
    const facts = model.told[0]!;
    expect(facts).toMatchObject({ number: ticket.number, status: "in_progress", ownerLocale: "zh-CN", description: "楼道灯坏了", gist: "" });
    expect(facts.told.map((l) => [l.kind, l.text])).toEqual([["reply", "电工下午过来"]]);
    expect(JSON.stringify(facts)).not.toContain("难缠");
  });

  it("falls back to the template and says why when the model times out", async () => {
    const ticket = await file("zh-CN", "电梯异响");
    const { said } = await ask(new ScriptedDrafter({ ok: false, reason: "timeout" }), "a", `/draft ${ticket.number}`);
    expect(said[0]).toBe(`工单 ${ticket.number} 的回复草稿(按模板起草,请补充处理过程和结果):\n语言模型这次没有及时回应,先给您模板草稿。`);
    expect(said[1]).toContain("我们已经收到并在安排人员处理");
  });

  it("in the staff group sends the draft to the asker's private chat and tells only the asker", async () => {
    const ticket = await file("zh-CN", "垃圾没清");
    const { outcome, said } = await ask(undefined, "a", `/draft ${ticket.number}`, "group");
    expect(outcome.askerOnly).toBe(true);
    expect(said).toEqual([`工单 ${ticket.number} 的回复草稿已私信发给您。`]);
    const sent = await queued();
    expect(sent.map((r) => r.message.to)).toEqual(Array(3).fill({ platform: "telegram", chatId: "u-a" }));
    const texts = sent.map(({ message: m }) => (m.kind === "message" ? m.body.text.map((x) => renderer.text(x, m.body.locale)).join("") : ""));
    expect(texts[1]).toMatch(new RegExp(`^/reply ${ticket.number} 您好!关于您反映的「垃圾没清」`));
  });

  it("refuses another zone's 管家, an unknown number, and says how to use it", async () => {
    const ticket = await file("zh-CN", "草坪没修剪");
    expect((await ask(undefined, "b", `/draft ${ticket.number}`)).said).toEqual([`工单 ${ticket.number} 不在您的负责范围内,不能为它起草回复。`]);
    expect((await ask(undefined, "a", "/draft HG-9999")).said).toEqual(["没有找到工单 HG-9999。"]);
    expect((await ask(undefined, "a", "/draft")).said[0]).toContain("用法:/draft");
    expect(await queued()).toEqual([]);
  });
});
