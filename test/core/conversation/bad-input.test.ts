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

/** Up to the room question of a complaint, with the description given. */
async function atRoomQuestion(): Promise<void> {
  await chat.script(["保安态度太差了,我要投诉", "1"]);
}

describe("bad input gets a clear answer and loses nothing", () => {
  it("empty and whitespace-only messages", async () => {
    let r = await chat.send("   ");
    expect(r.text).toContain("没有收到内容");
    await atRoomQuestion();
    r = await chat.send("\n\t ");
    expect(r.text).toContain("没有收到内容");
    expect(r.text).toContain("请问您的房号"); // and the question again
  });

  it("a 5,000-character rant is heard in full", async () => {
    const rant = "我要投诉!电梯第三次坏了," + "每天爬十几层楼,老人孩子都受不了。".repeat(294); // 5,010 characters
    expect([...rant].length).toBeGreaterThanOrEqual(5000);
    const r = await chat.send(rant);
    expect(r.text).toContain("【投诉");
    expect(r.text).toContain("重复投诉");
    await chat.script(["1", "3-1201", "王先生", "13900001111", "公共区域", "3栋电梯", "一周前", "1"]);
    const ticket = await chat.store.ticketByNumber("HG-0001");
    expect(ticket!.description).toBe(rant);
  });

  it("a message over the limit is refused with the limit named, and the step is kept", async () => {
    await atRoomQuestion();
    const r = await chat.send("啊".repeat(7000));
    expect(r.text).toContain("太长");
    expect(r.text).toContain("6000");
    expect(r.text).toContain("请问您的房号");
  });

  it("emoji-only", async () => {
    let r = await chat.send("😡😡😡");
    expect(r.text).toContain("没看到文字");
    await atRoomQuestion();
    r = await chat.send("🏠");
    expect(r.text).toContain("房号格式好像不对");
  });

  it("voice, sticker and file where text is needed", async () => {
    await atRoomQuestion();
    let r = await chat.send({ type: "unsupported", media: "voice" });
    expect(r.text).toContain("无法识别语音");
    expect(r.text).toContain("请问您的房号");
    r = await chat.send({ type: "unsupported", media: "sticker" });
    expect(r.text).toContain("表情");
    r = await chat.send({ type: "unsupported", media: "file" });
    expect(r.text).toContain("无法读取文件");
    r = await chat.send("3-1201");
    expect(r.text).toContain("怎么称呼");
  });

  it("English typed in a zh-CN chat: offered English once, the message still heard", async () => {
    let r = await chat.send("The water pipe in my kitchen burst and water is everywhere");
    expect(r.text).toContain("reply in English? Send /lang en");
    expect(r.text).toContain("【报修 · 工程维修】");
    // One message: the offer has no buttons of its own, so it rides with the question's.
    expect(r.outcome.replies.filter((x) => x.choices?.length)).toHaveLength(1);
    expect(r.choices).toEqual(["对,继续", "改类型", "改类别", "不算紧急"]);
    r = await chat.send({ type: "choice", value: "lang:en" });
    expect(r.text).toContain("I'll reply in English");
    expect(r.text).toContain("[repair · engineering repair]");
    r = await chat.send("Yes");
    expect(r.text).toContain("What is your room number?");
  });

  it("an invalid room is asked again with an example; after failures staff may take it", async () => {
    await atRoomQuestion();
    let r = await chat.send("不知道");
    expect(r.text).toContain("房号格式好像不对");
    expect(r.text).toContain("例如:3-1201");
    r = await chat.send("/skip");
    expect(r.text).toContain("房号是处理所必需的");
    r = await chat.send("12");
    expect(r.text).toContain("留给工作人员");
    expect(r.choices).toEqual(["留给工作人员确认"]);
    r = await chat.send("1");
    expect(r.text).toContain("怎么称呼");
    r = await chat.script(["王先生", "13900001111", "2", "南门", "跳过"]);
    expect(r.text).toContain("待工作人员确认:房号");
  });

  it("an invalid phone is asked again with an example", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生"]);
    const r = await chat.send("12345");
    expect(r.text).toContain("电话号码格式好像不对");
    expect(r.text).toContain("例如:13812345678");
  });

  it("an unknown command", async () => {
    const r = await chat.send("/frobnicate");
    expect(r.text).toContain("没有 /frobnicate 这个命令");
    expect(r.text).toContain("/list");
  });

  it("a bare slash names no command: answered with the help, not a failed turn", async () => {
    for (const typed of ["/", " / ", "/ 3-1201"]) {
      const r = await chat.send(typed);
      expect(r.text).toContain("这个命令");
      expect(r.text).toContain("/list");
    }
  });

  it("a second complaint while one is in progress: the owner chooses, nothing is lost", async () => {
    await atRoomQuestion();
    let r = await chat.send("/repair 厨房水龙头一直滴水");
    expect(r.text).toContain("投诉正在登记中");
    expect(r.choices).toEqual(["先完成当前这件", "先登记新的"]);
    r = await chat.send("1");
    expect(r.text).toContain("新情况我已记下");
    expect(r.text).toContain("请问您的房号");
    r = await chat.script(["3-1201", "王先生", "13900001111", "2", "南门", "跳过", "1"]);
    expect(r.text).toContain("HG-0001");
    expect(r.text).toContain("厨房水龙头一直滴水");
    r = await chat.send("是");
    expect(r.text).toContain("【报修");
  });

  it("switching to the new matter keeps the unfinished one for later", async () => {
    await atRoomQuestion();
    let r = await chat.send("/new 车位被别人占了");
    r = await chat.send("2");
    expect(r.text).toContain("停车场");
    r = await chat.script(["1", "3-1201", "王先生", "13900001111", "2", "地下车库B2", "今天早上", "1"]);
    expect(r.text).toContain("HG-0001");
    expect(r.text).toContain("保安态度太差了");
  });

  it("a photo before any words starts a report and keeps the photo", async () => {
    let r = await chat.send({ type: "photo", fileRef: "tg:p1" });
    expect(r.text).toContain("已收到照片");
    expect(r.text).toContain("发生了什么");
    r = await chat.send("阳台的玻璃裂了,需要换一块");
    r = await chat.script(["1", "3-1201", "王先生", "13900001111", "1", "今天", "1", "随时"]);
    expect(r.text).toContain("照片:1 张");
  });

  it("a name that is a phone number, and a name that is too long", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201"]);
    let r = await chat.send("13800001111");
    expect(r.text).toContain("请告诉我您的称呼");
    r = await chat.send("这是一个非常非常非常非常非常非常长的名字啊啊啊啊");
    expect(r.text).toContain("称呼太长");
  });
});

