import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import { type StaffInbound } from "../../../src/core/messages.js";
import { openChat, type Chat } from "../../support/chat.js";

const GROUP = "-100777";
let chat: Chat;
let desk: StaffDesk;

/** What staff member `user` gets back for a command or a button, rendered. */
async function staff(user: string, text: string, where: "private" | "group" = "group"): Promise<string> {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
  const body: StaffInbound["body"] = m ? { type: "command", command: m[1]!, args: m[2]! } : { type: "choice", value: text };
  const outcome = await desk.handle({
    channel: "telegram",
    chat: { id: where === "group" ? GROUP : user, kind: where },
    sender: { platformUserId: user, displayName: user },
    body,
  });
  return outcome.replies.map((r) => chat.renderer.reply(r, outcome.locale).text).join("\n");
}

beforeEach(async () => {
  chat = await openChat();
  desk = new StaffDesk({ store: chat.store, clock: chat.clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" });
});
afterEach(async () => {
  expect(chat.errors).toEqual([]);
  await chat.close();
});

async function setUpProperty(): Promise<void> {
  const property = (await chat.store.properties())[0]!;
  const invite = (grant: Parameters<typeof chat.store.createInvite>[0]["grant"]) =>
    chat.store.createInvite({ propertyId: property.id, grant, expiresAt: new Date(chat.clock.now().getTime() + 86_400_000), createdAt: chat.clock.now() });
  const bind = await invite({ kind: "bind", purpose: "staff", department: null });
  expect(await staff("admin", `/bind ${bind.code}`)).toContain("本群已绑定为【虹港家园】的客服工作群");
  const join = await invite({ kind: "join", role: "zone_specialist", zoneId: null });
  expect(await staff("wang", `/join ${join.code}`, "private")).toContain("您已成为【虹港家园】的客服专员(管家)");
  const join2 = await invite({ kind: "join", role: "front_desk", zoneId: null });
  await staff("li", `/join ${join2.code}`, "private");
}

describe("staff desk", () => {
  it("a property is set up in chat; a filed complaint is claimed, promised, replied and resolved from the group", async () => {
    await setUpProperty();
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "公共区域", "南门岗亭", "跳过", "1"]);
    expect(await staff("li", "/unclaimed")).toContain("HG-0001 投诉 · 待受理");
    expect(await staff("wang", "claim:HG-0001")).toContain("已受理 HG-0001");
    expect(await staff("li", "claim:HG-0001")).toContain("已经由 wang 受理");
    expect(await staff("wang", "claim:HG-0001")).toContain("已经由您受理");
    expect(await staff("wang", "/promise HG-0001 18:00")).toContain("11月23日 18:00 前答复");
    expect(await staff("wang", "/note HG-0001 当班的是张某")).toContain("内部备注");
    expect(await staff("wang", "/reply HG-0001 已核实,当面道歉")).toContain("已把回复转给");
    expect(await staff("wang", "/mine")).toContain("HG-0001 投诉 · 处理中");
    expect(await staff("wang", "/ticket HG-0001")).toContain("内部备注:当班的是张某");
    expect(await staff("wang", "/resolve HG-0001 已对保安批评教育")).toContain("已请业主确认并评价");
    expect((await chat.store.ticketByNumber("HG-0001"))!.status).toBe("resolved");
  });

  it("refuses what it should: unbound groups, used codes, other properties' tickets, bad input", async () => {
    // Nobody's staff yet, in an unbound group: the owners' help, never the set-up steps (issue 11 §4).
    expect(await staff("x", "/claim HG-0001")).toContain("在群里 @我 说明问题");
    expect(await staff("x", "/claim HG-0001")).not.toContain("npm run admin");
    expect(await staff("x", "/join NOPE2345", "private")).toContain("邀请码不存在");
    expect(await staff("x", "/join ABC")).toContain("请在与我的私聊中发送");
    await setUpProperty();
    expect(await staff("x", "/claim HG-0001")).toContain("本群是【虹港家园】的工作群");
    await chat.script(["楼道里很脏,好几天没人打扫", "1", "3-1201", "王先生", "13900001111", "公共区域", "5栋楼道", "三天前", "1"]);
    expect(await staff("wang", "/promise HG-0001 soon")).toContain("用法:/promise");
    expect(await staff("wang", "/reply HG-0001")).toContain("用法:/reply");
    expect(await staff("wang", "claim:HG-9999")).toContain("没有找到工单 HG-9999");
    expect(await staff("wang", "/frob HG-0001")).toContain("没有 /frob 这个命令");
  });
});

