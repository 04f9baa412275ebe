/**
 * An owners' group (业主群) on Telegram, through real grammY against the fake Bot API: the bot
 * answers only when addressed, moves the matter to a private chat with a deep link, and the group
 * later sees only a masked confirmation.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrammyBot, type GrammyBot } from "../../../src/adapters/telegram/grammy.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import type { OutboxStore } from "../../../src/core/outbox.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { freshSqliteStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";
import { FakeBotApi } from "../../fakes/telegram-bot-api.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

const GROUP = { id: -100777, type: "supergroup" as const, title: "虹港家园业主群" };
const OWNER = { id: 3001, is_bot: false, first_name: "大明", last_name: "王", language_code: "zh-hans" };

let api: FakeBotApi;
let apiRoot: string;
let bot: GrammyBot;
let store: Stores;
let outbox: OutboxStore;
let closeStore: () => Promise<void>;

beforeEach(async () => {
  api = new FakeBotApi();
  apiRoot = await api.start();
  ({ store, outbox, close: closeStore } = await freshSqliteStore());
  await store.createProperty(DEMO_PROPERTY);
  await startBot(false);
});

/** The bot over the owner desk, and the staff desk when `staff`. */
async function startBot(staff: boolean): Promise<void> {
  const clock = new TestClock();
  const logger = anyLevel((m, e) => { throw new Error(`${m}: ${String(e)}`); });
  bot = createGrammyBot({
    token: api.token,
    apiRoot,
    desk: new OwnerDesk({ store, clock, ids: sequentialIds(), logger }),
    ...(staff ? { staffDesk: new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" }) } : {}),
    store,
    clock,
    renderer: createRenderer(await loadCatalog(), "Asia/Shanghai"),
    transformers: "test",
    logger,
  });
  await bot.start();
}

afterEach(async () => {
  await bot.stop();
  await api.stop();
  await closeStore();
});

/** What the bot sends next to `chatId` after `act`. */
async function next(chatId: number, act: () => void) {
  const since = api.calls.length;
  act();
  return api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id === chatId, { since });
}

describe("an owners' group on Telegram", () => {
  it("answers only when addressed, moves the matter to a private chat, confirms back masked", async () => {
    const since = api.calls.length;
    api.userMessage({ chat: GROUP, from: OWNER, text: "大家好,今天停水吗" }); // chatter: not ours
    const sent = await next(GROUP.id, () => api.userMessage({ chat: GROUP, from: OWNER, text: "@guanjia_test_bot 5栋电梯又坏了,困了一个老人" }));
    expect(api.calls.slice(since).filter((c) => c.method === "sendMessage")).toHaveLength(1);
    expect(String(sent.params.text)).toContain("在私聊中继续");
    expect(JSON.stringify(sent.params.reply_markup)).toContain("https://t.me/guanjia_test_bot?start=report");

    // The owner opens the private chat through the link.
    let r = await next(OWNER.id, () => api.userMessage({ from: OWNER, text: "/start report" }));
    expect(String(r.params.text)).toContain("您之前还提到:“5栋电梯又坏了,困了一个老人”");
    r = await next(OWNER.id, () => api.userMessage({ from: OWNER, text: "是" }));
    expect(String(r.params.text)).toContain("【报修 · 工程维修】");
    for (const answer of ["1", "5-1201", "王大明", "13900001111", "公共区域", "5栋电梯", "跳过", "跳过"]) {
      await next(OWNER.id, () => api.userMessage({ from: OWNER, text: answer }));
    }
    r = await next(OWNER.id, () => api.userMessage({ from: OWNER, text: "1" }));
    expect(String(r.params.text)).toContain("工单号 HG-0001");

    // The group's confirmation waits in the outbox: the ticket number, never the details.
    const toGroup = (await outbox.due(new Date("2100-01-01"), 50)).filter((m) => m.message.to.chatId === String(GROUP.id));
    expect(toGroup).toHaveLength(1);
    expect(JSON.stringify(toGroup[0]!.message)).toContain("王**");
    expect(JSON.stringify(toGroup[0]!.message)).not.toContain("13900001111");
  });

  it("leaves bound staff groups alone: owners do not report there", async () => {
    const staffGroup = { id: -100888, type: "supergroup" as const, title: "客服群" };
    const property = (await store.properties())[0]!;
    await store.bindChat({ platform: "telegram", chatId: String(staffGroup.id), propertyId: property.id, purpose: "staff", department: null }, new Date());
    const since = api.calls.length;
    api.userMessage({ chat: staffGroup, from: OWNER, text: "@guanjia_test_bot 电梯坏了" });
    // Addressed in the owners' group right after: only that one is answered.
    await next(GROUP.id, () => api.userMessage({ chat: GROUP, from: OWNER, text: "@guanjia_test_bot 电梯坏了" }));
    expect(api.calls.slice(since).filter((c) => c.method === "sendMessage").map((c) => c.params.chat_id)).toEqual([GROUP.id]);
  });

  it("tells a stranger who addresses the bot in a bound staff group whose group it is", async () => {
    await bot.stop();
    await startBot(true);
    const staffGroup = { id: -100888, type: "supergroup" as const, title: "客服群" };
    const property = (await store.properties())[0]!;
    await store.bindChat({ platform: "telegram", chatId: String(staffGroup.id), propertyId: property.id, purpose: "staff", department: null }, new Date());
    const sent = await next(staffGroup.id, () => api.userMessage({ chat: staffGroup, from: OWNER, text: "@guanjia_test_bot 电梯坏了" }));
    expect(String(sent.params.text)).toContain("您不是这个小区的工作人员");
    expect(String(sent.params.text)).toContain("/join");
    expect(sent.params.reply_markup).toBeUndefined();
  });
});
