import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openChat, type Chat } from "../../support/chat.js";

let chat: Chat;
beforeEach(async () => {
  chat = await openChat();
});
afterEach(async () => {
  expect(chat.errors).toEqual([]);
  await chat.close();
});

describe("a repair request in Chinese, end to end", () => {
  it("hears, asks only what is missing, reads back, files a numbered ticket", async () => {
    let r = await chat.send("楼上漏水,我家天花板都泡了");
    expect(r.text).toContain("【报修 · 工程维修】");
    expect(r.text).toContain("漏水/水浸");
    expect(r.choices).toEqual(["对,继续", "改类型", "改类别", "不算紧急"]);

    r = await chat.send("1");
    expect(r.text).toContain("房号"); // one property: not asked which
    r = await chat.send("A区5栋2单元301");
    expect(r.text).toContain("怎么称呼");
    r = await chat.send("张三");
    expect(r.text).toContain("电话");
    r = await chat.send("138 1234 5678");
    expect(r.choices).toEqual(["家里", "公共区域"]);
    r = await chat.send("1");
    expect(r.text).toContain("什么时候开始"); // the description was full enough: no "tell me more"
    r = await chat.send("昨天晚上");
    expect(r.text).toContain("照片");
    r = await chat.send({ type: "photo", fileRef: "tg:ceiling-1" });
    expect(r.text).toContain("已收到 1 张照片");
    expect(r.choices).toEqual(["完成", "跳过"]);
    r = await chat.send("1");
    expect(r.text).toContain("什么时间方便");
    r = await chat.send("明天上午");
    expect(r.text).toContain("请核对登记内容");
    expect(r.text).toContain("房号:A-5-2-301");
    expect(r.text).toContain("联系人:张三 13812345678");
    expect(r.text).toContain("照片:1 张");
    expect(r.text).toContain("上门时间:明天上午");
    expect(r.choices).toEqual(["确认提交", "修改", "取消登记"]);

    r = await chat.send("1");
    expect(r.text).toContain("工单号 HG-0001");
    expect(r.text).toContain("重大事项");

    const ticket = await chat.store.ticketByNumber("HG-0001");
    expect(ticket).toMatchObject({
      kind: "repair",
      category: "engineering",
      weight: "major",
      status: "new",
      roomLabel: "A-5-2-301",
      contactName: "张三",
      contactPhone: "13812345678",
      location: "home",
      since: "昨天晚上",
      visitTime: "明天上午",
      photoCount: 1,
      channel: "console",
      locale: "zh-CN",
    });
    // A major matter is promised a reply within 30 minutes of filing.
    expect(ticket!.nextReplyDueAt!.getTime() - ticket!.createdAt.getTime()).toBe(30 * 60_000);
    const events = await chat.store.ticketEvents(ticket!.id);
    expect(events.map((e) => e.type)).toEqual(["created", "confirmed"]);
    expect(events[1]!.data).toMatchObject({ room: "A-5-2-301", name: "张三", photos: ["tg:ceiling-1"] });
  });
});

describe("a complaint in English", () => {
  it("is filed with the English flow and texts", async () => {
    const en = (text: string) => chat.send(text, "u-en", "en");
    let r = await en("The security guard at the south gate was very rude to me this morning");
    expect(r.text).toContain("[complaint · staff conduct]");
    r = await en("1");
    expect(r.text).toContain("room number");
    r = await en("Building 5 Unit 2 Room 301");
    r = await en("John Smith");
    r = await en("+44 7911 123456");
    expect(r.choices).toEqual(["At home", "Common area"]);
    r = await en("2");
    expect(r.text).toContain("Where exactly?");
    r = await en("South gate");
    expect(r.text).toContain("Since when");
    r = await en("this morning");
    expect(r.text).toContain("Please check your report");
    expect(r.text).toContain("Where: common area (South gate)");
    r = await en("1");
    expect(r.text).toContain("ticket HG-0001");
    const ticket = await chat.store.ticketByNumber("HG-0001");
    expect(ticket).toMatchObject({ kind: "complaint", category: "conduct", weight: "general", locale: "en", contactPhone: "+447911123456" });
    expect(ticket!.nextReplyDueAt!.getTime() - ticket!.createdAt.getTime()).toBe(4 * 3600_000);
  });
});

async function fileQuickComplaint(c: Chat, user = "u1"): Promise<void> {
  await c.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过", "1"], user);
}

