/**
 * The Telegram adapter end to end: real grammY and runner over HTTP against our fake Bot API,
 * a real OwnerDesk over SQLite and the real catalogs. No sleeps: every wait is on a call.
 */
import type { Message, Update, User } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrammyBot, type GrammyBot } from "../../../src/adapters/telegram/grammy.js";
import { telegramMessages } from "../../../src/adapters/telegram/render.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import type { Inbound, Outcome } from "../../../src/core/messages.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { freshSqliteStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";
import { buttonRows, dataOf, DEFAULT_USER, FakeBotApi, type ApiCall } from "../../fakes/telegram-bot-api.js";
import { within } from "../../support/wait.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

interface Got {
  /** Every message the bot sent for one update, joined. */
  readonly text: string;
  readonly messages: readonly Message[];
  /** Button labels of the last message. */
  readonly buttons: readonly string[];
}

let api: FakeBotApi;
let telegram: GrammyBot;
let store: Stores;
let closeStore: () => Promise<void>;
let renderer: Renderer;
/** What reached the desk, in order. */
let inbounds: Inbound[];
let errors: unknown[];
let outcomeWaiters: ((o: Outcome) => void)[];
let errorWaiters: (() => void)[];

/** A fake Bot API, a fresh store with the demo property, and the bot polling the fake. */
async function openHarness(): Promise<void> {
  api = new FakeBotApi();
  const apiRoot = await api.start();
  ({ store, close: closeStore } = await freshSqliteStore());
  await store.createProperty(DEMO_PROPERTY);
  renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
  inbounds = [];
  errors = [];
  outcomeWaiters = [];
  errorWaiters = [];
  const logger = anyLevel((_m, e) => void (errors.push(e), errorWaiters.shift()?.()));
  const clock = new TestClock();
  const desk = new OwnerDesk({ store, clock, ids: sequentialIds(), logger });
  telegram = createGrammyBot({
    token: api.token,
    apiRoot,
    store,
    clock,
    renderer,
    transformers: "test",
    logger,
    desk: {
      async handle(inbound) {
        inbounds.push(inbound);
        const outcome = await desk.handle(inbound);
        outcomeWaiters.shift()?.(outcome);
        return outcome;
      },
    },
  });
  await telegram.start();
}

async function closeHarness(): Promise<void> {
  await telegram.stop();
  await api.stop();
  await closeStore();
  expect(errors).toEqual([]);
}

/** Does `act` and waits until the bot has sent everything the desk answered to it. */
async function turn(act: () => unknown): Promise<Got> {
  const since = api.calls.length;
  const outcome = within(new Promise<Outcome>((resolve) => outcomeWaiters.push(resolve)), "the desk to answer");
  act();
  const expected = telegramMessages(await outcome, renderer).length;
  const sent: ApiCall[] = [];
  while (sent.length < expected) {
    const from = sent.at(-1)?.index ?? since - 1;
    sent.push(await api.waitForCall((c) => c.method === "sendMessage" && !c.error, { since: from + 1 }));
  }
  const messages = sent.map((c) => c.result as Message);
  const last = messages.at(-1);
  return { text: messages.map((m) => m.text).join("\n"), messages, buttons: last ? buttonRows(last).flat() : [] };
}

const say = (text: string, from: User = DEFAULT_USER) => turn(() => api.userMessage({ text, from }));

/** Presses the button with this label on the bot's latest message that has it. */
function press(label: string, chatId = DEFAULT_USER.id): Promise<Got> {
  const message = api.botMessages(chatId).reverse().find((m) => buttonRows(m).flat().includes(label));
  if (!message) throw new Error(`no button "${label}" in chat ${chatId}`);
  return turn(() => api.pressButton({ message, data: dataOf(message, label) }));
}

describe("an owner in a private chat", () => {
  beforeEach(openHarness);
  afterEach(closeHarness);

  it("files a repair request in Chinese with buttons and a photo", async () => {
    let r = await say("楼上漏水,我家天花板都泡了");
    expect(r.text).toContain("【报修 · 工程维修】");
    expect(r.buttons).toEqual(["对,继续", "改类型", "改类别", "不算紧急"]);
    r = await press("对,继续");
    expect(r.text).toContain("房号");
    r = await say("A区5栋2单元301");
    expect(r.text).toContain("怎么称呼");
    r = await say("张三");
    expect(r.text).toContain("电话");
    r = await say("138 1234 5678");
    expect(r.buttons).toEqual(["家里", "公共区域"]);
    r = await press("家里");
    expect(r.text).toContain("什么时候开始");
    r = await say("昨天晚上");
    expect(r.text).toContain("照片");
    r = await turn(() => api.userPhoto({ fileId: "AgACceiling" }));
    expect(r.text).toContain("已收到 1 张照片");
    expect(r.buttons).toEqual(["完成", "跳过"]);
    r = await press("完成");
    expect(r.text).toContain("什么时间方便");
    r = await say("明天上午");
    expect(r.text).toContain("请核对登记内容");
    expect(r.buttons).toEqual(["确认提交", "修改", "取消登记"]);
    r = await press("确认提交");
    expect(r.text).toContain("工单号 HG-0001");

    const ticket = await store.ticketByNumber("HG-0001");
    expect(ticket).toMatchObject({ kind: "repair", channel: "telegram", roomLabel: "A-5-2-301", photoCount: 1, locale: "zh-CN" });
    const events = await store.ticketEvents(ticket!.id);
    expect(events[1]!.data).toMatchObject({ photos: ["tg:AgACceiling_1280"] });
    const owner = await store.person({ platform: "telegram", platformUserId: String(DEFAULT_USER.id), locale: "zh-CN" });
    expect(owner.displayName).toBe("张 三");
    // Plain text only: an owner's "*" or "<" must never be read as markup.
    const sends = api.calls.filter((c) => c.method === "sendMessage");
    expect(sends.every((c) => c.params.parse_mode === undefined)).toBe(true);
  });

  it("gets English texts and buttons when Telegram says the owner reads English", async () => {
    const john: User = { id: 2002, is_bot: false, first_name: "John", last_name: "Smith", language_code: "en" };
    let r = await say("The security guard at the south gate was very rude to me this morning", john);
    expect(r.text).toContain("[complaint · staff conduct]");
    expect(r.buttons).toEqual(["Yes, continue", "Change type", "Change category", "It's urgent"]);
    r = await press("Yes, continue", john.id);
    expect(r.text).toContain("What is your room number?");
  });

  it("is told a voice note or a sticker cannot be read, and asked the same question again", async () => {
    await say("保安态度太差了,我要投诉");
    let r = await press("对,继续");
    expect(r.text).toContain("请问您的房号");
    r = await turn(() => api.userVoice());
    expect(r.text).toContain("无法识别语音");
    expect(r.text).toContain("请问您的房号");
    r = await turn(() => api.userSticker());
    expect(r.text).toContain("表情");
    expect(r.text).toContain("请问您的房号");
    r = await say("3-1201");
    expect(r.text).toContain("怎么称呼");
  });

  it("uses /status addressed to our bot, and in a private chat one pasted with another bot's name too", async () => {
    for (const line of ["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过", "1"]) {
      await say(line);
    }
    let r = await say(`/status@${api.botInfo.username} HG-0001`);
    expect(r.text).toContain("工单 HG-0001:投诉 · 言行举止");
    expect(inbounds.at(-1)!.body).toEqual({ type: "command", command: "status", args: "HG-0001" });

    // Only we read a private chat: left unanswered, the owner would hear nothing (issue 10).
    r = await say("/status@some_other_bot HG-0001");
    expect(r.text).toContain("工单 HG-0001:投诉 · 言行举止");
    r = await say("/list");
    expect(r.text).toContain("HG-0001 投诉");
    expect(inbounds.slice(-3).map((i) => i.body)).toEqual([
      { type: "command", command: "status", args: "HG-0001" },
      { type: "command", command: "status", args: "HG-0001" },
      { type: "command", command: "list", args: "" },
    ]);
  });
});

describe("what the owner desk never sees", () => {
  beforeEach(openHarness);
  afterEach(closeHarness);

  it("group messages get no reply", async () => {
    const group = { id: -1001234567890, title: "虹港家园业主群" };
    api.userMessage({ chat: group, text: "楼上漏水,我家天花板都泡了" });
    api.userMessage({ chat: group, text: `/status@${api.botInfo.username} HG-0001` });
    await say("你好");
    // Stopping waits for every update already fetched, the group's included.
    await telegram.stop();
    expect(inbounds.map((i) => i.conversationKey)).toEqual([`telegram:${DEFAULT_USER.id}:${DEFAULT_USER.id}`]);
    expect(api.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === group.id)).toEqual([]);
  });
});