describe("typed words for buttons, and an interrupt without words", () => {
  it("accepts 修改 and 提交 typed at the read-back instead of adding them to the description", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "公共区域", "南门岗亭", "跳过"]);
    let r = await chat.send("修改");
    expect(r.text).toContain("请选择要修改的内容");
    expect(r.choices.at(-1)).toBe("返回");
    r = await chat.send(String(r.choices.length));
    expect(r.text).toContain("请核对登记内容");
    r = await chat.send("提交");
    expect(r.text).toContain("工单号 HG-0001");
    expect((await chat.store.ticketByNumber("HG-0001"))!.description).toBe("保安态度太差了,我要投诉");
  });

  it("/new without words starts a fresh report and keeps the unfinished one for later", async () => {
    await chat.script(["保安态度太差了,我要投诉", "1"]);
    let r = await chat.send("/repair");
    r = await chat.send("2");
    expect(r.text).toContain("好的,报修");
    r = await chat.script(["厨房水龙头一直滴水,关不紧", "1", "3-1201", "王先生", "13900001111", "家里", "昨天", "跳过", "随时", "提交"]);
    expect(r.text).toContain("HG-0001");
    expect(r.text).toContain("保安态度太差了");
  });
});

describe("greetings and stories told in pieces", () => {
  it("a bare greeting gets the greeting and the menu, not a report", async () => {
    const r = await chat.send("你好!");
    expect(r.text).toContain("您好,这里是物业服务中心");
    expect(r.choices).toContain("报修");
    expect(await chat.store.loadConversation("console:u1")).toMatchObject({ state: { step: "idle" } });
  });

  it("words the classifier cannot place, then the real story at the kind question, are heard", async () => {
    let r = await chat.send("我想说个事情");
    expect(r.text).toContain("请选择这件事的类型");
    r = await chat.send("楼上漏水,我家天花板都泡了");
    expect(r.text).toContain("【报修 · 工程维修】");
    expect(r.text).toContain("漏水/水浸");
  });
});

