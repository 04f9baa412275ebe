import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseState } from "../../../src/core/conversation/state.js";
import { openChat, type Chat } from "../../support/chat.js";

let chat: Chat;
beforeEach(async () => {
  chat = await openChat({ channel: "telegram" });
});
afterEach(async () => {
  expect(chat.errors).toEqual([]);
  await chat.close();
});

describe("an owner raising a matter in an owners' group", () => {
  it("is moved to a private chat, the words kept; the group sees only a masked confirmation", async () => {
    const handed = await chat.desk.handoffFromGroup({
      channel: "telegram",
      sender: { platformUserId: "u1", displayName: "王大明" },
      privateConversationKey: "telegram:u1",
      groupChatId: "-100555",
      text: "5栋电梯又坏了,困了一个老人",
    });
    expect(chat.renderer.text(handed.replies[0]!.text[0]!, "zh-CN")).toContain("在私聊中继续");

    let r = await chat.send("/start");
    expect(r.text).toContain("您之前还提到:“5栋电梯又坏了,困了一个老人”");
    r = await chat.send("是");
    expect(r.text).toContain("【报修 · 工程维修】");
    await chat.script(["1", "5-1201", "王大明", "13900001111", "公共区域", "5栋电梯", "跳过", "跳过", "1"]);
    const ticket = (await chat.store.ticketByNumber("HG-0001"))!;
    const queued = (await chat.outbox.due(chat.clock.now(), 20)).map((m) => m.message);
    const toGroup = queued.filter((m) => m.to.chatId === "-100555");
    expect(toGroup).toHaveLength(1);
    const text = toGroup[0]!.kind === "message" ? chat.renderer.text(toGroup[0]!.body.text[0]!, "zh-CN") : "";
    expect(text).toBe(`王** 反映的事项已登记为工单 ${ticket.number},我们会私下跟进。`);
    expect(text).not.toContain("13900001111");
  });
});

describe("stored conversations from the previous release", () => {
  it("a v1 state with pending strings is upgraded, not dropped", () => {
    const v1 = { v: 1, step: "idle", failures: 0, pending: ["车位被占了"], englishOffered: false, lastChoices: [] };
    const parsed = parseState(v1);
    expect(parsed).toEqual({ ok: true, state: { ...v1, v: 2, pending: [{ text: "车位被占了" }], askSeq: 0 } });
    expect(parseState({ v: 99, step: "idle" })).toEqual({ ok: false, code: "state_unreadable" });
  });
});

describe("maskName", () => {
  it("keeps the surname and hides the rest", async () => {
    const { maskName } = await import("../../../src/core/people/name.js");
    expect(maskName("王先生")).toBe("王**");
    expect(maskName("欧阳娜娜")).toBe("欧***");
    expect(maskName("李")).toBe("李**");
    expect(maskName("John Smith")).toBe("J*** S****");
    expect(maskName("  ")).toBe("**");
  });
});