describe("what filing and staff work queue for delivery", () => {
  it("a card in the staff group; a major matter reported to the director's chat and each supervisor", async () => {
    await setUpProperty();
    const property = (await chat.store.properties())[0]!;
    const boss = await chat.store.person({ platform: "telegram", platformUserId: "boss", locale: "zh-CN" });
    await chat.store.grantStaffRole(boss.id, { propertyId: property.id, zoneId: null, role: "supervisor" });
    await chat.store.bindChat({ platform: "telegram", chatId: "-100999", propertyId: property.id, purpose: "director", department: null }, chat.clock.now());
    await chat.script(["有人被困在电梯里了!", "1", "3-1201", "王先生", "13900001111", "公共区域", "3栋电梯", "跳过", "跳过", "1"]);
    const ticket = (await chat.store.ticketByNumber("HG-0001"))!;
    expect(ticket.weight).toBe("major");
    const queued = (await chat.outbox.due(chat.clock.now(), 50)).map((r) => r.message);
    expect(queued).toEqual([
      { kind: "card", to: { platform: "telegram", chatId: GROUP }, ticketId: ticket.id },
      expect.objectContaining({ kind: "message", to: { platform: "telegram", chatId: "-100999" }, ticketId: ticket.id }),
      expect.objectContaining({ kind: "message", to: { platform: "telegram", chatId: "boss" } }),
    ]);
    const report = queued[1]!;
    expect(report.kind === "message" && chat.renderer.text(report.body.text[0]!, "zh-CN")).toContain("🚨 重大事项报告:HG-0001");

    // A claim refreshes the card (the console owner has no chat to push to, so no notice row).
    for (const r of await chat.outbox.due(chat.clock.now(), 50)) await chat.outbox.markSent(r.id, chat.clock.now());
    await staff("wang", "claim:HG-0001");
    expect((await chat.outbox.due(chat.clock.now(), 50)).map((r) => r.message)).toEqual([
      { kind: "card", to: { platform: "telegram", chatId: GROUP }, ticketId: ticket.id },
    ]);
  });
});

describe("rendering outbox rows at send time", () => {
  it("renders a card from the ticket as it is now, and a notice from its keys", async () => {
    const { outboxRenderer } = await import("../../../src/infra/outbox/render.js");
    await setUpProperty();
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "公共区域", "南门岗亭", "跳过", "1"]);
    const ticket = (await chat.store.ticketByNumber("HG-0001"))!;
    const render = outboxRenderer({ store: chat.store, renderer: chat.renderer, staffLocale: "zh-CN" });
    const card = { kind: "card" as const, to: { platform: "telegram" as const, chatId: GROUP }, ticketId: ticket.id };
    let out = (await render(card))!;
    expect(out.text).toContain("🆕 HG-0001 · 投诉 · 言行举止");
    expect(out.text).toContain("业主:王先生 139****1111");
    expect(out.text).toContain("状态:待受理");
    expect(out.choices.map((c) => c.value)).toEqual(["claim:HG-0001", "ticket:HG-0001"]);
    await staff("wang", "claim:HG-0001");
    out = (await render(card))!;
    expect(out.text).toContain("状态:已受理 · 跟进人:wang");
    expect(out.choices.map((c) => c.value)).toEqual(["ticket:HG-0001"]);
    expect(await render({ ...card, ticketId: "gone" })).toBeNull();
  });
});

