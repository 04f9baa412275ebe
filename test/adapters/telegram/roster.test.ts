/**
 * The owner roster in the owner's conversation on Telegram (issue 13 item 1), through real grammY
 * over HTTP against the fake Bot API: the registered owner of the room typed is offered masked
 * with two buttons, and a phone the roster knows offers its room, linked once pressed. Also a
 * lead's /staff (issue 13 item 4): the staff list, with the front desk's button kept under it.
 */
import type { User } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrammyBot } from "../../../src/adapters/telegram/grammy.js";
import type { RosterRoom } from "../../../src/core/registry/store.js";
import { registryStore } from "../../../src/infra/prisma/registry.js";
import { frontDeskExtension } from "../../../src/core/frontdesk/extension.js";
import { staffListExtension } from "../../../src/core/registry/staff-list.js";
import { frontDeskStore } from "../../../src/infra/prisma/frontdesk.js";
import { sequentialIds } from "../../support/chat.js";
import { dataOf } from "../../fakes/telegram-bot-api.js";
import { freshSqliteStore } from "../../support/db.js";
import { openTelegramDesks, type TelegramDesks } from "../../support/telegram-desks.js";

const OWNER: User = { id: 1001, is_bot: false, first_name: "张", language_code: "zh-hans" };
const INQUIRY = "请问物业费每个月怎么交,在哪里交";

let desks: TelegramDesks;

beforeEach(async () => {
  const opened = await freshSqliteStore();
  desks = await openTelegramDesks({
    create: createGrammyBot,
    opened,
    extensions: (o) => {
      const store = { ...o.store, ...o.use(registryStore) };
      return [staffListExtension({ store }), frontDeskExtension({ store: { ...store, ...o.use(frontDeskStore) }, ids: sequentialIds("fd"), staffLocale: "zh-CN" })];
    },
  });
  const property = (await desks.store.properties())[0]!;
  const zoneId = property.zones.find((z) => z.code === "A")!.id;
  const room = (label: string, ownerName: string, ownerPhone: string): RosterRoom => ({ label, zoneId, ownerName, ownerPhone, vip: false, vipNote: null, notes: null });
  const added = [room("A-3-1201", "王先生", "13900001111"), room("A-5-0301", "李女士", "13900002222")];
  const audit = { propertyId: property.id, at: desks.clock.now(), actor: "cli", action: "rooms_imported", subject: "test", data: {} } as const;
  await opened.use(registryStore).applyRoster(property.id, { added, changed: [] }, audit);
});
afterEach(() => desks.close());

const press = (text: string, label: string) =>
  desks.turn(() => desks.api.pressButton({ message: desks.botMessage(OWNER.id, text), data: dataOf(desks.botMessage(OWNER.id, text), label), from: OWNER }));

describe("the roster on Telegram with grammY", () => {
  it("offers the registered owner of the room masked; 是我 files with the roster's name and phone", async () => {
    await desks.say(INQUIRY, OWNER);
    await desks.say("1", OWNER);
    const offer = await desks.say("3-1201", OWNER);
    expect(offer).toEqual({ text: "登记的业主是 王**,电话 139****1111,是您吗?", buttons: ["是我", "不是"] });

    const review = await press("登记的业主是", "是我");
    expect(review.text).toContain("房号:A-3-1201");
    expect(review.text).toContain("联系人:王** 139****1111");
    expect(review.text).not.toContain("王先生");

    const filed = await press("请核对登记内容", "确认提交");
    expect(filed.text).toContain("工单号 HG-0001");
    expect(await desks.store.ticketByNumber("HG-0001")).toMatchObject({ roomLabel: "A-3-1201", contactName: "王先生", contactPhone: "13900001111" });
  });

  it("不是 asks as before; a phone the roster knows asks for its other room without naming it, and the room given is linked", async () => {
    await desks.say(INQUIRY, OWNER);
    await desks.say("1", OWNER);
    await desks.say("3-1201", OWNER);
    expect((await press("登记的业主是", "不是")).text).toBe("请问怎么称呼您?");
    await desks.say("李女士", OWNER);
    const offer = await desks.say("13900002222", OWNER);
    expect(offer).toEqual({ text: "您的电话在业主档案里还登记了别的房屋。要把它记为您的房屋(下次报事不用再填房号),请发该房号;不需要请点「不用了」。", buttons: ["不用了"] });

    const linked = await desks.say("A-5-0301", OWNER);
    expect(linked.text).toContain("已把 A-5-0301 记为您的房屋");
    const owner = await desks.store.person({ platform: "telegram", platformUserId: String(OWNER.id), locale: "zh-CN" });
    expect((await desks.store.ownerRooms(owner.id)).map((r) => r.roomLabel)).toEqual(["A-5-0301"]);
  });
});

describe("/staff on Telegram with grammY", () => {
  const LEAD: User = { id: 2001, is_bot: false, first_name: "王强", username: "wangqiang", language_code: "zh-hans" };
  const CLERK: User = { id: 2002, is_bot: false, first_name: "小李", username: "xiaoli", language_code: "zh-hans" };

  it("a lead gets the staff list with the 前台登记 button; a front-desk clerk the commands, as before", async () => {
    await desks.say(`/join ${await desks.invite({ kind: "join", role: "supervisor", zoneId: null })}`, LEAD);
    await desks.say(`/join ${await desks.invite({ kind: "join", role: "front_desk", zoneId: null })}`, CLERK);
    const listed = await desks.say("/staff", LEAD);
    expect(listed.text).toBe("【虹港家园】员工 2 人:\n• 小李 @xiaoli:客服前台助理\n• 王强 @wangqiang:客服主管\n绑定的群 0 个:");
    expect(listed.buttons).toEqual(["前台登记"]);
    const help = await desks.say("/staff", CLERK);
    expect(help.text).toContain("工作人员命令");
    expect(help.buttons).toEqual(["前台登记"]);
  });
});
