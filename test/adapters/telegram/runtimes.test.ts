/**
 * The whole loop on Telegram, one suite run on both runtimes (grammY, the default, and Telegraf)
 * through the real SDK over HTTP against the fake Bot API: a real OwnerDesk and StaffDesk over
 * one SQLite store, the real catalogs, and the real outbox sender over the bot's transport,
 * drained by the test on a clock only the test (and the sender's sleep) moves. No sleeps: every
 * wait is on a Bot API call or a desk's answer.
 */
import type { Message, Update, User } from "grammy/types";
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegrafBot } from "../../../src/adapters/telegraf/telegraf.js";
import { createGrammyBot, type GrammyBotOptions } from "../../../src/adapters/telegram/grammy.js";
import type { TelegramBot } from "../../../src/adapters/telegram/runtime.js";
import { telegramMessages } from "../../../src/adapters/telegram/render.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import type { ChatRef, Inbound, Outcome } from "../../../src/core/messages.js";
import type { OutboxStore } from "../../../src/core/outbox.js";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import { type StaffInbound } from "../../../src/core/messages.js";
import { t } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { outboxRenderer } from "../../../src/infra/outbox/render.js";
import { createOutboxSender, type DrainResult, type OutboxSender } from "../../../src/infra/outbox/sender.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { freshSqliteStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";
import { buttonRows, dataOf, DEFAULT_USER, FakeBotApi, type ApiCall } from "../../fakes/telegram-bot-api.js";
import { within } from "../../support/wait.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

const GROUP = { id: -1001234567890, title: "虹港家园客服群" };
const OWNER = DEFAULT_USER; // 张 三, in a private chat with the bot
const OWNER2: User = { id: 3001, is_bot: false, first_name: "李四", language_code: "zh-hans" };
const WANG: User = { id: 2001, is_bot: false, first_name: "王强", language_code: "zh-hans" };
const LI: User = { id: 2002, is_bot: false, first_name: "李娜", language_code: "zh-hans", username: "Li_Na" };
const ZHAO: User = { id: 2003, is_bot: false, first_name: "赵六", language_code: "zh-hans" };
const COMPLAINT = ["保安态度太差了,我要投诉", "1", "3-1201", "王先生", "13900001111", "公共区域", "南门岗亭", "跳过", "1"];
const FAR = new Date("3000-01-01T00:00:00Z");

/** The factories take the same options and return the same handle; only the SDK inside differs. */
const RUNTIMES = [
  { name: "grammY", create: createGrammyBot },
  { name: "Telegraf", create: createTelegrafBot },
];

