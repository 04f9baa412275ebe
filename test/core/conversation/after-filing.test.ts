/**
 * An owner's conversation after filing, through the owner desk over SQLite (issue 11, items 1
 * and 2): words go to the ticket they belong to and its follower is pushed them, a thank-you never
 * becomes a ticket nor the start of the next one, several open matters are asked about.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InboundBody, ReplyReference } from "../../../src/core/messages.js";
import type { NewOutboxMessage } from "../../../src/core/outbox.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import { staffAct } from "../../../src/core/staff/workflow.js";
import { openChat, type Chat, type Said } from "../../support/chat.js";

const FAR = new Date("3000-01-01T00:00:00Z");
const COMPLAINT = ["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过", "1"];
const LEAK = ["厨房水管漏水了,地上全是水", "1", "1", "1", "跳过", "跳过", "跳过", "1"];
const COMPLAINT_EN = ["/lang en", "The security guard was very rude, I want to complain", "1", "3-1201", "Mr Smith", "13900001111", "2", "south gate", "skip", "1"];
const LEAK_EN = ["The kitchen pipe is leaking, water everywhere", "1", "1", "1", "skip", "skip", "skip", "1"];

let chat: Chat;
let wang: PersonRecord;

beforeEach(async () => {
  chat = await openChat({ channel: "telegram" });
  wang = await chat.store.person({ platform: "telegram", platformUserId: "2001", displayName: "王强", locale: "zh-CN" });
  const property = (await chat.store.properties())[0]!;
  await chat.store.grantStaffRole(wang.id, { propertyId: property.id, zoneId: null, role: "zone_specialist" });
});
afterEach(async () => {
  expect(chat.errors).toEqual([]);
  await chat.close();
});

const act = (number: string, cmd: Parameters<typeof staffAct>[3]) => staffAct({ store: chat.store, clock: chat.clock }, { personId: wang.id, channel: "telegram" }, number, cmd);

/** As an adapter hands it over: with the bot message the owner answered, when they answered one. */
function reply(body: string | InboundBody, replyTo: ReplyReference): Promise<Said> {
  return chat.desk.handle({ channel: "telegram", conversationKey: "telegram:u1", sender: { platformUserId: "u1", displayName: "u1" }, body: typeof body === "string" ? { type: "text", text: body } : body, replyTo }).then((outcome) => {
    const rendered = outcome.replies.map((r) => chat.renderer.reply(r, outcome.locale));
    return { text: rendered.map((r) => r.text).join("\n"), choices: rendered.flatMap((r) => r.choices.map((c) => c.label)), outcome };
  });
}

/** The messages queued for a chat, rendered. */
async function queuedTo(chatId: string): Promise<string[]> {
  const pending = (await chat.outbox.due(FAR, 500)).map((r) => r.message).filter((m): m is Extract<NewOutboxMessage, { kind: "message" }> => m.kind === "message" && m.to.chatId === chatId);
  return pending.map((m) => chat.renderer.reply({ text: m.body.text }, m.body.locale).text);
}

async function bindStaffGroup(): Promise<void> {
  const property = (await chat.store.properties())[0]!;
  await chat.store.bindChat({ platform: "telegram", chatId: "-100777", propertyId: property.id, purpose: "staff", department: null }, chat.clock.now(), []);
}

async function events(number: string) {
  const ticket = (await chat.store.ticketByNumber(number))!;
  return (await chat.store.ticketEvents(ticket.id)).filter((e) => e.actorKind === "owner" && e.type !== "created" && e.type !== "confirmed");
}