describe("buttons pressed twice or from an old message", () => {
  it("are recognised as out of date and change nothing", async () => {
    const first = await chat.send("保安态度太差了,我要投诉");
    const yes = first.outcome.replies.at(-1)!.choices![0]!.value; // "对,继续", stamped with its question
    expect(yes).toMatch(/^\d+~yes$/);
    let r = await chat.send({ type: "choice", value: yes });
    expect(r.text).toContain("请问您的房号");
    r = await chat.send({ type: "choice", value: yes }); // the double tap
    expect(r.text).toContain("这个按钮已经过期了");
    expect(r.text).toContain("请问您的房号");
    await chat.script(["3-1201", "王先生", "13900001111"]);
    const location = (await chat.store.loadConversation("console:u1"))!;
    r = await chat.send({ type: "choice", value: yes }); // scrolled back to the first message
    expect(r.text).toContain("这个按钮已经过期了");
    expect((await chat.store.loadConversation("console:u1"))!.state).toMatchObject({ step: (location.state as { step: string }).step });
    // Typed numbers still pick the current question's options.
    r = await chat.send("1");
    expect(r.text).toContain("什么时候开始");
  });
});

const typed = (text: string, id: string) => chat.send({ type: "text", text, messageId: id });
const edited = (text: string, id: string) => chat.send({ type: "edit", text, messageId: id });

/** Up to the room question, each message with a platform id as Telegram and Slack give. */
async function atRoomQuestionWithIds(): Promise<void> {
  await typed("保安态度太差了,我要投诉", "m1");
  await typed("1", "m2");
}

/**
 * An owner edits a message they sent (issue 10, item 6): read as the answer while the question it
 * answered is still open, otherwise the owner is told edits are not read. Never silence.
 */
describe("an edited message", () => {
  it("is the answer when it fixes the last message and its question is still open", async () => {
    await atRoomQuestionWithIds();
    let r = await typed("3-12O1", "m3"); // a letter O for a zero: asked again
    expect(r.text).toContain("房号格式好像不对");
    r = await edited("3-1201", "m3");
    expect(r.text).toContain("已按您修改后的内容处理");
    expect(r.text).toContain("请问怎么称呼您");
    const review = await chat.script(["王先生", "13900001111", "公共区域", "3栋大堂", "昨天"]);
    expect(review.text).toContain("3-1201");
  });

  it("is not read once the bot moved on: the owner is told and the current question asked again", async () => {
    await atRoomQuestionWithIds();
    await typed("3-1201", "m3");
    const r = await edited("3-1202", "m3");
    expect(r.text).toContain("修改后我看不到改了什么");
    expect(r.text).toContain("请问怎么称呼您");
    // The room stands as first given; the conversation goes on.
    const next = await typed("王先生", "m4");
    expect(next.text).toContain("电话");
  });

  it("is not read when it is not the last message, nor outside a conversation", async () => {
    let r = await edited("电梯坏了", "m0");
    expect(r.text).toContain("修改后我看不到改了什么");
    expect(r.outcome.replies).toHaveLength(1);
    await atRoomQuestionWithIds();
    await typed("3-12O1", "m3");
    await chat.send({ type: "unsupported", media: "sticker" });
    r = await edited("3-1201", "m3");
    expect(r.text).toContain("修改后我看不到改了什么");
    expect(r.text).toContain("请问您的房号");
  });

  it("answers in the owner's language", async () => {
    const r = await chat.send({ type: "edit", text: "x", messageId: "m9" }, "u2", "en");
    expect(r.text).toContain("I can't read changes");
  });
});
