/**
 * The whole loop on Slack: owners in their DM, staff in a bound channel and their DMs, cards and
 * notices going out through the real outbox sender and the Slack transport. Real Bolt (HTTP
 * receiver, signed requests, processBeforeResponse), the fake Web API, both desks over one
 * SQLite store, the real catalogs. The sender's clock is the test's: its sleeps move it, so a
 * 429's Retry-After costs no wall time.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackApp, type SlackApp } from "../../../src/adapters/slack/bolt.js";
import { slackSenderClient, slackTransport } from "../../../src/adapters/slack/transport.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import type { OutboxStore } from "../../../src/core/outbox.js";
import type { ChatRef } from "../../../src/core/messages.js";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { outboxRenderer } from "../../../src/infra/outbox/render.js";
import { createOutboxSender, type OutboxSender } from "../../../src/infra/outbox/sender.js";
import {
  BOT,
  buttonsOf,
  encode,
  FakeSlack,
  leftEvent,
  memberLeftChannel,
  messageEvent,
  OWNER,
  postSigned,
  SlackOwner,
  SlackStaff,
  slashCommand,
  textOf,
  appMention,
  type PostedMessage,
} from "../../fakes/slack.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { freshSqliteStore } from "../../support/db.js";
import { lineLogger } from "../../support/logger.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

const SECRET = "test-signing-secret";
const TOKEN = "xoxb-test";
const STAFF_CHANNEL = "C0STAFF";
const DAY = 86_400_000;
const FAR = new Date("3000-01-01T00:00:00Z");
const WANG = { user: "U0WANG", dm: "D0WANG", name: "王磊" } as const;
const LI = { user: "U0LI", dm: "D0LI", name: "李娜" } as const;
const ADMIN = { user: "U0ADMIN", dm: "D0ADMIN", name: "物业管理员" } as const;
const NOBODY = { user: "U0NOBODY", dm: "D0NOBODY", name: "路人" } as const;

let renderer: Renderer;
beforeAll(async () => {
  renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
});

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

interface Harness {
  readonly slack: FakeSlack;
  readonly store: Stores;
  readonly outbox: OutboxStore;
  readonly clock: TestClock;
  readonly sender: OutboxSender;
  readonly endpoint: { url: string; secret: string };
  /** Chats reported gone, by the app (removal events) and by the sender (a post answered "gone"). */
  readonly gone: { from: "app" | "sender"; to: ChatRef; reason: string }[];
  readonly logged: string[];
  /** Desk turns the app reported through `onTurn` (main.ts kicks the sender there). */
  readonly turns: { count: number };
  readonly owner: SlackOwner;
  readonly wang: SlackStaff;
  readonly li: SlackStaff;
  readonly admin: SlackStaff;
  readonly nobody: SlackStaff;
  /** Runs the sender until the outbox is empty, moving the clock past each Retry-After and backoff. */
  deliverAll(): Promise<void>;
  /** A new app on the same store and outbox: what a restart looks like to Slack. */
  restart(): Promise<void>;
}

