/**
 * The owner roster in the owner's conversation (issue 13 item 1): the registered owner of the
 * room given is offered masked, to confirm instead of typing; "不是" asks as before; a phone the
 * roster registers for another room lets the owner link it for the next filing, by giving the
 * room: the roster never names a phone's rooms (a typed phone proves nothing).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseState } from "../../../src/core/conversation/state.js";
import type { RosterRoom } from "../../../src/core/registry/store.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { registryStore } from "../../../src/infra/prisma/registry.js";
import { openChat, type Chat } from "../../support/chat.js";

let chat: Chat;
let propertyId: string;

const room = (label: string, ownerName: string | null, ownerPhone: string | null, zoneId: string | null): RosterRoom =>
  ({ label, zoneId, ownerName, ownerPhone, vip: false, vipNote: null, notes: null });

beforeEach(async () => {
  chat = await openChat();
  const property = (await chat.store.properties()).find((p) => p.code === DEMO_PROPERTY.code)!;
  propertyId = property.id;
  const zoneA = property.zones.find((z) => z.code === "A")!.id;
  const added = [
    room("A-3-1201", "王先生", "13900001111", zoneA),
    room("A-5-0301", "李女士", "13900002222", zoneA),
    room("A-6-0101", "周先生", "13900003333", zoneA),
    room("A-6-0102", "周先生", "13900003333", zoneA),
    room("B-1-0101", null, null, null),
  ];
  await chat.use(registryStore).applyRoster(propertyId, { added, changed: [] }, { propertyId, at: chat.clock.now(), actor: "cli", action: "rooms_imported", subject: "test", data: {} });
});
afterEach(async () => {
  expect(chat.errors).toEqual([]);
  await chat.close();
});

const ASK_ROOM = "您的电话在业主档案里还登记了别的房屋。要把它记为您的房屋(下次报事不用再填房号),请发该房号;不需要请点「不用了」。";

const linked = async () => (await chat.store.ownerRooms((await chat.store.person({ platform: "console", platformUserId: "u1", locale: "zh-CN" })).id)).map((r) => r.roomLabel);

describe("the roster's owner of the room given", () => {
  it("is offered masked; 是 takes the name and phone, read back masked, filed in full, and links the room", async () => {
    await chat.script(["请问物业费每个月怎么交,在哪里交", "1"]);
    let r = await chat.send("A-3-1201");
    expect(r.text).toBe("登记的业主是 王**,电话 139****1111,是您吗?");
    expect(r.choices).toEqual(["是我", "不是"]);
    expect(r.text).not.toContain("王先生");

    r = await chat.send("是");
    expect(r.text).toContain("请核对登记内容");
    expect(r.text).toContain("联系人:王** 139****1111");
    expect(r.text).not.toContain("13900001111");
    expect(await linked()).toEqual(["A-3-1201"]);

    r = await chat.send("1");
    expect(r.text).toContain("工单号 HG-0001");
    expect(await chat.store.ticketByNumber("HG-0001")).toMatchObject({ roomLabel: "A-3-1201", contactName: "王先生", contactPhone: "13900001111" });

    // The next filing offers them back as the profile: still masked, the roster never read in full.
    r = await chat.script(["/new", "请问停车位怎么办理月卡", "1"]);
    expect(r.text).toContain("称呼:王**");
    expect(r.text).toContain("电话:139****1111");
    expect(r.text).toContain("房号:A-3-1201");
    r = await chat.send("是");
    expect(r.text).toContain("联系人:王** 139****1111");
    expect(r.text).not.toContain("王先生");
  });

  it("不是 asks for the name and phone as before; a room without an owner in the roster is not offered", async () => {
    await chat.script(["请问物业费每个月怎么交,在哪里交", "1", "A-3-1201"]);
    let r = await chat.send("不是");
    expect(r.text).toContain("请问怎么称呼您?");
    r = await chat.send("小王");
    expect(r.text).toContain("电话");
    r = await chat.send("13700009999");
    expect(r.text).toContain("联系人:小王 13700009999");
    r = await chat.script(["3", "1"]); // 取消登记, 确定取消
    expect(await linked()).toEqual([]);

    await chat.script(["请问物业费每个月怎么交,在哪里交", "1"], "u2");
    r = await chat.send("B-1-0101", "u2");
    expect(r.text).toContain("请问怎么称呼您?");
  });
});

describe("a phone the roster knows", () => {
  it("asks for the room without naming it; the room given is linked and the next filing needs no room", async () => {
    await chat.script(["请问物业费每个月怎么交,在哪里交", "1", "A-3-1201", "不是", "李女士"]);
    let r = await chat.send("139 0000 2222");
    expect(r.text).toBe(ASK_ROOM);
    expect(r.choices).toEqual(["不用了"]);
    r = await chat.send("a 5-0301");
    expect(r.text).toContain("已把 A-5-0301 记为您的房屋,下次报事不用再填房号。");
    // This matter stays about the room the owner gave.
    expect(r.text).toContain("房号:A-3-1201");
    expect(await linked()).toEqual(["A-5-0301"]);
    await chat.script(["3", "1"]);

    r = await chat.script(["请问物业费每个月怎么交,在哪里交", "1"]);
    expect(r.text).toContain("房号:A-5-0301");
    r = await chat.send("是");
    expect(r.text).not.toContain("请问您的房号是?");
    expect(r.text).toBe("登记的业主是 李**,电话 139****2222,是您吗?");
    r = await chat.send("是");
    expect(r.text).toContain("请核对登记内容");
    expect(r.text).toContain("房号:A-5-0301");
    expect(r.text).toContain("联系人:李** 139****2222");
  });

  it("fills the room of a matter whose room was left for staff", async () => {
    await chat.script(["请问物业费每个月怎么交,在哪里交", "1", "9-1201", "9-1202"]);
    let r = await chat.send("1"); // 留给工作人员确认
    expect(r.text).toContain("请问怎么称呼您?");
    r = await chat.script(["李女士", "13900002222"]);
    expect(r.text).toBe(ASK_ROOM);
    r = await chat.send("A-5-0301");
    expect(r.text).toContain("房号:A-5-0301");
    expect(r.text).not.toContain("留给工作人员");
    await chat.send("1");
    expect(await chat.store.ticketByNumber("HG-0001")).toMatchObject({ roomLabel: "A-5-0301", zoneId: expect.any(String), contactPhone: "13900002222" });
  });

  it("registered for several rooms: the owner gives one of them, or declines", async () => {
    await chat.script(["请问物业费每个月怎么交,在哪里交", "1", "A-3-1201", "不是", "周先生"]);
    let r = await chat.send("13900003333");
    expect(r.text).toBe(ASK_ROOM);
    r = await chat.send("1"); // 不用了
    expect(r.text).toContain("请核对登记内容");
    expect(await linked()).toEqual([]);

    await chat.script(["3", "1", "请问物业费每个月怎么交,在哪里交", "1", "A-3-1201", "不是", "周先生", "13900003333"]);
    r = await chat.send("A-6-0102");
    expect(r.text).toContain("已把 A-6-0102 记为您的房屋");
    expect(await linked()).toEqual(["A-6-0102"]);
  });

  it("a room the roster does not register for the phone is not linked, and there is no second try", async () => {
    await chat.script(["请问物业费每个月怎么交,在哪里交", "1", "A-3-1201", "不是", "周先生"]);
    let r = await chat.send("13900003333");
    // Neither of the phone's rooms is named anywhere in the conversation.
    expect(r.text).not.toMatch(/A-6-010/);
    r = await chat.send("A-5-0301");
    expect(r.text).toContain("A-5-0301 不是档案里您电话登记的房屋,没有关联。");
    expect(r.text).toContain("请核对登记内容");
    expect(r.text).not.toMatch(/A-6-010/);
    expect(await linked()).toEqual([]);
  });

  it("text that is not a room is asked again; a button of the earlier prompt that named the rooms still links", async () => {
    await chat.script(["请问物业费每个月怎么交,在哪里交", "1", "A-3-1201", "不是", "周先生", "13900003333"]);
    let r = await chat.send("好的");
    expect(r.text).toContain(ASK_ROOM);
    expect(await linked()).toEqual([]);
    r = await chat.send({ type: "choice", value: "rroom:1" });
    expect(r.text).toContain("已把 A-6-0102 记为您的房屋");
    expect(await linked()).toEqual(["A-6-0102"]);
  });

  it("the phone of the room given offers nothing more", async () => {
    await chat.script(["请问物业费每个月怎么交,在哪里交", "1", "A-3-1201", "不是", "王先生"]);
    const r = await chat.send("13900001111");
    expect(r.text).toContain("请核对登记内容");
  });
});

describe("stored conversations", () => {
  it("a v2 state saved before the roster steps still reads, and the new fields are optional", () => {
    const draft = {
      intakeId: "i", startedAt: "2026-12-01T00:00:00.000Z", description: "x", major: false, majorReasons: [], ownerSet: [],
      detailsAsked: false, photos: [], photosDone: false, profileChecked: true, skipped: [], kind: "inquiry", room: "A-3-1201", roomId: "r1",
    };
    const v2 = { v: 2, step: "ask", field: "name", draft, failures: 0, pending: [], englishOffered: false, lastChoices: [], askSeq: 3 };
    expect(parseState(v2)).toEqual({ ok: true, state: v2 });
  });
});