describe.each(RUNTIMES)("Telegram on $name", ({ create }) => {
  let api: FakeBotApi;
  let apiRoot: string;
  let telegram: TelegramBot<unknown>;
  let store: Stores;
  let outbox: OutboxStore;
  let closeStore: () => Promise<void>;
  let clock: TestClock;
  let renderer: Renderer;
  let ownerDesk: OwnerDesk;
  let staffDesk: StaffDesk;
  let sender: OutboxSender;
  let drained: DrainResult;
  /** What reached each desk, in order. */
  let inbounds: (Inbound | StaffInbound)[];
  let errors: unknown[];
  let gone: ChatRef[];
  let goneWaiters: (() => void)[];
  let outcomeWaiters: ((o: Outcome) => void)[];
  let errorWaiters: (() => void)[];
  /** Runs before a desk sees an inbound, to hold it back in a test. */
  let hold: ((inbound: Inbound | StaffInbound) => Promise<void>) | undefined;
  /** The throttle the bot's own replies take their slots from: what it was asked and told. */
  let slots: { reserved: string[]; limited: { chatId: string; until: number }[]; succeeded: number };

  /** Both desks, reporting each answer to the test. */
  function startBot(webhook?: GrammyBotOptions["webhook"]): Promise<unknown> {
    const logger = anyLevel((_m, e) => void (errors.push(e), errorWaiters.shift()?.()));
    const answered = (o: Outcome) => (outcomeWaiters.shift()?.(o), o);
    telegram = create({
      token: api.token,
      apiRoot,
      store,
      clock,
      renderer,
      transformers: "test",
      throttle: {
        reserveUnbooked: (chatId) => (slots.reserved.push(chatId), 0),
        rateLimited: (chatId, until) => void slots.limited.push({ chatId, until }),
        succeeded: () => void slots.succeeded++,
      },
      logger,
      desk: { handle: async (inbound) => (inbounds.push(inbound), await hold?.(inbound), answered(await ownerDesk.handle(inbound))) },
      staffDesk: { handle: async (inbound) => (inbounds.push(inbound), await hold?.(inbound), answered(await staffDesk.handle(inbound))) },
      onChatGone,
      ...(webhook ? { webhook } : {}),
    });
    return telegram.start();
  }

  async function onChatGone(to: ChatRef): Promise<void> {
    gone.push(to);
    goneWaiters.shift()?.();
  }

  beforeEach(async () => {
    api = new FakeBotApi();
    apiRoot = await api.start();
    ({ store, outbox, close: closeStore } = await freshSqliteStore());
    await store.createProperty(DEMO_PROPERTY);
    clock = new TestClock();
    renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    inbounds = [];
    errors = [];
    gone = [];
    goneWaiters = [];
    outcomeWaiters = [];
    errorWaiters = [];
    hold = undefined;
    slots = { reserved: [], limited: [], succeeded: 0 };
    drained = { sent: 0, retried: 0, dead: 0 };
    const logger = anyLevel((_m, e) => void errors.push(e));
    ownerDesk = new OwnerDesk({ store, clock, ids: sequentialIds(), logger });
    staffDesk = new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" });
    await startBot();
    sender = createOutboxSender({
      outbox,
      store,
      transports: [telegram.transport],
      render: outboxRenderer({ store, renderer, staffLocale: "zh-CN" }),
      clock,
      // The throttle's waits pass on the test's clock, at once.
      sleep: async (ms) => clock.advance(ms),
      maxWaitMs: 10 * 60_000,
      logger,
      onChatGone,
    });
  });

  afterEach(async () => {
    await telegram.stop();
    await sender.stop();
    await api.stop();
    await closeStore();
    expect(errors).toEqual([]);
  });

  interface Got {
    /** Every message the bot sent for one update, joined. */
    readonly text: string;
    readonly messages: readonly Message[];
  }

  /**
   * Does `act` a second after the last thing happened (people do not type within the same
   * millisecond) and waits until the bot has sent everything the desk answered to it.
   */
  async function turn(act: () => unknown): Promise<Got> {
    clock.advance(1000);
    const since = api.calls.length;
    const outcome = within(new Promise<Outcome>((resolve) => outcomeWaiters.push(resolve)), "a desk to answer");
    act();
    const messages = await sends(telegramMessages(await outcome, renderer).length, since);
    return { text: messages.map((m) => m.text).join("\n"), messages };
  }

  /** The next `count` messages the bot sends (to `chatId`, if given) from call `since` on. */
  async function sends(count: number, since: number, chatId?: number): Promise<Message[]> {
    const sent: ApiCall[] = [];
    while (sent.length < count) {
      const from = sent.at(-1)?.index ?? since - 1;
      sent.push(await api.waitForCall((c) => c.method === "sendMessage" && !c.error && (chatId === undefined || c.params.chat_id === chatId), { since: from + 1 }));
    }
    return sent.map((c) => c.result as Message);
  }

  const say = (text: string, from: User = OWNER) => turn(() => api.userMessage({ text, from }));
  const inGroup = (text: string, from: User) => turn(() => api.userMessage({ chat: GROUP, text, from }));

  async function file(owner: User = OWNER): Promise<Got> {
    let r: Got | undefined;
    for (const line of COMPLAINT) r = await say(line, owner);
    return r!;
  }

  /** Sends all the outbox holds, moving the clock past every retry_after and backoff on the way. */
  async function deliver(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      const r = await sender.drainOnce();
      drained.sent += r.sent;
      drained.retried += r.retried;
      drained.dead += r.dead;
      const pending = await outbox.due(FAR, 100);
      if (pending.length === 0) return;
      const next = Math.min(...pending.map((p) => p.nextAttemptAt.getTime()));
      clock.advance(Math.max(next - clock.now().getTime(), 1));
    }
    throw new Error("the outbox never emptied");
  }

  /** An admin's code for the demo property, as `npm run admin -- invite` makes one. */
  async function invite(grant: Parameters<Stores["createInvite"]>[0]["grant"]): Promise<string> {
    const property = (await store.properties()).find((p) => p.code === "HG")!;
    const now = clock.now();
    return (await store.createInvite({ propertyId: property.id, grant, expiresAt: new Date(now.getTime() + 86_400_000), createdAt: now })).code;
  }

  /** The staff group bound, 王强 a 管家 and 李娜 at the front desk. */
  async function setUp(): Promise<void> {
    const bound = await inGroup(`/bind@${api.botInfo.username} ${await invite({ kind: "bind", purpose: "staff", department: null })}`, WANG);
    expect(bound.text).toContain("本群已绑定为【虹港家园】的客服工作群");
    expect((await say(`/join ${await invite({ kind: "join", role: "zone_specialist", zoneId: null })}`, WANG)).text).toContain(
      "您已成为【虹港家园】的客服专员(管家)",
    );
    expect((await say(`/join ${await invite({ kind: "join", role: "front_desk", zoneId: null })}`, LI)).text).toContain("您已成为【虹港家园】");
  }

  /** The ticket's card in the staff group, as it is now. */
  function card(number = "HG-0001"): Message {
    const cards = api.botMessages(GROUP.id).filter((m) => m.text?.includes(` ${number} · `));
    expect(cards, `cards of ${number}`).toHaveLength(1);
    return cards[0]!;
  }

  function press(message: Message, label: string, from: User): Promise<Got> {
    return turn(() => api.pressButton({ message, data: dataOf(message, label), from }));
  }

  /** Texts the bot sent to a chat (sendMessage that went through), from call `since` on. */
  function sentTo(chatId: number, since = 0): string[] {
    return api.calls.slice(since).filter((c) => c.method === "sendMessage" && !c.error && c.params.chat_id === chatId).map((c) => String(c.params.text));
  }

  function textOf(inbound: Inbound | StaffInbound): string {
    return inbound.body.type === "text" ? inbound.body.text : inbound.body.type;
  }

  describe("a complaint worked from the staff group", () => {
    it("bind, join, file, card, claim, promise, reply, resolve, 不满意 and the group's alert", async () => {
      await setUp();
      const bind = api.botMessages(GROUP.id)[0]!;
      expect(bind.reply_to_message?.text).toMatch(/^\/bind@guanjia_test_bot /); // answers the command it answers

      expect((await file()).text).toContain("工单号 HG-0001");
      await deliver();
      let shown = card();
      expect(shown.text).toContain("🆕 HG-0001 · 投诉 · 言行举止");
      expect(shown.text).toContain("业主:王先生 139****1111");
      expect(shown.text).not.toContain("13900001111");
      expect(shown.text).toContain("状态:待受理");
      expect(buttonRows(shown)).toEqual([["受理", "详情"]]);

      // 受理: the card changes in place and the owner hears who follows the matter.
      const ownerSince = api.calls.length;
      let r = await press(shown, "受理", WANG);
      expect(r.text).toBe("✅ 王强 已受理 HG-0001,已通知业主。");
      expect(r.messages[0]!.reply_to_message?.message_id).toBe(shown.message_id);
      await deliver();
      shown = card();
      expect(shown.text).toContain("状态:已受理 · 跟进人:王强");
      expect(buttonRows(shown)).toEqual([["详情"]]);
      expect(sentTo(OWNER.id, ownerSince)).toEqual(["您的工单 HG-0001 已由 王强 受理,将跟进到底。"]);

      let since = api.calls.length;
      r = await inGroup("/promise HG-0001 2h", WANG);
      const due = { time: (await store.ticketByNumber("HG-0001"))!.nextReplyDueAt!.toISOString() };
      expect(r.text).toContain("⏰ 已告知 HG-0001 的业主");
      expect(r.messages[0]!.reply_to_message?.text).toBe("/promise HG-0001 2h");
      await deliver();
      expect(sentTo(OWNER.id, since)).toEqual([renderer.text(t("notice.promised", { number: "HG-0001", due }), "zh-CN")]);
      expect(sentTo(OWNER.id, since)[0]).toContain("11月23日 12:00 前");
      expect(card().text).toContain("应回复业主:");

      since = api.calls.length;
      r = await inGroup("/reply HG-0001 已联系保安队长,明天当面向您道歉", WANG);
      expect(r.text).toContain("💬 已把回复转给 HG-0001 的业主");
      await deliver();
      expect(sentTo(OWNER.id, since)).toEqual(["工单 HG-0001 的工作人员回复:已联系保安队长,明天当面向您道歉"]);
      expect(card().text).toContain("状态:处理中 · 跟进人:王强");

      since = api.calls.length;
      r = await inGroup("/resolve HG-0001 已对当班保安批评教育并当面道歉", WANG);
      expect(r.text).toContain("✅ HG-0001 已处理,已请业主确认并评价");
      await deliver();
      expect(sentTo(OWNER.id, since)).toEqual(["工单 HG-0001 已处理:已对当班保安批评教育并当面道歉\n请问您对这次处理满意吗?"]);
      const ask = api.botMessages(OWNER.id).at(-1)!;
      expect(buttonRows(ask)).toEqual([["满意", "较满意", "不满意"]]);
      expect(card().text).toContain("状态:已处理");

      // 不满意: back to work, with the card showing it and the group alerted under the card.
      const groupSince = api.calls.length;
      r = await turn(() => api.pressButton({ message: ask, data: dataOf(ask, "不满意") }));
      expect(r.text).toContain("很抱歉没有让您满意,工单 HG-0001 已重新处理");
      expect((await store.ticketByNumber("HG-0001"))!.status).toBe("reopened");
      // One rating per resolution: pressing 满意 on the same notice now changes nothing.
      r = await turn(() => api.pressButton({ message: ask, data: dataOf(ask, "满意") }));
      expect(r.text).toContain("当前的状态不能这样操作");
      expect((await store.ticketByNumber("HG-0001"))!.status).toBe("reopened");
      await deliver();
      shown = card();
      expect(shown.text).toContain("状态:重新处理");
      expect(buttonRows(shown)).toEqual([["受理", "详情"]]);
      const alert = api.botMessages(GROUP.id).at(-1)!;
      expect(sentTo(GROUP.id, groupSince)).toEqual([alert.text]);
      expect(alert.text).toBe("⚠️ 业主对工单 HG-0001 的处理不满意,工单已重新打开,请尽快跟进并回访。");
      expect(alert.reply_to_message?.message_id).toBe(shown.message_id);

      // One card all along, edited in place; nothing was given up.
      expect(api.botMessages(GROUP.id).filter((m) => m.text?.includes("HG-0001 · 投诉"))).toHaveLength(1);
      expect(drained.dead).toBe(0);
      expect(api.allowedUpdates).toEqual(["message", "edited_message", "callback_query", "my_chat_member"]);
    });

    it("staff commands in a private chat go to the staff desk, the rest to the owner desk", async () => {
      await setUp();
      await file();
      let r = await say("/unclaimed", LI);
      expect(r.text).toContain("HG-0001 投诉 · 待受理");
      expect(r.messages[0]!.reply_to_message).toBeUndefined();
      r = await say("/list", OWNER);
      expect(r.text).toContain("HG-0001 投诉");
      expect(inbounds.slice(-2).map((i) => ("chat" in i ? `staff:${i.chat.kind}` : "owner"))).toEqual(["staff:private", "owner"]);
    });

    it("/transfer to @username: the colleague (known by the username Telegram sent) gets it in private, the owner is told", async () => {
      await setUp();
      await file();
      await deliver();
      await press(card(), "受理", WANG);
      await deliver();
      const since = api.calls.length;
      const r = await inGroup("/transfer HG-0001 @li_na 业主下午在家", WANG);
      expect(r.text).toBe("📨 HG-0001 已转交 @li_na(已私信通知对方,并告知业主)。");
      await deliver();
      expect(card().text).toContain("状态:已受理 · 跟进人:李娜");
      expect(sentTo(OWNER.id, since)).toEqual(["您的工单 HG-0001 现由 李娜 负责跟进,有进展会及时告诉您。"]);
      const [dm] = sentTo(LI.id, since);
      expect(dm).toContain("📨 王强 把工单 HG-0001 转交给您跟进:");
      expect(dm).toContain("交代:业主下午在家");
      expect(buttonRows(api.botMessages(LI.id).at(-1)!)).toEqual([["详情"]]);
    });
  });

  describe("claims", () => {
    it("two staff pressing 受理 on one card at once: one has it, the other is told who", async () => {
      await setUp();
      await file();
      await deliver();
      const shown = card();
      const since = api.calls.length;
      const answers = within(Promise.all([0, 1].map(() => new Promise<Outcome>((resolve) => outcomeWaiters.push(resolve)))), "both presses");
      api.pressButton({ message: shown, data: "claim:HG-0001", from: WANG });
      api.pressButton({ message: shown, data: "claim:HG-0001", from: LI }); // before the bot saw the first
      await answers;
      const replies = (await sends(2, since, GROUP.id)).map((m) => m.text);
      expect(replies.filter((x) => x?.includes("已受理 HG-0001,已通知业主"))).toHaveLength(1);
      const winner = (await store.personById((await store.ticketByNumber("HG-0001"))!.assigneeId!))!;
      expect(replies.filter((x) => x === `这个工单已经由 ${winner.displayName} 受理了。`)).toHaveLength(1);

      await deliver();
      expect(card().text).toContain(`跟进人:${winner.displayName}`);
      expect(sentTo(OWNER.id, since)).toEqual([`您的工单 HG-0001 已由 ${winner.displayName} 受理,将跟进到底。`]);
    });

    it("a press in the group and a /claim in a private chat at once: still exactly one claim", async () => {
      await setUp();
      await file();
      await deliver();
      const since = api.calls.length;
      const answers = within(Promise.all([0, 1].map(() => new Promise<Outcome>((resolve) => outcomeWaiters.push(resolve)))), "both claims");
      api.pressButton({ message: card(), data: "claim:HG-0001", from: WANG });
      api.userMessage({ text: "/claim HG-0001", from: LI });
      await answers;
      const replies = [...(await sends(1, since, GROUP.id)), ...(await sends(1, since, LI.id))].map((m) => m.text ?? "");
      expect(replies.filter((x) => /已受理 HG-0001,已通知业主/.test(x))).toHaveLength(1);
      expect(replies.filter((x) => /这个工单已经由 (王强|李娜) 受理了/.test(x))).toHaveLength(1);
      await deliver();
      expect(sentTo(OWNER.id, since)).toHaveLength(1);
    });
  });

  describe("who may do what", () => {
    it("a non-staff member's press changes nothing; a forged claim on another property's ticket is not found", async () => {
      await setUp();
      await file();
      await deliver();
      // Another property, created after the filing so the owner was not asked which one is theirs.
      const jx = await store.createProperty({ code: "JX", name: "锦绣花园" });
      const stranger = await store.person({ platform: "telegram", platformUserId: "4001", locale: "zh-CN" });
      await store.fileTicket({
        intakeId: "jx-1", propertyId: jx.id, zoneId: null, roomId: null, kind: "repair", category: "engineering", weight: "general",
        majorReasons: [], ownerId: stranger.id, roomLabel: "1-101", contactName: null, contactPhone: null, location: "home", place: null,
        description: "漏水", since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: clock.now(),
        nextReplyDueAt: null, confirmation: {},
      });
      const shown = card();
      const since = api.calls.length;

      // The refusal is the presser's alone: the button's alert, nothing posted to the group (issue 11 §4).
      api.pressButton({ message: shown, data: dataOf(shown, "受理"), from: ZHAO });
      const alert = await api.waitForCall((c) => c.method === "answerCallbackQuery", { since });
      expect(alert.params).toMatchObject({ show_alert: true });
      expect(String(alert.params.text)).toContain("您不是这个小区的工作人员:本群是【虹港家园】的工作群");
      let r = await inGroup("/claim HG-0001", ZHAO);
      expect(r.text).toContain("不是这个小区的工作人员");
      expect(sentTo(GROUP.id, since)).toEqual([r.text]); // the typed command is answered; the press was not

      r = await turn(() => api.pressButton({ message: shown, data: "claim:JX-0001", from: WANG, forged: true }));
      expect(r.text).toBe("没有找到工单 JX-0001。");

      expect((await store.ticketByNumber("HG-0001"))!).toMatchObject({ status: "new", assigneeId: null });
      expect((await store.ticketByNumber("JX-0001"))!).toMatchObject({ status: "new", assigneeId: null });
      expect(await outbox.due(FAR, 10)).toEqual([]);
      expect(api.calls.slice(since).filter((c) => c.method.startsWith("edit"))).toEqual([]);
      expect(buttonRows(card())).toEqual([["受理", "详情"]]); // the card keeps its buttons for staff
    });

    it("a mistyped staff command gets 'did you mean' and the list, in the group and in private", async () => {
      await setUp();
      let r = await inGroup("/clam HG-0001", WANG);
      expect(r.text).toContain("没有 /clam 这个命令。");
      expect(r.text).toContain("您是不是想用 /claim?");
      expect(r.text).toContain("/unclaimed");
      r = await say("/reslove HG-0001 已修好", WANG);
      expect(r.text).toContain("您是不是想用 /resolve?");
      // An owner's own typo stays the owner's: the owner desk answers it with the owner's help.
      r = await say("/lsit");
      expect(r.text).toContain("/list 我的工单");
      expect(r.text).not.toContain("/claim");
    });

    it("an owner in an unbound group never sees set-up instructions, staff do", async () => {
      const owners = { id: -1007777777777, title: "虹港业主群" };
      for (const typed of ["/where", "/claim HG-0001", "/clam HG-0001"]) {
        const r = await turn(() => api.userMessage({ chat: owners, text: typed, from: ZHAO }));
        expect(r.text).not.toContain("npm run admin");
        expect(r.text).toContain("@我");
      }
      await setUp();
      const r = await turn(() => api.userMessage({ chat: owners, text: "/where", from: WANG }));
      expect(r.text).toContain("本群还没有绑定小区");
    });

    it("group chatter and other bots' commands never reach a desk; an unbound group is told so", async () => {
      await setUp();
      const other = { id: -1009999999999, title: "闲聊群" };
      const before = inbounds.length;
      api.userMessage({ chat: GROUP, text: "今天谁值班?", from: ZHAO });
      api.userMessage({ chat: GROUP, text: "/claim@some_other_bot HG-0001", from: ZHAO });
      api.userMessage({ chat: GROUP, text: `/status@${api.botInfo.username} HG-0001`, from: ZHAO });
      const r = await turn(() => api.userMessage({ chat: other, text: "/claim HG-0001", from: WANG }));
      expect(r.text).toContain("本群还没有绑定小区");
      // Stopping waits for every update already fetched, the chatter included.
      await telegram.stop();
      expect(inbounds.slice(before).map((i) => ("chat" in i ? i.chat.id : "owner"))).toEqual([String(other.id)]);
      expect(sentTo(GROUP.id).filter((x) => x.includes("HG-0001"))).toEqual([]);
    });
  });

  describe("Telegram's side of things", () => {
    it("a 429 storm: every message still delivered exactly once, in order in each chat", async () => {
      await setUp();
      await file(OWNER);
      await file(OWNER2);
      await inGroup("/claim HG-0001", WANG);
      await inGroup("/claim HG-0002", WANG);
      for (const n of [1, 2, 3]) {
        await inGroup(`/reply HG-0001 一号第${n}条`, WANG);
        await inGroup(`/reply HG-0002 二号第${n}条`, WANG);
      }
      const since = api.calls.length;
      for (const retry_after of [3, 1, 2, 5, 1]) api.failNext("sendMessage", { error_code: 429, retry_after });
      await deliver();

      expect(api.calls.slice(since).filter((c) => c.error === 429)).toHaveLength(5);
      expect(sentTo(OWNER.id, since)).toEqual([
        "您的工单 HG-0001 已由 王强 受理,将跟进到底。",
        ...[1, 2, 3].map((n) => `工单 HG-0001 的工作人员回复:一号第${n}条`),
      ]);
      expect(sentTo(OWNER2.id, since)).toEqual([
        "您的工单 HG-0002 已由 王强 受理,将跟进到底。",
        ...[1, 2, 3].map((n) => `工单 HG-0002 的工作人员回复:二号第${n}条`),
      ]);
      const cards = sentTo(GROUP.id, since);
      expect(cards.map((x) => x.split("\n")[0])).toEqual(["🆕 HG-0001 · 投诉 · 言行举止", "🆕 HG-0002 · 投诉 · 言行举止"]);
      expect(card("HG-0001").text).toContain("状态:处理中 · 跟进人:王强");
      expect(card("HG-0002").text).toContain("状态:处理中 · 跟进人:王强");
      expect(drained).toMatchObject({ retried: 5, dead: 0 });
      expect(await outbox.due(FAR, 10)).toEqual([]);
    });

    it("an update delivered again after a restart has no second effect", async () => {
      await setUp();
      await file();
      await inGroup("/claim HG-0001", WANG);
      await deliver();
      const r = await inGroup("/reply HG-0001 马上派人去看", WANG);
      const replyUpdate = [...api.updates].reverse().find((u: Update) => u.message?.text === "/reply HG-0001 马上派人去看")!;
      expect(r.text).toContain("💬 已把回复转给");

      // The bot stops before confirming it (a crash, a deploy); Telegram hands it to the next one.
      await telegram.stop();
      api.redeliver(replyUpdate.update_id);
      await startBot();
      const since = api.calls.length;
      // The same group's updates are handled in order: once /where is answered, the redelivery was seen.
      expect((await inGroup("/where", WANG)).text).toContain("本群已绑定为【虹港家园】");
      expect(api.calls.slice(since).some((c) => c.method === "getUpdates" && (c.result as Update[]).some((u) => u.update_id === replyUpdate.update_id))).toBe(true);
      await deliver();

      const ticket = (await store.ticketByNumber("HG-0001"))!;
      expect((await store.ticketEvents(ticket.id)).filter((e) => e.type === "reply")).toHaveLength(1);
      expect(sentTo(GROUP.id).filter((x) => x.includes("💬 已把回复转给"))).toHaveLength(1);
      expect(sentTo(OWNER.id).filter((x) => x.includes("马上派人去看"))).toHaveLength(1);
      expect(inbounds.filter((i) => "chat" in i && i.body.type === "command" && i.body.command === "reply")).toHaveLength(1);
    });

    it("the bot removed from the staff group: the group is deactivated, an admin told, later cards not sent there", async () => {
      await setUp();
      await file();
      await deliver();
      const lost = within(new Promise<void>((resolve) => goneWaiters.push(resolve)), "the loss to be reported");
      api.removeBot({ chat: GROUP, by: LI, status: "kicked" });
      await lost;
      expect(gone).toEqual([{ platform: "telegram", chatId: String(GROUP.id) }]);
      expect(await store.chatBinding({ platform: "telegram", chatId: String(GROUP.id) })).toMatchObject({ active: false });

      const since = api.calls.length;
      expect((await say("/claim HG-0001", WANG)).text).toContain("已受理 HG-0001"); // work goes on from private chats
      expect((await file(OWNER2)).text).toContain("工单号 HG-0002");
      await deliver();
      expect(api.calls.slice(since).filter((c) => c.params.chat_id === GROUP.id)).toEqual([]);
      expect(sentTo(OWNER.id, since)).toEqual(["您的工单 HG-0001 已由 王强 受理,将跟进到底。"]);
      expect(drained.dead).toBe(0);
    });
  });

  describe("an owner in a private chat", () => {
    it("a voice note is answered in Chinese, and the same question asked again", async () => {
      let r = await say("保安态度太差了,我要投诉");
      r = await press(api.botMessages(OWNER.id).at(-1)!, "对,继续", OWNER);
      expect(r.text).toContain("请问您的房号");
      r = await turn(() => api.userVoice({ from: OWNER }));
      expect(r.text).toContain("无法识别语音");
      expect(r.text).toContain("请问您的房号");
      expect(inbounds.at(-1)!.body.type).toBe("unsupported");
      r = await say("3-1201");
      expect(r.text).toContain("怎么称呼");
    });

    it("a chat's updates wait for each other, other chats' do not (Telegraf alone would run a batch concurrently)", async () => {
      await api.waitForPoll();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let otherReached!: () => void;
      const otherChat = new Promise<void>((resolve) => (otherReached = resolve));
      hold = async (inbound) => {
        if (inbound.sender.platformUserId === String(OWNER2.id)) otherReached();
        if (textOf(inbound) === "保安态度太差了,我要投诉") await released;
      };
      const since = api.calls.length;
      const answers = within(Promise.all([0, 1, 2].map(() => new Promise<Outcome>((resolve) => outcomeWaiters.push(resolve)))), "three answers");
      // Queued in one go: the waiting poll returns all three together, and the runtime gets them together.
      api.userMessage({ text: "保安态度太差了,我要投诉", from: OWNER });
      api.userMessage({ text: "1", from: OWNER });
      api.userMessage({ text: "楼上漏水,我家天花板都泡了", from: OWNER2 });
      try {
        await within(otherChat, "the other chat's message to reach its desk");
        // The other chat went ahead; this chat's second message waits behind its first.
        expect(inbounds.map(textOf)).toEqual(["保安态度太差了,我要投诉", "楼上漏水,我家天花板都泡了"]);
      } finally {
        release(); // a failure above must not leave a handler held for teardown to wait on
      }
      await answers;
      expect(inbounds.map(textOf)).toEqual(["保安态度太差了,我要投诉", "楼上漏水,我家天花板都泡了", "1"]);
      const batch = api.calls.slice(since).find((c) => c.method === "getUpdates" && (c.result as Update[]).length > 0)!;
      expect((batch.result as Update[]).map((u) => u.message?.text)).toEqual(["保安态度太差了,我要投诉", "1", "楼上漏水,我家天花板都泡了"]);
      const replies = await sends(2, since, OWNER.id);
      expect(replies[0]!.text).toContain("【投诉");
      expect(replies[1]!.text).toContain("请问您的房号");
    });

    it("a 429 on the bot's own reply is waited out and the reply still arrives", async () => {
      api.failNext("sendMessage", { error_code: 429, retry_after: 1 });
      const since = api.calls.length;
      const started = Date.now();
      expect((await say("楼上漏水,我家天花板都泡了")).text).toContain("【报修 · 工程维修】");
      expect(api.calls.slice(since).filter((c) => c.method === "sendMessage").map((c) => c.error)).toEqual([429, undefined]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      // The 429 held the chat in the throttle the outbox sender shares, for Telegram's retry_after.
      expect(slots.limited).toEqual([{ chatId: String(OWNER.id), until: expect.any(Number) }]);
      expect(slots.limited[0]!.until - clock.now().getTime()).toBe(1_000);
    });

    it("the bot's own replies take their slots from the throttle the outbox sender runs on", async () => {
      await say("楼上漏水,我家天花板都泡了");
      await say("/list");
      expect(slots.reserved).toEqual([String(OWNER.id), String(OWNER.id)]);
      // Told once the bot has Telegram's answer, a moment after the fake stored the reply.
      await within(
        (async () => {
          while (slots.succeeded < 2) await new Promise((r) => setTimeout(r, 5));
        })(),
        "the throttle to hear of both replies",
      );
      expect(slots.limited).toEqual([]);
    });

    it("an error in a handler is caught by bot.catch, logged, and the bot keeps serving", async () => {
      api.failNext("sendMessage", { error_code: 400, description: "Bad Request: chat not found" });
      const logged = within(new Promise<void>((resolve) => errorWaiters.push(resolve)), "the error to be logged");
      api.userMessage({ text: "/list", from: OWNER });
      await logged;
      expect(errors).toHaveLength(1);
      expect(String(errors[0])).toContain("chat not found");
      errors.length = 0;
      expect((await say("/list")).text).toContain("还没有登记过工单");
    });
  });

  describe("webhook mode", () => {
    const SECRET = "s3cret-token_for-tests";
    let url: string;

    beforeEach(async () => {
      // The polling bot of the outer beforeEach makes way for one on a webhook.
      await telegram.stop();
      const port = await freePort();
      url = `http://127.0.0.1:${port}/telegram`;
      await startBot({ url, port, host: "127.0.0.1", secretToken: SECRET });
    });

    it("registers the webhook and serves an owner through it, answering Telegram 200", async () => {
      expect(api.calls.find((c) => c.method === "setWebhook")!.params).toMatchObject({ url, secret_token: SECRET });
      expect(telegram.webhookPort()).toBe(Number(new URL(url).port));
      expect((await say("楼上漏水,我家天花板都泡了")).text).toContain("【报修 · 工程维修】");
      expect(await api.lastDelivery).toBe(200);
    });

    it("refuses requests without the secret token, and no desk is called", async () => {
      const body = JSON.stringify({ update_id: 999, message: { message_id: 1, date: 0, chat: { id: 5, type: "private" }, from: { id: 5, is_bot: false, first_name: "x" }, text: "hi" } });
      for (const headers of [{}, { "x-telegram-bot-api-secret-token": "wrong" }] as Record<string, string>[]) {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
        expect(res.status).toBe(401);
      }
      expect(inbounds).toEqual([]);
    });

    it("a redelivered update (Telegram retrying a webhook) has no second effect", async () => {
      const since = api.calls.length;
      await say("/list");
      expect(await api.lastDelivery).toBe(200);
      const first = api.webhookDeliveries.at(-1)!.updateId;
      expect(await api.redeliverToWebhook(first)).toBe(200);
      expect(api.webhookDeliveries.filter((d) => d.updateId === first).map((d) => d.status)).toEqual([200, 200]);
      expect(inbounds).toHaveLength(1);
      expect(api.calls.slice(since).filter((c) => c.method === "sendMessage")).toHaveLength(1);
    });
  });

  /** A free port on loopback: the webhook URL must name it before the endpoint listens. */
  async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }
});