describe("a returning owner", () => {
  it("confirms what is known instead of being asked again", async () => {
    await fileQuickComplaint(chat);
    let r = await chat.send("电梯坏了,按钮没反应,已经两天了");
    r = await chat.send("1");
    expect(r.text).toContain("称呼:王先生");
    expect(r.text).toContain("电话:13900001111");
    expect(r.text).toContain("房号:3-1201");
    r = await chat.send("是");
    expect(r.text).not.toContain("请问您的房号");
    expect(r.choices).toEqual(["家里", "公共区域"]);
    r = await chat.script(["公共区域", "3栋1单元电梯", "两天前", "跳过"]);
    expect(r.text).toContain("房号:3-1201");
    r = await chat.send("1");
    expect(r.text).toContain("HG-0002");
  });

  it("may refuse the known details and give new ones", async () => {
    await fileQuickComplaint(chat);
    await chat.send("我家门口的灯坏了很久了,晚上很黑");
    await chat.send("1");
    const r = await chat.send("2");
    expect(r.text).toContain("请问您的房号");
  });
});

describe("corrections", () => {
  it("corrects the classification before asking anything", async () => {
    let r = await chat.send("物业费怎么交");
    expect(r.text).toContain("【咨询 · 物业费/车位费】");
    r = await chat.send("2");
    expect(r.choices).toContain("投诉");
    r = await chat.send("投诉");
    expect(r.text).toContain("【投诉 · 物业费/车位费】");
    r = await chat.send("4"); // it is urgent after all
    expect(r.text).toContain("⚠️");
    r = await chat.send("1");
    expect(r.text).toContain("房号");
  });

  it("changes one field from the read-back and returns to it", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过"]);
    let r = await chat.send("2");
    expect(r.choices).toContain("房号");
    r = await chat.send(String(r.choices.indexOf("房号") + 1));
    expect(r.text).toContain("请问您的房号");
    r = await chat.send("3-1202");
    expect(r.text).toContain("请核对登记内容");
    expect(r.text).toContain("房号:3-1202");
    r = await chat.send("1");
    expect((await chat.store.ticketByNumber("HG-0001"))!.roomLabel).toBe("3-1202");
  });

  it("keeps listening: more words before confirming refine the record", async () => {
    await chat.send("厨房水龙头坏了");
    const r = await chat.send("现在水一直往外冒,地上全是水");
    expect(r.text).toContain("已补充");
    expect(r.text).toContain("漏水/水浸");
  });
});

describe("cancel", () => {
  it("asks before dropping an unfinished report, and files nothing", async () => {
    await chat.script(["楼道里很脏,好几天没人打扫", "1", "3-1201"]);
    let r = await chat.send("取消");
    expect(r.choices).toEqual(["确定取消", "继续登记"]);
    r = await chat.send("2");
    expect(r.text).toContain("怎么称呼"); // back to the same question
    await chat.send("/cancel");
    r = await chat.send("1");
    expect(r.text).toContain("已取消本次登记");
    expect(await chat.store.ticketsOfOwner((await ownerId(chat))!, 10)).toEqual([]);
  });
});

describe("restart mid-conversation", () => {
  it("resumes at the same question with what was already said", async () => {
    await chat.script(["楼道里很脏,好几天没人打扫", "1", "3-1201"]);
    chat.restart();
    let r = await chat.send("/start");
    expect(r.text).toContain("接着上次的登记继续");
    expect(r.text).toContain("怎么称呼");
    r = await chat.script(["李女士", "13700001111", "公共区域", "5栋楼道", "三天前"]);
    expect(r.text).toContain("房号:3-1201");
    expect(r.text).toContain("楼道里很脏");
  });

  it("files once even when the confirmation is delivered twice across a restart", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过"]);
    const state = await chat.store.loadConversation("console:u1");
    await chat.send("1");
    // Simulate a crash after filing but before the state was saved: put the old state back.
    const now = await chat.store.loadConversation("console:u1");
    await chat.store.saveConversation("console:u1", (await ownerId(chat))!, state!.state, now!.revision, chat.clock.now());
    chat.restart();
    const r = await chat.send("1");
    expect(r.text).toContain("HG-0001");
    expect(await chat.store.ticketsOfOwner((await ownerId(chat))!, 10)).toHaveLength(1);
  });
});

async function ownerId(c: Chat, user = "u1"): Promise<string | undefined> {
  return (await c.store.person({ platform: "console", platformUserId: user, locale: "zh-CN" })).id;
}
