/**
 * Issue 11 item 3: a second matter typed mid-intake is recognised at every question, not read
 * as a bad room number, a bad phone or a wrong option. The owner chooses which comes first and
 * the other is kept (README "Bad input").
 */
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

const ASKED_WHICH_FIRST = ["先完成当前这件", "先登记新的"];

describe("a second matter typed mid-intake", () => {
  it("at the room question: asked which comes first, then kept and offered after filing", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1"]);
    let r = await chat.send("还有,厨房水龙头一直在滴水,关不紧");
    expect(r.text).not.toContain("房号格式");
    expect(r.text).toContain("投诉正在登记中");
    expect(r.choices).toEqual(ASKED_WHICH_FIRST);
    r = await chat.send("1");
    expect(r.text).toContain("新情况我已记下");
    expect(r.text).toContain("请问您的房号");
    r = await chat.script(["3-1201", "王先生", "13900001111", "2", "南门", "跳过", "1"]);
    expect(r.text).toContain("HG-0001");
    expect(r.text).toContain("厨房水龙头一直在滴水");
    const first = await chat.store.ticketByNumber("HG-0001");
    expect(first!.description).not.toContain("水龙头");
  });

  it("at the phone question, without a marker word: a new problem is not a bad phone number", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生"]);
    const r = await chat.send("楼上漏水,我家天花板都泡了");
    expect(r.text).not.toContain("电话号码格式");
    expect(r.choices).toEqual(ASKED_WHICH_FIRST);
  });

  it("at a yes/no question (a returning owner's details): not a wrong option", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门", "跳过", "1"]);
    await chat.script(["电梯又坏了,困在里面十分钟", "1"]);
    let r = await chat.send("另外,楼道的灯也坏了一个星期了");
    expect(r.text).not.toContain("请选择");
    expect(r.choices).toEqual(ASKED_WHICH_FIRST);
    r = await chat.send("2");
    expect(r.text).toContain("我理解这是");
    // Straight to the read-back: the new matter is heard without the announcing words.
    r = await chat.script(["1", "1", "2", "3栋楼道", "跳过", "跳过", "跳过"]);
    expect(r.text).toContain("请核对登记内容");
    expect(r.text).toContain("楼道的灯也坏了一个星期了");
    expect(r.text).not.toContain("另外");
    expect(r.text).not.toContain("电梯");
  });

  it("in English at the room question", async () => {
    await chat.send("/lang en");
    await chat.script(["The security guard was very rude to me, I want to complain", "1"]);
    const r = await chat.send("Also, the kitchen tap keeps leaking and I cannot turn it off");
    expect(r.text).not.toContain("room number doesn't look right");
    expect(r.choices).toEqual(["Finish this one first", "Report the new one first"]);
  });

  it("a rant Telegram split at 4,096 characters is one matter: the second part is added to the first", async () => {
    // Telegram clients send a longer text as several messages, the first of exactly 4,096.
    const rant = "我要投诉!电梯第三次坏了,每天爬十几层楼,老人孩子都受不了。" + "另外楼道的灯也坏了,垃圾也没人清理,停车场更是乱停乱放。".repeat(170);
    const [first, second] = [rant.slice(0, 4096), rant.slice(4096)];
    expect(second.length).toBeGreaterThan(500);
    let r = await chat.send(first);
    expect(r.text).toContain("【投诉");
    r = await chat.send(second);
    expect(r.text).toContain("已补充记录");
    expect(r.choices).not.toEqual(ASKED_WHICH_FIRST);
    await chat.script(["1", "3-1201", "王先生", "13900001111", "公共区域", "3栋电梯", "一周前", "1"]);
    const ticket = await chat.store.ticketByNumber("HG-0001");
    expect(ticket!.description).toBe(`${first}\n${second}`);
  });

  it("announcing words before an answer are not a second matter: 另外一个号码 at the phone question", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生"]);
    let r = await chat.send("另外一个号码 13900001111");
    expect(r.choices).not.toEqual(ASKED_WHICH_FIRST);
    r = await chat.send("还有一件事");
    expect(r.choices).toEqual(ASKED_WHICH_FIRST); // announced, to be told after the choice
  });

  it("a room, a phone or a place is still read as the answer", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1"]);
    let r = await chat.send("3栋1201");
    expect(r.text).toContain("称呼");
    r = await chat.script(["王先生", "13900001111", "2"]);
    r = await chat.send("3栋电梯口");
    expect(r.choices).not.toEqual(ASKED_WHICH_FIRST);
  });
});