describe("after a staff reply, in Chinese", () => {
  beforeEach(async () => {
    await chat.script(COMPLAINT);
    await act("HG-0001", { type: "claim" });
    await act("HG-0001", { type: "reply", text: "明天上午处理" });
  });

  it("a thank-you is added to the ticket and pushed to its follower; the next report is a ticket of its own", async () => {
    let r = await chat.send("好的,谢谢");
    expect(r.text).toBe("不客气!已把您的话转告工单 HG-0001 的负责同事。");
    expect((await events("HG-0001")).map((e) => [e.type, e.data])).toEqual([["info_added", { text: "好的,谢谢" }]]);
    expect(await queuedTo("2001")).toEqual(["📝 业主补充了工单 HG-0001:好的,谢谢"]);

    r = await chat.send(LEAK[0]!);
    expect(r.text).toContain("这是一件新事项,下面为您另行登记,不会加到 HG-0001。");
    expect(r.text).toContain("【报修 · 工程维修】");
    r = await chat.script(LEAK.slice(1));
    expect(r.text).toContain("工单号 HG-0002");
    const leak = (await chat.store.ticketByNumber("HG-0002"))!;
    expect(leak.description).toBe("厨房水管漏水了,地上全是水");
    expect(leak.kind).toBe("repair");
    expect(await chat.store.ticketsOfOwner(leak.ownerId, 10)).toHaveLength(2);
  });

  it("a short answer goes to the one ticket, and a ticket waiting for the owner is worked again", async () => {
    const ticket = (await chat.store.ticketByNumber("HG-0001"))!;
    const staff = { at: chat.clock.now(), type: "transition" as const, actorKind: "staff" as const, actorId: wang.id, channel: "telegram" as const, fromStatus: "in_progress" as const, toStatus: "waiting_owner" as const, data: {} };
    await chat.store.applyTransition(ticket.id, "in_progress", "waiting_owner", staff);
    const r = await chat.send("明天下午在家");
    expect(r.text).toBe("已补充到工单 HG-0001,已转告负责的同事。");
    expect((await chat.store.ticketByNumber("HG-0001"))!.status).toBe("in_progress");
    expect(await queuedTo("2001")).toEqual(["📝 业主补充了工单 HG-0001:明天下午在家"]);
  });

  it("a photo while one ticket is handled, and a photo captioned /add, land on the ticket", async () => {
    await bindStaffGroup();
    let r = await chat.send({ type: "photo", fileRef: "tg:leak" });
    expect(r.text).toBe("照片已添加到工单 HG-0001(共 1 张),已转告负责的同事。");
    r = await chat.send({ type: "photo", fileRef: "tg:more", caption: "/add HG-0001 门口这里" });
    expect(r.text).toContain("照片已添加到工单 HG-0001(共 2 张)");
    expect(r.text).toContain("已补充到工单 HG-0001");
    expect((await chat.store.ticketByNumber("HG-0001"))!.photoCount).toBe(2);
    // Without the slash (Slack), a ticket number makes it an /add; other words are a caption.
    r = await chat.send({ type: "photo", fileRef: "tg:third", caption: "add hg-1" });
    expect(r.text).toBe("照片已添加到工单 HG-0001(共 3 张),已转告负责的同事。");
    r = await chat.send({ type: "photo", fileRef: "tg:fourth", caption: "add some light here please" });
    expect(r.text).not.toContain("没有找到");
    expect((await events("HG-0001")).map((e) => e.type)).toEqual(["photo_added", "photo_added", "info_added", "photo_added", "photo_added", "info_added"]);
    expect(await queuedTo("2001")).toEqual([
      "📷 业主为工单 HG-0001 补充了照片(现共 1 张)。",
      "📷 业主为工单 HG-0001 补充了照片(现共 2 张)。",
      "📝 业主补充了工单 HG-0001:门口这里",
      "📷 业主为工单 HG-0001 补充了照片(现共 3 张)。",
      "📷 业主为工单 HG-0001 补充了照片(现共 4 张)。",
      "📝 业主补充了工单 HG-0001:add some light here please",
    ]);
    // The card shows the count: it is refreshed with each photo.
    const cards = (await chat.outbox.due(FAR, 500)).filter((m) => m.message.kind === "card" && m.message.to.chatId === "-100777");
    expect(cards).toHaveLength(4);
  });

  it("nobody follows the ticket: the staff group is told, under the card", async () => {
    await act("HG-0001", { type: "unclaim" });
    await bindStaffGroup();
    await chat.send("我的电话是 13900001111,随时可以打");
    const group = (await chat.outbox.due(FAR, 500)).map((r) => r.message).filter((m) => m.to.chatId === "-100777" && m.kind === "message");
    expect(group).toHaveLength(1);
    expect(group[0]!.ticketId).toBe((await chat.store.ticketByNumber("HG-0001"))!.id);
    expect(await queuedTo("-100777")).toEqual(["📝 业主补充了工单 HG-0001:我的电话是 139****1111,随时可以打"]);
  });
});

