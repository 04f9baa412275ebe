import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openChat, type Chat } from "../../support/chat.js";

let chat: Chat;
beforeEach(async () => {
  chat = await openChat();
  await chat.script(["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过", "1"]);
});
afterEach(async () => {
  expect(chat.errors).toEqual([]);
  await chat.close();
});

describe("an owner's own tickets", () => {
  it("lists them", async () => {
    const r = await chat.send("/list");
    expect(r.text).toContain("HG-0001 投诉 · 待受理");
    expect(r.choices).toEqual(["HG-0001"]);
  });

  it("shows one with its history, however the number is typed", async () => {
    const r = await chat.send("/status hg1");
    expect(r.text).toContain("工单 HG-0001:投诉 · 言行举止");
    expect(r.text).toContain("状态:待受理");
    expect(r.text).toContain("登记(业主)");
    expect(r.text).toContain("业主确认登记内容");
    expect(r.choices).toEqual(["补充信息"]);
  });

  it("adds information to an open ticket, in one line or two steps", async () => {
    let r = await chat.send("/add HG-0001 他还骂人了");
    expect(r.text).toContain("已补充到工单 HG-0001");
    r = await chat.send({ type: "choice", value: "add:HG-0001" });
    expect(r.text).toContain("要补充到工单 HG-0001");
    r = await chat.send({ type: "photo", fileRef: "tg:evidence" });
    expect(r.text).toContain("照片已添加到工单 HG-0001(共 1 张)");
    const ticket = (await chat.store.ticketByNumber("HG-0001"))!;
    const events = await chat.store.ticketEvents(ticket.id);
    expect(events.map((e) => e.type)).toEqual(["created", "confirmed", "info_added", "photo_added"]);
    expect(events[2]!.data).toEqual({ text: "他还骂人了" });
    expect(ticket.photoCount).toBe(1);
  });

  it("an owner's reply moves a ticket that waits on them back into progress", async () => {
    const ticket = (await chat.store.ticketByNumber("HG-0001"))!;
    const staffEvent = (from: "new" | "claimed" | "in_progress", to: "claimed" | "in_progress" | "waiting_owner") => ({
      at: chat.clock.now(), type: "transition" as const, actorKind: "staff" as const, actorId: null,
      channel: "system" as const, fromStatus: from, toStatus: to, data: {},
    });
    await chat.store.applyTransition(ticket.id, "new", "claimed", staffEvent("new", "claimed"));
    await chat.store.applyTransition(ticket.id, "claimed", "waiting_owner", staffEvent("claimed", "waiting_owner"));
    await chat.send("/add HG-0001 我下午都在家");
    expect((await chat.store.ticketByNumber("HG-0001"))!.status).toBe("in_progress");
  });

  it("never shows another owner's ticket", async () => {
    let r = await chat.send("/status HG-0001", "someone-else");
    expect(r.text).toContain("没有找到您的工单");
    expect(r.text).not.toContain("保安");
    r = await chat.send("/add HG-0001 我也要补充", "someone-else");
    expect(r.text).toContain("没有找到您的工单");
    r = await chat.send("/list", "someone-else");
    expect(r.text).toContain("还没有登记过工单");
  });

  it("a ticket number that does not exist", async () => {
    const r = await chat.send("/status HG-9999");
    expect(r.text).toContain("没有找到您的工单 HG-9999");
  });
});

describe("several properties", () => {
  it("asks which property, once, then remembers it through the owner's room", async () => {
    const c = await openChat({
      properties: [
        { code: "HG", name: "虹港家园", zones: [{ code: "A", name: "A区" }] },
        { code: "JX", name: "金星苑" },
      ],
    });
    try {
      let r = await c.send("垃圾好几天没人收了,楼道里都是味道");
      r = await c.send("1");
      expect(r.choices).toEqual(["虹港家园", "金星苑"]);
      r = await c.script(["2", "3-1201", "王先生", "13900001111", "2", "5栋楼道", "三天前", "1"]);
      expect(r.text).toContain("JX-0001");
      r = await c.script(["小区的路灯不亮了,晚上很黑", "1"]);
      expect(r.text).toContain("房号:3-1201"); // the profile, not the property question
    } finally {
      await c.close();
    }
  });

  it("derives the zone from the room number", async () => {
    await chat.script(["楼道里很脏,好几天没人打扫", "1", "B区12栋0803", "李女士", "13700001111", "2", "12栋楼道", "三天前", "1"], "u2");
    const ticket = (await chat.store.ticketByNumber("HG-0002"))!;
    const zoneB = (await chat.store.properties())[0]!.zones.find((z) => z.code === "B")!;
    expect(ticket.roomLabel).toBe("B-12-0803");
    expect(ticket.zoneId).toBe(zoneB.id);
  });
});