async function launch(): Promise<Harness> {
  const slack = await new FakeSlack().start();
  cleanup.push(() => slack.stop());
  slack.addUser({ id: OWNER.user, name: "王先生", locale: "zh-CN", dm: OWNER.channel });
  for (const p of [WANG, LI, ADMIN, NOBODY]) slack.addUser({ id: p.user, name: p.name, locale: "zh-CN", dm: p.dm });
  const { store, outbox, close } = await freshSqliteStore();
  cleanup.push(close);
  await store.createProperty(DEMO_PROPERTY);
  const clock = new TestClock();
  const logged: string[] = [];
  const logger = lineLogger(logged);
  const gone: Harness["gone"] = [];
  const turns = { count: 0 };
  const ownerDesk = new OwnerDesk({ store, clock, ids: sequentialIds(), logger });
  const staffDesk = new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" });

  let app: SlackApp | undefined;
  let port = 0;
  const startApp = async () => {
    app = createSlackApp({
      botToken: TOKEN,
      signingSecret: SECRET,
      desk: ownerDesk,
      staffDesk,
      store,
      outbox,
      clock,
      onChatGone: async (to, reason) => void gone.push({ from: "app", to, reason }),
      onTurn: () => void turns.count++,
      renderer,
      logger,
      // The same port across a restart, so the test's people keep talking to the one endpoint.
      mode: { kind: "http", port, host: "127.0.0.1" },
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    port = (await app.start()).port!;
  };
  await startApp();
  cleanup.push(() => app!.stop());

  const sender = createOutboxSender({
    outbox,
    store,
    transports: [slackTransport(slackSenderClient(TOKEN, { slackApiUrl: slack.apiUrl }, logger))],
    render: outboxRenderer({ store, renderer, staffLocale: "zh-CN" }),
    clock,
    sleep: async (ms) => clock.advance(ms),
    logger,
    onChatGone: async (to, reason) => void gone.push({ from: "sender", to, reason }),
  });

  const endpoint = { url: `http://127.0.0.1:${port}/slack/events`, secret: SECRET };
  const staff = (p: { user: string; dm: string }) => new SlackStaff(slack, endpoint, p.user, p.dm);
  return {
    slack,
    store,
    outbox,
    clock,
    sender,
    endpoint,
    gone,
    logged,
    turns,
    owner: new SlackOwner(slack, endpoint),
    wang: staff(WANG),
    li: staff(LI),
    admin: staff(ADMIN),
    nobody: staff(NOBODY),
    async deliverAll() {
      for (let round = 0; round < 100; round++) {
        await sender.drainOnce();
        const pending = await outbox.due(FAR, 100);
        if (pending.length === 0) return;
        const next = Math.min(...pending.map((r) => r.nextAttemptAt.getTime()));
        // Past the earliest Retry-After or backoff, and past the throttle's window if that is what holds it.
        clock.advance(Math.max(next - clock.now().getTime(), 1_000));
      }
      throw new Error("the outbox did not drain in 100 rounds");
    },
    async restart() {
      await app!.stop();
      await startApp();
    },
  };
}

/** An invite code for the demo property, as `npm run admin -- invite …` makes one. */
async function invite(h: Harness, grant: Parameters<Stores["createInvite"]>[0]["grant"]): Promise<string> {
  const property = (await h.store.properties())[0]!;
  const now = h.clock.now();
  return (await h.store.createInvite({ propertyId: property.id, grant, expiresAt: new Date(now.getTime() + DAY), createdAt: now })).code;
}

/** The staff channel is bound, 王磊 (管家) and 李娜 (前台) have joined in their DMs. */
async function setUp(h: Harness): Promise<void> {
  const bound = await h.admin.command(`bind ${await invite(h, { kind: "bind", purpose: "staff", department: null })}`, STAFF_CHANNEL);
  expect(bound.text).toContain("本群已绑定为【虹港家园】的客服工作群");
  const joined = await h.wang.command(`join ${await invite(h, { kind: "join", role: "zone_specialist", zoneId: null })}`);
  expect(joined.text).toContain("您已成为【虹港家园】的客服专员(管家)");
  await h.li.command(`join ${await invite(h, { kind: "join", role: "front_desk", zoneId: null })}`);
}

/** The owner files a complaint in their DM; returns its number. */
async function fileComplaint(h: Harness, description = "保安态度太差了,我要投诉"): Promise<string> {
  const { owner } = h;
  await owner.say(description);
  await owner.press("对,继续");
  await owner.say("3-1201");
  await owner.say("王先生");
  await owner.say("139 0000 1111");
  await owner.press("公共区域");
  await owner.say("南门岗亭");
  await owner.press("跳过");
  const r = await owner.press("确认提交");
  const number = /工单号 (HG-\d{4})/.exec(r.text)?.[1];
  expect(number, r.text).toBeDefined();
  return number!;
}

/** The card of ticket `number` in the staff channel, as it shows now. */
function cardOf(h: Harness, number: string): PostedMessage {
  const cards = h.slack.postedTo(STAFF_CHANNEL).filter((m) => !m.thread_ts && !m.viaResponseUrl && textOf(m).includes(number));
  expect(cards, `one card for ${number}`).toHaveLength(1);
  return cards[0]!;
}

/** What the owner has read in their DM, oldest first. */
function ownerRead(h: Harness): string[] {
  return h.slack.postedTo(OWNER.channel).map(textOf);
}

describe("the whole loop on Slack", () => {
  it("binds a channel, files, claims, promises, replies, resolves, and reopens on 不满意", async () => {
    const h = await launch();
    await setUp(h);
    // The channel was told in the channel, not just the admin.
    const bindReply = h.slack.postedTo(STAFF_CHANNEL).find((m) => textOf(m).includes("本群已绑定"))!;
    expect(bindReply).toMatchObject({ viaResponseUrl: true });
    expect(bindReply.ephemeral).toBeUndefined();
    expect(h.slack.postedTo(WANG.dm).map(textOf).join("\n")).toContain("欢迎!您已成为");

    const number = await fileComplaint(h);
    expect(number).toBe("HG-0001");
    await h.deliverAll();
    const card = cardOf(h, number);
    expect(textOf(card)).toContain("🆕 HG-0001 · 投诉 · 言行举止");
    expect(textOf(card)).toContain("业主:王先生 139****1111");
    expect(textOf(card)).toContain("状态:待受理");
    expect(buttonsOf(card).map((b) => b.text.text)).toEqual(["受理", "详情"]);
    expect(JSON.stringify(card.blocks)).not.toContain("13900001111");

    // 受理 on the card: the answer to 王磊 alone under the card, the card edited in place, the owner told.
    let r = await h.wang.press(card, "受理");
    expect(r.posted).toHaveLength(1);
    expect(r.posted[0]).toMatchObject({ channel: STAFF_CHANNEL, thread_ts: card.ts, ephemeral: true, to: WANG.user });
    expect(r.text).toContain("✅ 王磊 已受理 HG-0001");
    await h.deliverAll();
    expect(cardOf(h, number).ts).toBe(card.ts);
    expect(textOf(card)).toContain("状态:已受理 · 跟进人:王磊");
    expect(buttonsOf(card).map((b) => b.text.text)).toEqual(["详情"]);
    expect(ownerRead(h).at(-1)).toContain("您的工单 HG-0001 已由 王磊 受理");

    // A slash command about the ticket, in the channel: answered in the card's thread.
    r = await h.wang.command(`promise ${number} 2h`, STAFF_CHANNEL);
    expect(r.posted).toEqual([expect.objectContaining({ thread_ts: card.ts })]);
    expect(r.text).toContain("⏰ 已告知 HG-0001 的业主");
    await h.deliverAll();
    expect(ownerRead(h).at(-1)).toMatch(/工单 HG-0001:我们会在 11月23日 \d\d:\d\d 前给您进一步答复/);
    expect(textOf(card)).toContain("应回复业主");

    // An @mention in the card's thread.
    r = await h.wang.mention(`reply ${number} 已核实,当面道歉`, STAFF_CHANNEL, { threadTs: card.ts });
    expect(r.posted).toEqual([expect.objectContaining({ thread_ts: card.ts })]);
    expect(r.text).toContain("💬 已把回复转给 HG-0001 的业主");
    await h.deliverAll();
    expect(ownerRead(h).at(-1)).toContain("工单 HG-0001 的工作人员回复:已核实,当面道歉");
    expect(textOf(card)).toContain("状态:处理中");

    // From the DM, through the response_url; each turn tells main.ts to wake the sender.
    const turnsBefore = h.turns.count;
    r = await h.wang.command(`resolve ${number} 已对保安批评教育`);
    expect(h.turns.count).toBe(turnsBefore + 1);
    expect(r.posted).toEqual([expect.objectContaining({ channel: WANG.dm, viaResponseUrl: true })]);
    expect(r.text).toContain("✅ HG-0001 已处理,已请业主确认并评价");
    await h.deliverAll();
    expect(ownerRead(h).at(-1)).toContain("工单 HG-0001 已处理:已对保安批评教育");
    expect(textOf(card)).toContain("状态:已处理");

    // The owner is not satisfied: reopened, the card shows it, the alert lands under the card.
    const beforeRating = h.slack.calls.length;
    r = await h.owner.press("不满意");
    expect(r.text).toContain("工单 HG-0001 已重新处理");
    await h.deliverAll();
    // The alert first, then the card with its 受理 button again: nobody re-claims it unaware (issue 11 §8).
    const toStaff = h.slack.calls.slice(beforeRating).filter((c) => c.params.channel === STAFF_CHANNEL && !c.failed);
    expect(toStaff.map((c) => c.method)).toEqual(["chat.postMessage", "chat.update"]);
    expect(textOf(card)).toContain("状态:重新处理");
    expect(buttonsOf(card).map((b) => b.text.text)).toEqual(["受理", "详情"]);
    expect(h.slack.thread(STAFF_CHANNEL, card.ts).at(-1)!.text).toContain("⚠️ 业主对工单 HG-0001 的处理不满意");
    expect((await h.store.ticketByNumber(number))!.status).toBe("reopened");

    // One card, always edited in place; only the staff's answers and the alert in its thread.
    const top = h.slack.postedTo(STAFF_CHANNEL).filter((m) => !m.thread_ts && !m.viaResponseUrl);
    expect(top).toEqual([card]);
    const updates = h.slack.callsOf("chat.update").filter((c) => c.params.channel === STAFF_CHANNEL);
    expect(updates.length).toBeGreaterThanOrEqual(5);
    expect(updates.every((c) => c.params.ts === card.ts)).toBe(true);
    expect(h.slack.thread(STAFF_CHANNEL, card.ts)).toHaveLength(4);
    // Notices reached the owner's DM (posted to their user id) and nothing is left or dead.
    // (The reopening itself the owner read in answer to their press.)
    expect(h.slack.callsOf("chat.postMessage").filter((c) => c.params.channel === OWNER.user)).toHaveLength(4);
    expect(await h.outbox.due(FAR, 10)).toEqual([]);
    expect(h.logged).toEqual([]);
  });
});

describe("staff on Slack", () => {
  it("lets exactly one of two staff pressing 受理 at once have the ticket; the other is told who has it", async () => {
    const h = await launch();
    await setUp(h);
    const number = await fileComplaint(h);
    await h.deliverAll();
    const card = cardOf(h, number);
    const [a, b] = await Promise.all([h.wang.deliver(h.wang.pressing(card, "受理")), h.li.deliver(h.li.pressing(card, "受理"))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const ticket = (await h.store.ticketByNumber(number))!;
    const winner = (await h.store.personById(ticket.assigneeId!))!;
    const [winnerId, loserId] = winner.platformUserId === WANG.user ? [WANG.user, LI.user] : [LI.user, WANG.user];
    // Each heard only their own answer, under the card.
    const answers = h.slack.thread(STAFF_CHANNEL, card.ts);
    expect(answers.every((m) => m.ephemeral)).toBe(true);
    expect(answers.filter((m) => m.to === winnerId).map(textOf)).toEqual([`✅ ${winner.displayName} 已受理 HG-0001,已通知业主。`]);
    expect(answers.filter((m) => m.to === loserId).map(textOf)).toEqual([`这个工单已经由 ${winner.displayName} 受理了。`]);
    expect((await h.store.ticketEvents(ticket.id)).filter((e) => e.type === "transition")).toHaveLength(1);
    await h.deliverAll();
    expect(ownerRead(h).filter((t) => t.includes("已由") && t.includes("受理"))).toEqual([`您的工单 HG-0001 已由 ${winner.displayName} 受理,将跟进到底。`]);
    expect(h.logged).toEqual([]);
  });

  it("refuses a press by someone who is not staff, and a forged button, changing nothing", async () => {
    const h = await launch();
    await setUp(h);
    const number = await fileComplaint(h);
    await h.deliverAll();
    const card = cardOf(h, number);
    const updatesBefore = h.slack.callsOf("chat.update").length;

    let r = await h.nobody.press(card, "受理");
    expect(r.text).toContain("您不是这个小区的工作人员");
    expect(r.posted).toEqual([expect.objectContaining({ thread_ts: card.ts, ephemeral: true, to: NOBODY.user })]);
    r = await h.wang.press(card, "受理", { value: "claim:JX-0001" });
    expect(r.text).toContain("没有找到工单 JX-0001");
    r = await h.nobody.command(`claim ${number}`, STAFF_CHANNEL);
    expect(r.text).toContain("您不是这个小区的工作人员");
    // The channel does not read a refusal: the command's answer is the asker's alone (issue 11 §4).
    expect(r.posted).toEqual([expect.objectContaining({ ephemeral: true })]);

    expect((await h.store.ticketByNumber(number))!).toMatchObject({ status: "new", assigneeId: null });
    expect(await h.outbox.due(FAR, 10)).toEqual([]);
    await h.deliverAll();
    expect(h.slack.callsOf("chat.update")).toHaveLength(updatesBefore);
    expect(textOf(card)).toContain("状态:待受理");
    expect(h.logged).toEqual([]);
  });

  it("a mistyped command (/guanjia clam) is answered with 'did you mean' and the list, in a channel and in the DM", async () => {
    const h = await launch();
    await setUp(h);
    let r = await h.wang.command("clam HG-0001", STAFF_CHANNEL);
    expect(r.status).toBe(200);
    expect(r.text).toContain("没有 /clam 这个命令。");
    expect(r.text).toContain("您是不是想用 /claim?");
    expect(r.text).toContain("/unclaimed");
    expect(r.posted).toEqual([expect.objectContaining({ ephemeral: true })]);
    r = await h.wang.mention("reslove HG-0001 修好了", STAFF_CHANNEL);
    expect(r.text).toContain("您是不是想用 /resolve?");
    expect(r.posted).toEqual([expect.objectContaining({ ephemeral: true, to: WANG.user })]);
    r = await h.wang.command("clam HG-0001");
    expect(r.text).toContain("您是不是想用 /claim?");
    expect(h.logged).toEqual([]);
  });

  it("still answers a forged signature with 401, before either desk", async () => {
    const h = await launch();
    await setUp(h);
    const calls = h.slack.calls.length;
    const command = encode.command(slashCommand({ text: "claim HG-0001", user: WANG.user, channel: STAFF_CHANNEL, responseUrl: h.slack.responseUrl(STAFF_CHANNEL) }));
    expect((await postSigned(h.endpoint.url, "not-the-secret", command)).status).toBe(401);
    const mention = encode.event(appMention({ text: "claim HG-0001", user: WANG.user, channel: STAFF_CHANNEL }));
    expect((await postSigned(h.endpoint.url, SECRET, mention, { headers: {} })).status).toBe(401);
    expect(h.slack.calls.slice(calls)).toEqual([]);
    expect(h.logged).toEqual(Array(2).fill(expect.stringMatching(/^warn: slack: /)));
  });

  it("ignores channel chatter, storing nothing of it, and answers a mention without a command with what works there", async () => {
    const h = await launch();
    await setUp(h);
    const calls = h.slack.calls.length;
    const chatter = [
      messageEvent({ text: "今天谁值班?", user: LI.user, channel: STAFF_CHANNEL, channelType: "channel", eventId: "Ev0CHATTER1" }),
      messageEvent({ text: "claim HG-0001", user: LI.user, channel: STAFF_CHANNEL, channelType: "channel", eventId: "Ev0CHATTER2" }),
    ];
    for (const event of chatter) expect((await h.li.deliver(encode.event(event))).posted).toEqual([]);
    expect(h.slack.calls.slice(calls)).toEqual([]);
    // Not even their event ids were written down.
    for (const id of ["Ev0CHATTER1", "Ev0CHATTER2"]) expect(await h.store.processed("slack", id)).toBe(false);
    // Addressed without a command: staff are shown the commands, to them alone (issue 10, item 6).
    const addressed = await h.li.deliver(encode.event(appMention({ text: "你好,帮我看看", user: LI.user, channel: STAFF_CHANNEL, eventId: "Ev0CHATTER3" })));
    expect(addressed.posted).toEqual([expect.objectContaining({ channel: STAFF_CHANNEL, ephemeral: true, to: LI.user })]);
    expect(textOf(addressed.posted[0]!)).toContain("/claim");
    expect(await h.store.processed("slack", "Ev0CHATTER3")).toBe(true);
    expect(h.logged).toEqual([]);
  });
});

describe("delivery on Slack", () => {
  it("delivers every message once and in order through a storm of 429s", async () => {
    const h = await launch();
    await setUp(h);
    const number = await fileComplaint(h);
    await h.deliverAll();
    await h.wang.press(cardOf(h, number), "受理");
    const replies = ["第一条回复", "第二条回复", "第三条回复", "第四条回复"];
    for (const text of replies) {
      // People type seconds apart; the outbox orders what was made in the same millisecond by chance.
      h.clock.advance(1_000);
      await h.wang.command(`reply ${number} ${text}`);
    }
    const posts = h.slack.calls.length;
    for (let i = 0; i < 8; i++) h.slack.failNext("chat.postMessage", { status: 429, retryAfter: 2 });

    const started = Date.now();
    await h.deliverAll();
    expect(Date.now() - started).toBeLessThan(2_000); // the Retry-After went by on the test's clock
    const tried = h.slack.calls.slice(posts).filter((c) => c.method === "chat.postMessage");
    expect(tried.filter((c) => c.failed === "429")).toHaveLength(8);
    const toOwner = tried.filter((c) => !c.failed && c.params.channel === OWNER.user).map((c) => String(c.params.text));
    expect(toOwner).toEqual([
      expect.stringContaining("已由 王磊 受理"),
      ...replies.map((text) => expect.stringContaining(`工作人员回复:${text}`)),
    ]);
    expect(textOf(cardOf(h, number))).toContain("状态:处理中");
    expect(await h.outbox.due(FAR, 10)).toEqual([]);
    expect(h.logged).toEqual([]);
  });

  it("posts the card anew when it was deleted in Slack, and keeps editing the new one", async () => {
    const h = await launch();
    await setUp(h);
    const number = await fileComplaint(h);
    await h.deliverAll();
    const old = cardOf(h, number);
    h.slack.messages.delete(`${STAFF_CHANNEL}/${old.ts}`);
    await h.wang.press(old, "受理");
    await h.deliverAll();
    const fresh = cardOf(h, number);
    expect(fresh.ts).not.toBe(old.ts);
    expect(textOf(fresh)).toContain("状态:已受理 · 跟进人:王磊");
    expect(h.slack.calls.filter((c) => c.method === "chat.update" && c.params.channel === STAFF_CHANNEL).map((c) => c.params.ts)).toEqual([old.ts]);
    // The next change edits the card that is there now, and answers go under it.
    h.clock.advance(1_000);
    const r = await h.wang.command(`promise ${number} 2h`, STAFF_CHANNEL);
    expect(r.posted).toEqual([expect.objectContaining({ thread_ts: fresh.ts })]);
    await h.deliverAll();
    expect(h.slack.calls.filter((c) => c.method === "chat.update" && c.params.channel === STAFF_CHANNEL).map((c) => c.params.ts)).toEqual([old.ts, fresh.ts]);
    expect(textOf(fresh)).toContain("应回复业主");
    expect(h.logged).toEqual([]);
  });

  it("acts once on an event Slack delivers again, even after a restart", async () => {
    const h = await launch();
    await setUp(h);
    const number = await fileComplaint(h);
    await h.deliverAll();
    const card = cardOf(h, number);
    const note = encode.event(appMention({ text: `note ${number} 当班的是张某`, user: WANG.user, channel: STAFF_CHANNEL, threadTs: card.ts, eventId: "Ev0NOTE1" }));
    const first = await h.wang.deliver(note);
    expect(first.text).toContain("📝 已为 HG-0001 添加内部备注");
    const again = await h.wang.deliver(note);
    expect(again).toMatchObject({ status: 200, posted: [] });
    await h.restart();
    const afterRestart = await h.wang.deliver(note);
    expect(afterRestart).toMatchObject({ status: 200, posted: [] });
    const ticket = (await h.store.ticketByNumber(number))!;
    expect((await h.store.ticketEvents(ticket.id)).filter((e) => e.type === "note")).toHaveLength(1);
    expect(h.logged).toEqual([]);
  });

  it("stops posting to a channel the bot was removed from", async () => {
    const h = await launch();
    await setUp(h);
    const ref = { platform: "slack", chatId: STAFF_CHANNEL } as const;
    // Someone else leaving changes nothing.
    await h.li.deliver(encode.event(memberLeftChannel({ user: LI.user, channel: STAFF_CHANNEL })));
    expect((await h.store.chatBinding(ref))!.active).toBe(true);

    const removal = memberLeftChannel({ user: BOT.userId, channel: STAFF_CHANNEL, eventId: "Ev0REMOVED" });
    h.slack.leave(STAFF_CHANNEL);
    await h.admin.deliver(encode.event(removal));
    await h.admin.deliver(encode.event(removal)); // redelivered: reported once
    expect((await h.store.chatBinding(ref))!.active).toBe(false);
    expect(h.gone).toEqual([{ from: "app", to: ref, reason: "member_left_channel" }]);

    const calls = h.slack.calls.length;
    await fileComplaint(h);
    await h.deliverAll();
    expect(h.slack.calls.slice(calls).filter((c) => c.params.channel === STAFF_CHANNEL)).toEqual([]);
    expect(h.logged).toEqual([]);
  });

  it("gives up a channel whose posts come back not_in_channel, and hears channel_left and group_left", async () => {
    const h = await launch();
    await setUp(h);
    // Removed without the event reaching us: the queued card is what finds out.
    h.slack.leave(STAFF_CHANNEL);
    await fileComplaint(h);
    await h.deliverAll();
    const ref = { platform: "slack", chatId: STAFF_CHANNEL } as const;
    expect(h.gone).toEqual([{ from: "sender", to: ref, reason: "not_in_channel" }]);
    expect((await h.store.chatBinding(ref))!.active).toBe(false);

    for (const [type, channel] of [["channel_left", "C0OTHER"], ["group_left", "G0PRIVATE"]] as const) {
      await h.admin.command(`bind ${await invite(h, { kind: "bind", purpose: "staff", department: null })}`, channel);
      await h.admin.deliver(encode.event(leftEvent(type, channel)));
      expect((await h.store.chatBinding({ platform: "slack", chatId: channel }))!.active).toBe(false);
      expect(h.gone.at(-1)).toEqual({ from: "app", to: { platform: "slack", chatId: channel }, reason: type });
    }
    expect(h.logged).toEqual([]);
  });
});

describe("a person named in a slash command", () => {
  it("reaches the core as an id the store can find, not as the label's display name", async () => {
    const { staffCommandOf } = await import("../../../src/adapters/slack/staff.js");
    expect(staffCommandOf("transfer HG-0001 <@U123ABC|wang> 业主下午在家")).toEqual({ command: "transfer", args: "HG-0001 @U123ABC 业主下午在家" });
  });
});