describe("two open tickets", () => {
  beforeEach(async () => {
    await chat.script(COMPLAINT);
    await chat.script(["电梯坏了,困在里面出不来", "1", "1", "2", "3号楼电梯", "跳过", "跳过", "跳过", "1"]);
    expect(await chat.store.ticketByNumber("HG-0002")).not.toBeNull();
  });

  it("the owner is asked which one, and the words go where they point", async () => {
    let r = await chat.send("明天下午在家");
    expect(r.text).toBe("您有几个正在处理的工单,这条消息是关于哪一个的?");
    expect(r.choices).toEqual(["HG-0002 · 报修", "HG-0001 · 投诉", "一件新事项"]);
    r = await chat.send("1");
    expect(r.text).toBe("已补充到工单 HG-0002,已转告负责的同事。");
    expect((await events("HG-0002")).map((e) => e.data)).toEqual([{ text: "明天下午在家" }]);
    expect(await events("HG-0001")).toEqual([]);
  });

  it("more of the same trouble is asked about; a new matter picked starts an intake with the words held", async () => {
    let r = await chat.send("楼道灯也不亮了");
    expect(r.choices).toEqual(["HG-0002 · 报修", "HG-0001 · 投诉", "一件新事项"]);
    r = await chat.send("3");
    expect(r.text).not.toContain("已补充");
    expect(r.text).toContain("【报修 · 工程维修】");
    r = await chat.script(["1", "1", "2", "3号楼楼道", "跳过", "跳过", "跳过"]);
    expect(r.text).toContain("情况:楼道灯也不亮了");
    expect(await events("HG-0001")).toEqual([]);
    expect(await events("HG-0002")).toEqual([]);
  });

  it("a reply to a message about one of them goes to it without asking", async () => {
    const r = await reply("师傅几点来?", { messageId: "77", text: "您的工单 HG-0001 已由 王强 受理,将跟进到底。" });
    expect(r.text).toBe("已补充到工单 HG-0001,已转告负责的同事。");
    expect((await events("HG-0001")).map((e) => e.data)).toEqual([{ text: "师傅几点来?" }]);
  });

  it("a reply naming someone else's ticket is not taken for theirs", async () => {
    const r = await reply("明天下午在家", { messageId: "78", text: "工单 HG-0099 的工作人员回复:好" });
    expect(r.text).toBe("您有几个正在处理的工单,这条消息是关于哪一个的?");
  });

  it("a thank-you is answered, not filed, and no matter is asked about", async () => {
    const r = await chat.send("谢谢");
    expect(r.text).toBe("不客气!如果还有别的问题,直接告诉我就好。");
    expect(await chat.store.ticketsOfOwner((await chat.store.ticketByNumber("HG-0001"))!.ownerId, 10)).toHaveLength(2);
  });
});

describe("in English", () => {
  it("a thank-you after a reply, then a new leak", async () => {
    await chat.script(COMPLAINT_EN);
    await act("HG-0001", { type: "claim" });
    await act("HG-0001", { type: "reply", text: "we will call you" });
    let r = await chat.send("ok thanks");
    expect(r.text).toBe("You're welcome! Your words were passed on to the staff handling ticket HG-0001.");
    r = await chat.send(LEAK_EN[0]!);
    expect(r.text).toContain("This is a new matter, so I am filing it separately, not under HG-0001.");
    r = await chat.script(LEAK_EN.slice(1));
    expect(r.text).toContain("HG-0002");
    expect((await chat.store.ticketByNumber("HG-0002"))!.description).toBe(LEAK_EN[0]);
    expect((await events("HG-0001")).map((e) => e.data)).toEqual([{ text: "ok thanks" }]);
  });

  it("a thank-you with nothing open is answered and files nothing", async () => {
    const r = await chat.send("thank you!", "u2", "en");
    expect(r.text).toBe("You're welcome! If anything else comes up, just tell me.");
    expect((await chat.send("/list", "u2")).text).toContain("no tickets");
  });
});