describe("escalate, transfer, reopen, callback", () => {
  it("escalation reports at once; transfer posts the card to the department; callback closes or reopens", async () => {
    await setUpProperty();
    const property = (await chat.store.properties())[0]!;
    const boss = await chat.store.person({ platform: "telegram", platformUserId: "boss", displayName: "陈主管", locale: "zh-CN" });
    await chat.store.grantStaffRole(boss.id, { propertyId: property.id, zoneId: null, role: "supervisor" });
    await chat.store.bindChat({ platform: "telegram", chatId: "-100888", propertyId: property.id, purpose: "department", department: "工程部" }, chat.clock.now());
    await chat.script(["厨房水龙头一直滴水,关不紧", "1", "3-1201", "王先生", "13900001111", "家里", "昨天", "跳过", "随时", "1"]);
    const id = (await chat.store.ticketByNumber("HG-0001"))!.id;
    for (const r of await chat.outbox.due(chat.clock.now(), 50)) await chat.outbox.markSent(r.id, chat.clock.now());

    expect(await staff("wang", "/transfer HG-0001 保洁部")).toContain("没有绑定“保洁部”的部门群");
    expect(await staff("wang", "/transfer HG-0001 工程部")).toContain("已转交 工程部");
    expect(await staff("li", "/escalate HG-0001 第三次漏水,业主要找媒体")).toContain("已升级为重大事项");
    expect((await chat.store.ticketById(id))!.weight).toBe("major");
    expect(await staff("li", "/escalate HG-0001 again")).toContain("当前的状态不能这样操作");
    const queued = (await chat.outbox.due(chat.clock.now(), 50)).map((r) => r.message);
    expect(queued.filter((m) => m.to.chatId === "-100888")).toEqual([{ kind: "card", to: { platform: "telegram", chatId: "-100888" }, ticketId: id }]);
    expect(queued.some((m) => m.kind === "message" && m.to.chatId === "boss")).toBe(true);

    await staff("wang", "claim:HG-0001");
    expect(await staff("wang", "/callback HG-0001 满意")).toContain("当前的状态不能这样操作"); // not resolved yet
    await staff("wang", "/resolve HG-0001 已更换阀芯");
    expect(await staff("wang", "/callback HG-0001 好")).toContain("用法:/callback");
    expect(await staff("wang", "/callback HG-0001 不满意 业主说还在滴")).toContain("已记录 HG-0001 的回访:不满意");
    expect((await chat.store.ticketById(id))!.status).toBe("reopened");
    expect(await staff("wang", "/reopen HG-0001 x")).toContain("只有主管");
    await staff("li", "claim:HG-0001");
    await staff("li", "/resolve HG-0001 重新更换了龙头");
    expect(await staff("li", "/callback HG-0001 满意 业主确认不滴了")).toContain("回访:满意");
    expect((await chat.store.ticketById(id))!.status).toBe("closed");
    expect(await staff("boss", "/reopen HG-0001 业主又来电")).toContain("已重新打开");
    const view = await chat.send("/status HG-0001");
    expect(view.text).toContain("回访:不满意");
    expect(view.text).toContain("升级为重大事项");
  });
});

describe("overdue", () => {
  it("lists open tickets whose promised reply time has passed", async () => {
    await setUpProperty();
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "公共区域", "南门岗亭", "跳过", "1"]);
    expect(await staff("wang", "/overdue")).toContain("没有超过承诺回复时间的工单");
    chat.clock.advance(5 * 3600_000); // a complaint is promised a reply within 4 hours
    expect(await staff("wang", "/overdue")).toContain("超过承诺回复时间的工单 1 个");
    await staff("wang", "claim:HG-0001");
    await staff("wang", "/promise HG-0001 2h");
    expect(await staff("wang", "/overdue")).toContain("没有超过承诺回复时间的工单");
  });
});
