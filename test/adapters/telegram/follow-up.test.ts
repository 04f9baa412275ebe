/**
 * Issue 11's acceptance on Telegram: the owner's conversation after filing, through real grammY (and Telegraf)
 * over HTTP against the fake Bot API, both desks over one SQLite store, the real catalogs and the
 * real outbox sender over the bot's transport. Staff work from the bound group and their private
 * chat; the owner answers with Telegram's "reply", sends photos, and writes in zh-CN or en.
 */
import type { Message, User } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegrafBot } from "../../../src/adapters/telegraf/telegraf.js";
import { createGrammyBot } from "../../../src/adapters/telegram/grammy.js";
import type { TelegramBot } from "../../../src/adapters/telegram/runtime.js";
import { telegramMessages } from "../../../src/adapters/telegram/render.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import type { Outcome } from "../../../src/core/messages.js";
import type { OutboxStore } from "../../../src/core/outbox.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { outboxRenderer } from "../../../src/infra/outbox/render.js";
import { createOutboxSender, type OutboxSender } from "../../../src/infra/outbox/sender.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import { buttonRows, dataOf, FakeBotApi, type ApiCall } from "../../fakes/telegram-bot-api.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { freshSqliteStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";
import { within } from "../../support/wait.js";
import { AFTER_FILING, PUSHED } from "../../support/follow-up.js";

const GROUP = { id: -1001234567890, title: "虹港家园客服群" };
const WANG: User = { id: 2001, is_bot: false, first_name: "王强", language_code: "zh-hans" };
const FAR = new Date("3000-01-01T00:00:00Z");

/** The owners, and how each types the intake's answers (numbers pick buttons). */
const LANGUAGES = [
  {
    ...AFTER_FILING["zh-CN"],
    locale: "zh-CN",
    owner: { id: 1001, is_bot: false, first_name: "张", last_name: "三", language_code: "zh-hans" } as User,
    complaint: ["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "2", "南门岗亭", "跳过", "1"],
    rest: ["1", "1", "1", "跳过", "跳过", "跳过", "1"],
  },
  {
    ...AFTER_FILING.en,
    locale: "en",
    owner: { id: 1002, is_bot: false, first_name: "John", last_name: "Smith", language_code: "en" } as User,
    complaint: ["The security guard was very rude, I want to complain", "1", "3-1201", "Mr Smith", "13900001111", "2", "south gate", "skip", "1"],
    rest: ["1", "1", "1", "skip", "skip", "skip", "1"],
  },
] as const;

let api: FakeBotApi;
let telegram: TelegramBot<unknown>;
let store: Stores;
let outbox: OutboxStore;
let closeStore: () => Promise<void>;
let clock: TestClock;
let renderer: Renderer;
let sender: OutboxSender;
let errors: unknown[];
let outcomeWaiters: ((o: Outcome) => void)[];

/** The same options on either runtime; only the SDK inside differs. */
const RUNTIMES = [
  { name: "grammY", create: createGrammyBot },
  { name: "Telegraf", create: createTelegrafBot },
];

async function open(create: (typeof RUNTIMES)[number]["create"]): Promise<void> {
  api = new FakeBotApi();
  const apiRoot = await api.start();
  ({ store, outbox, close: closeStore } = await freshSqliteStore());
  await store.createProperty(DEMO_PROPERTY);
  clock = new TestClock();
  renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
  errors = [];
  outcomeWaiters = [];
  const logger = anyLevel((_m, e) => void errors.push(e));
  const ownerDesk = new OwnerDesk({ store, clock, ids: sequentialIds(), logger });
  const staffDesk = new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" });
  const answered = (o: Outcome) => (outcomeWaiters.shift()?.(o), o);
  telegram = create({
    token: api.token,
    apiRoot,
    store,
    clock,
    renderer,
    transformers: "test",
    logger,
    desk: { handle: async (inbound) => answered(await ownerDesk.handle(inbound)) },
    staffDesk: { handle: async (inbound) => answered(await staffDesk.handle(inbound)) },
  });
  await telegram.start();
  sender = createOutboxSender({
    outbox,
    store,
    transports: [telegram.transport],
    render: outboxRenderer({ store, renderer, staffLocale: "zh-CN" }),
    clock,
    sleep: async (ms) => clock.advance(ms),
    maxWaitMs: 10 * 60_000,
    logger,
  });
}

afterEach(async () => {
  await telegram.stop();
  await sender.stop();
  await api.stop();
  await closeStore();
  expect(errors).toEqual([]);
});

/** Does `act` a second on and waits until the bot has sent everything the desk answered to it. */
async function turn(act: () => unknown): Promise<{ text: string; buttons: string[] }> {
  clock.advance(1000);
  const since = api.calls.length;
  const outcome = within(new Promise<Outcome>((resolve) => outcomeWaiters.push(resolve)), "a desk to answer");
  act();
  const sent: ApiCall[] = [];
  for (let n = telegramMessages(await outcome, renderer).length; sent.length < n; ) {
    sent.push(await api.waitForCall((c) => c.method === "sendMessage" && !c.error, { since: (sent.at(-1)?.index ?? since - 1) + 1 }));
  }
  const messages = sent.map((c) => c.result as Message);
  return { text: messages.map((m) => m.text).join("\n"), buttons: messages.length > 0 ? buttonRows(messages.at(-1)!).flat() : [] };
}

const say = (text: string, from: User, replyTo?: Message) => turn(() => api.userMessage({ text, from, ...(replyTo ? { replyTo } : {}) }));

/** Sends all the outbox holds, moving the clock past every wait on the way. */
async function deliver(): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await sender.drainOnce();
    const pending = await outbox.due(FAR, 100);
    if (pending.length === 0) return;
    clock.advance(Math.max(Math.min(...pending.map((p) => p.nextAttemptAt.getTime())) - clock.now().getTime(), 1));
  }
  throw new Error("the outbox never emptied");
}

