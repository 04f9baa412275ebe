/**
 * Issue 12's front desk on Telegram: staff record a phone complaint for an owner known in chat, a
 * phone repair for an owner the bot has never met, and a patrol finding, through real grammY over
 * HTTP against the fake Bot API, both desks over one store (SQLite, and PostgreSQL when
 * TEST_DATABASE_URL is set), the real catalogs and the real outbox sender.
 */
import type { User } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrammyBot } from "../../../src/adapters/telegram/grammy.js";
import { frontDeskExtension } from "../../../src/core/frontdesk/extension.js";
import { frontDeskStore } from "../../../src/infra/prisma/frontdesk.js";
import { registryStore } from "../../../src/infra/prisma/registry.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import { dataOf, type FakeBotApi } from "../../fakes/telegram-bot-api.js";
import { sequentialIds } from "../../support/chat.js";
import { backends } from "../../support/db.js";
import { openTelegramDesks, type TelegramDesks } from "../../support/telegram-desks.js";

const GROUP = { id: -1001234567890, title: "虹港家园客服群" };
const LI: User = { id: 2002, is_bot: false, first_name: "小李", language_code: "zh-hans" };
const OWNER: User = { id: 1001, is_bot: false, first_name: "张", last_name: "三", language_code: "zh-hans" };
const COMPLAINT = ["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过", "1"];

let desks: TelegramDesks;
let api: FakeBotApi;
let store: Stores;
let turn: TelegramDesks["turn"];
let deliver: TelegramDesks["deliver"];
let invite: TelegramDesks["invite"];
let botMessage: TelegramDesks["botMessage"];

afterEach(() => desks.close());

const say = (text: string, from: User) => desks.say(text, from);

/** Presses the button labelled `label` on the bot's latest message to `chatId` containing `text`. */
function press(chatId: number, text: string, label: string, from: User) {
  return turn(() => {
    const m = botMessage(chatId, text);
    return api.pressButton({ message: m, data: dataOf(m, label), from });
  });
}

/** The staff group bound, 小李 the property's front desk (前台) and a supervisor, so she may also call back. */
async function setUpStaff(): Promise<void> {
  const bind = await invite({ kind: "bind", purpose: "staff", department: null });
  await turn(() => api.userMessage({ chat: GROUP, text: `/bind@${api.botInfo.username} ${bind}`, from: LI }));
  await say(`/join ${await invite({ kind: "join", role: "front_desk", zoneId: null })}`, LI);
  await say(`/join ${await invite({ kind: "join", role: "supervisor", zoneId: null })}`, LI);
}