describe("Telegram's side of things", () => {
  beforeEach(openHarness);
  afterEach(closeHarness);

  it("a 429 on sendMessage is waited out and the reply still arrives", async () => {
    api.failNext("sendMessage", { error_code: 429, retry_after: 1 });
    const started = Date.now();
    const r = await say("楼上漏水,我家天花板都泡了");
    expect(r.text).toContain("【报修 · 工程维修】");
    const sends = api.calls.filter((c) => c.method === "sendMessage");
    expect(sends.map((c) => c.error)).toEqual([429, undefined]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("a double tap: the second press is answered as out of date and changes nothing", async () => {
    await say("楼上漏水,我家天花板都泡了");
    const asked = api.botMessages(DEFAULT_USER.id).at(-1)!;
    const since = api.calls.length;
    api.pressButton({ message: asked, data: dataOf(asked, "对,继续") });
    api.pressButton({ message: asked, data: dataOf(asked, "对,继续") }); // before the bot saw the first
    await api.waitForCall((c) => c.method === "sendMessage", { since });
    const first = api.calls.length;
    await api.waitForCall((c) => c.method === "sendMessage", { since: first });
    const texts = api.calls.slice(since).filter((c) => c.method === "sendMessage").map((c) => String(c.params.text));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain("请问您的房号");
    expect(texts[1]).toContain("这个按钮已经过期了");
    expect(texts[1]).toContain("请问您的房号"); // the question again, in the same message
    const methods = api.calls.slice(since).map((c) => c.method).filter((m) => m !== "getUpdates");
    expect(methods.filter((m) => m === "answerCallbackQuery")).toHaveLength(2); // both spinners stop
    expect(methods).not.toContain("editMessageReplyMarkup");
  });

  it("an error in a handler is logged and the bot keeps serving", async () => {
    api.failNext("sendMessage", { error_code: 400, description: "Bad Request: chat not found" });
    const logged = within(new Promise<void>((resolve) => errorWaiters.push(resolve)), "the error to be logged");
    api.userMessage({ text: "/list" });
    await logged;
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("chat not found");
    errors.length = 0;
    const r = await say("/list");
    expect(r.text).toContain("还没有登记过工单");
  });
});

describe("the fake Bot API itself", () => {
  let fake: FakeBotApi;
  let root: string;
  beforeEach(async () => {
    fake = new FakeBotApi();
    root = await fake.start();
  });
  afterEach(() => fake.stop());

  const call = async (method: string, params: object = {}, token = fake.token) => {
    const res = await fetch(`${root}/bot${token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    return { status: res.status, body: (await res.json()) as { ok: boolean; result?: unknown; error_code?: number; description?: string } };
  };

  it("answers errors in Telegram's format", async () => {
    expect(await call("sendSticker")).toEqual({ status: 404, body: { ok: false, error_code: 404, description: "Not Found" } });
    expect((await call("getMe", {}, "1:wrong")).body).toMatchObject({ ok: false, error_code: 401 });
    expect((await call("sendMessage", { chat_id: 5, text: "hi" })).body.description).toBe("Bad Request: chat not found");
    fake.failNext("getMe", { error_code: 429, retry_after: 3 });
    expect(await call("getme")).toEqual({
      status: 429,
      body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } },
    });
    expect((await call("getMe")).body.result).toMatchObject({ is_bot: true, username: "guanjia_test_bot" });
  });

  it("long polls: a waiting poll is woken by an update; an offset confirms; limit is honoured", async () => {
    const waiting = call("getUpdates", { timeout: 30 });
    await fake.waitForPoll();
    fake.userMessage({ text: "a" });
    fake.userMessage({ text: "b" });
    const woken = (await waiting).body.result as Update[];
    expect(woken.map((u) => u.message?.text)).toEqual(["a", "b"]);
    const texts = async (p: object) => ((await call("getUpdates", p)).body.result as Update[]).map((u) => u.message?.text);
    expect(await texts({ limit: 1 })).toEqual(["a"]); // unconfirmed updates come again
    expect(await texts({ offset: woken[0]!.update_id + 1 })).toEqual(["b"]);
    expect(await texts({ offset: woken[1]!.update_id + 1 })).toEqual([]);
    expect(await texts({})).toEqual([]); // confirmed ones are gone
  });

  it("a second poll ends the first with 409, and stop() ends a waiting poll at once", async () => {
    const first = call("getUpdates", { timeout: 30 });
    await fake.waitForPoll();
    const second = call("getUpdates", { timeout: 30 }).catch((e: unknown) => e);
    expect((await first).body).toMatchObject({ ok: false, error_code: 409 });
    const started = Date.now();
    await fake.stop();
    await second;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