async function invite(grant: Parameters<Stores["createInvite"]>[0]["grant"]): Promise<string> {
  const property = (await store.properties())[0]!;
  const now = clock.now();
  return (await store.createInvite({ propertyId: property.id, grant, expiresAt: new Date(now.getTime() + 86_400_000), createdAt: now })).code;
}

/** The staff group bound, 王强 a 管家 of the property. */
async function setUpStaff(): Promise<void> {
  const bind = await invite({ kind: "bind", purpose: "staff", department: null });
  await turn(() => api.userMessage({ chat: GROUP, text: `/bind@${api.botInfo.username} ${bind}`, from: WANG }));
  await say(`/join ${await invite({ kind: "join", role: "zone_specialist", zoneId: null })}`, WANG);
}

/** The bot's latest message to `chatId` that contains `text`. */
function botMessage(chatId: number, text: string): Message {
  const found = api.botMessages(chatId).reverse().find((m) => m.text?.includes(text));
  if (!found) throw new Error(`no message with "${text}" in chat ${chatId}: ${api.botMessages(chatId).map((m) => m.text).join(" | ")}`);
  return found;
}

function card(number: string): Message {
  return botMessage(GROUP.id, ` ${number} · `);
}

describe.each(RUNTIMES)("Telegram on $name", ({ create }) => {
  beforeEach(() => open(create));

  describe.each(LANGUAGES)("an owner writing $locale after filing", (l) => {
    beforeEach(async () => {
      await setUpStaff();
      for (const line of l.complaint) await say(line, l.owner);
      await deliver();
      await turn(() => api.pressButton({ message: card("HG-0001"), data: dataOf(card("HG-0001"), "受理"), from: WANG }));
      await turn(() => api.userMessage({ chat: GROUP, text: "/reply HG-0001 明天上午处理", from: WANG }));
      await deliver();
    });

    it("answers the staff reply with a thank-you, then reports a new leak: two tickets, the thank-you on the first", async () => {
      const staffReply = botMessage(l.owner.id, l.staffReply);
      let r = await say(l.thanks, l.owner, staffReply);
      expect(r.text).toBe(l.thanked);
      await deliver();
      // The follower was pushed the owner's words in private, with the ticket's 详情 button.
      const pushed = botMessage(WANG.id, "业主补充了工单 HG-0001");
      expect(pushed.text).toBe(PUSHED.text(l.thanks));
      expect(buttonRows(pushed)).toEqual([["详情"]]);

      r = await say(l.leak, l.owner);
      expect(r.text).toContain(l.newMatter);
      for (const line of l.rest) r = await say(line, l.owner);
      expect(r.text).toContain("HG-0002");
      const first = (await store.ticketByNumber("HG-0001"))!;
      const leak = (await store.ticketByNumber("HG-0002"))!;
      expect(leak.kind).toBe("repair");
      expect(leak.description).toBe(l.leak);
      expect(leak.description).not.toContain(l.thanks);
      const added = (await store.ticketEvents(first.id)).filter((e) => e.type === "info_added");
      expect(added.map((e) => e.data)).toEqual([{ text: l.thanks }]);
    });

    it("a photo captioned /add HG-0001 lands on HG-0001, and the card shows the count", async () => {
      const r = await turn(() => api.userPhoto({ from: l.owner, caption: "/add HG-0001" }));
      expect(r.text).toBe(l.photoAdded);
      expect((await store.ticketByNumber("HG-0001"))!.photoCount).toBe(1);
      await deliver();
      const shown = card("HG-0001");
      expect(shown.text).toContain("照片:1 张");
      const pushed = botMessage(WANG.id, "照片");
      expect(pushed.text).toBe(PUSHED.photo);
      expect(buttonRows(pushed)).toEqual([["详情", "照片(1)"]]);

      // Staff open it from the card's 照片 button: the owner's photo itself, by Telegram's file id.
      expect(buttonRows(shown).flat()).toEqual(["详情", "照片(1)"]);
      const since = api.calls.length;
      const opened = await turn(() => api.pressButton({ message: shown, data: dataOf(shown, "照片(1)"), from: WANG }));
      expect(opened.text).toBe("工单 HG-0001 的照片共 1 张,下面是最近的 1 张。");
      const photo = await api.waitForCall((c) => c.method === "sendPhoto" && !c.error, { since });
      expect(photo.params).toMatchObject({ chat_id: GROUP.id });
      expect(String(photo.params.photo)).toMatch(/_1280$/); // the sharpest size the owner sent
    });

    it("with two open tickets the owner is asked which one; a reply to a ticket's message goes to it", async () => {
      for (const line of [l.leak, ...l.rest]) await say(line, l.owner);
      let r = await say(l.home, l.owner);
      expect(r.text).toBe(l.which);
      expect(r.buttons).toEqual(l.whichButtons);
      r = await turn(() => {
        const asked = botMessage(l.owner.id, l.which);
        return api.pressButton({ message: asked, data: dataOf(asked, l.whichButtons[1]) });
      });
      expect(r.text).toBe(l.added("HG-0001"));

      // Replying to the message about HG-0002's filing: no question, it goes there.
      r = await say(l.question, l.owner, botMessage(l.owner.id, "HG-0002"));
      expect(r.text).toBe(l.added("HG-0002"));
      const events = async (n: string) => (await store.ticketEvents((await store.ticketByNumber(n))!.id)).filter((e) => e.type === "info_added").map((e) => e.data);
      expect(await events("HG-0001")).toEqual([{ text: l.home }]);
      expect(await events("HG-0002")).toEqual([{ text: l.question }]);
    });
  });
});