describe.each(backends())("the front desk on Telegram (grammY) over $name", (backend) => {
  beforeEach(async () => {
    desks = await openTelegramDesks({
      create: createGrammyBot,
      opened: await backend.open(),
      extensions: (opened) => [frontDeskExtension({ store: { ...opened.store, ...opened.use(registryStore), ...opened.use(frontDeskStore) }, ids: sequentialIds("fd"), staffLocale: "zh-CN" })],
    });
    ({ api, store, turn, deliver, invite, botMessage } = desks);
    await setUpStaff();
  });

  it("the staff help has a front-desk button that starts a record with the four sources", async () => {
    const help = await say("/staff", LI);
    expect(help.buttons).toEqual(["前台登记"]);
    const started = await press(LI.id, "工作人员命令", "前台登记", LI);
    expect(started.buttons).toEqual(["来电", "来访", "书面", "巡检发现"]);
  });

  it("a phone complaint for an owner known in chat: looked up by room, confirmed, and the owner told in chat", async () => {
    for (const line of COMPLAINT) await say(line, OWNER);
    await deliver();
    let r = await say("/record 来电 3-1201 楼上保洁员说话很难听,态度恶劣", LI);
    expect(r.text).toBe("是这位业主吗?王先生 13900001111,房号 3-1201(业主在聊天中可联系:登记后会在聊天中告知)");
    r = await press(LI.id, "是这位业主吗", "是,就是这位", LI);
    expect(r.text).toContain("请核对登记内容(来电):");
    expect(r.text).toContain("联系人:王先生 13900001111");
    expect(r.text).toContain("业主确认方式:电话中复述确认");
    expect(r.buttons[0]).toBe("已向业主复述确认,提交");
    r = await press(LI.id, "请核对登记内容", "已向业主复述确认,提交", LI);
    expect(r.text).toMatch(/^已登记,工单号 HG-0002,首次回复期限 /);
    expect(r.text).toContain("业主已在聊天中收到 HG-0002 的登记通知");
    await deliver();
    const told = botMessage(OWNER.id, "HG-0002");
    expect(told.text).toMatch(/^您通过来电反映的问题已登记,工单号 HG-0002。/);
    expect(botMessage(GROUP.id, " HG-0002 · ").text).toContain("楼上保洁员说话很难听");

    const ticket = (await store.ticketByNumber("HG-0002"))!;
    const first = (await store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ source: "phone", kind: "complaint", ownerId: first.ownerId, roomLabel: "3-1201", contactPhone: "13900001111" });
    expect(first.source).toBe("chat");
    const events = await store.ticketEvents(ticket.id);
    expect(events.map((e) => [e.type, e.actorKind])).toEqual([["created", "staff"], ["confirmed", "staff"]]);
    expect(events[1]!.data).toMatchObject({ source: "phone", ownerConfirmation: "read_back_by_phone" });

    // Every later step reaches the owner in chat like any owner.
    await turn(() => api.userMessage({ chat: GROUP, text: "/claim HG-0002", from: LI }));
    const replied = await turn(() => api.userMessage({ chat: GROUP, text: "/reply HG-0002 已批评教育该保洁员", from: LI }));
    expect(replied.text).not.toContain("电话告知");
    await deliver();
    expect(botMessage(OWNER.id, "已批评教育该保洁员").text).toContain("HG-0002");
  });

  it("a phone repair for an owner the bot does not know: owner by phone, the callback recorded, nothing sent to a chat", async () => {
    let r = await say("/record 来电 5-0803 13700002222 厨房水管漏水,地上全是水", LI);
    expect(r.text).toContain("请核对登记内容(来电):");
    expect(r.text).toContain("业主不在聊天中:由工作人员电话联系(电话业主)");
    r = await say("/record name 刘女士", LI);
    expect(r.text).toContain("联系人:刘女士 13700002222");
    r = await press(LI.id, "联系人:刘女士", "已向业主复述确认,提交", LI);
    expect(r.text).toContain("HG-0001 为电话业主");
    const ticket = (await store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ source: "phone", kind: "repair", contactName: "刘女士" });
    const owner = (await store.personById(ticket.ownerId))!;
    expect(owner.platform).toBe("system");

    await turn(() => api.userMessage({ chat: GROUP, text: "/claim HG-0001", from: LI }));
    await turn(() => api.userMessage({ chat: GROUP, text: "/resolve HG-0001 已更换水管", from: LI }));
    r = await turn(() => api.userMessage({ chat: GROUP, text: "/callback HG-0001 满意 电话回访,业主满意", from: LI }));
    expect(r.text).toContain("HG-0001 的业主为电话业主:已记为电话告知。");
    await deliver();
    const after = (await store.ticketByNumber("HG-0001"))!;
    expect(after).toMatchObject({ status: "closed", rating: "satisfied" });
    expect((await store.ticketEvents(after.id)).some((e) => e.type === "callback")).toBe(true);
    // No owner chat exists: everything the bot sent went to staff chats only.
    const chats = new Set(api.calls.filter((c) => c.method === "sendMessage" && !c.error).map((c) => Number(c.params.chat_id)));
    expect([...chats].sort()).toEqual([GROUP.id, LI.id].sort());
  });

  it("a patrol finding needs no owner", async () => {
    let r = await say("/record 巡检 地下车库B2的消防通道被杂物堵了", LI);
    expect(r.text).toContain("请核对登记内容(巡检发现):");
    expect(r.text).toContain("巡检发现,无业主");
    expect(r.text).not.toContain("联系人");
    r = await press(LI.id, "巡检发现,无业主", "确认提交", LI);
    expect(r.text).toContain("HG-0001 为巡检发现,无需告知业主。");
    const ticket = (await store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ source: "patrol", roomLabel: null, location: "common" });
    await deliver();
    expect(botMessage(GROUP.id, " HG-0001 · ").text).toContain("消防通道");
  });

  it("a letter of complaint is weighed written and presented to the director at once", async () => {
    const DIRECTORS = { id: -1009876543210, title: "虹港家园主任群" };
    const bind = await invite({ kind: "bind", purpose: "director", department: null });
    await turn(() => api.userMessage({ chat: DIRECTORS, text: `/bind@${api.botInfo.username} ${bind}`, from: LI }));
    let r = await say("/record 书面 5-0803 13700002222 对物业管理处工作人员的服务态度很不满意,要求书面答复", LI);
    expect(r.text).toContain("请核对登记内容(书面):");
    expect(r.text).toContain("业主确认方式:来信存档");
    r = await press(LI.id, "请核对登记内容", "来信已存档,提交", LI);
    expect(r.text).toContain("已登记,工单号 HG-0001");
    expect((await store.ticketByNumber("HG-0001"))!).toMatchObject({ source: "letter", kind: "complaint", weight: "written" });
    await deliver();
    expect(botMessage(DIRECTORS.id, "书面投诉").text).toBe("📜 书面投诉 HG-0001(房号 5-0803)已登记,呈主任阅示:对物业管理处工作人员的服务态度很不满意,要求书面答复");
  });

  it("the scribe corrects the classifier's kind and cancels a record", async () => {
    let r = await say("/record 来访 3-1201 13900001111 想问一下物业费怎么交", LI);
    expect(r.text).toContain("请核对登记内容(来访):");
    r = await press(LI.id, "请核对登记内容", "投诉", LI);
    expect(r.text).toContain("类型:投诉");
    r = await press(LI.id, "请核对登记内容", "取消", LI);
    expect(r.text).toBe("已取消这次登记。");
    expect(await store.ticketByNumber("HG-0001")).toBeNull();
  });
});
