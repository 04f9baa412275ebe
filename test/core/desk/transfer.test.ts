/**
 * `/transfer HG-0001 @name`: a ticket handed to a colleague, through StaffDesk.handle with the
 * inbound messages the Telegram and Slack adapters make, on SQLite and PostgreSQL. The owner files
 * through the real OwnerDesk on Telegram, so their notices are queued like a real owner's.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import type { Sender } from "../../../src/core/messages.js";
import type { NewOutboxMessage } from "../../../src/core/outbox.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { mentionCommand, staffFromMention } from "../../../src/adapters/slack/staff.js";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import { parseMention } from "../../../src/core/staff/mention.js";
import type { StaffRole } from "../../../src/core/staff/roles.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { backends, type TestStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

const GROUP = "-100777";
const SLACK_GROUP = "C0STAFF01";
const OWNER: Sender = { platformUserId: "9001", displayName: "张三", username: "zhang_san" };
const WANG: Sender = { platformUserId: "2001", displayName: "王强", username: "Wang_Q" };
const LI: Sender = { platformUserId: "2002", displayName: "李娜", username: "li_na" };
const BOSS: Sender = { platformUserId: "2003", displayName: "陈主管", username: "boss_chen" };
const ZHAO: Sender = { platformUserId: "2004", displayName: "赵六", username: "zhao6" };
const STRANGER: Sender = { platformUserId: "2005", displayName: "路人", username: "passer" };
const SLACK_WANG: Sender = { platformUserId: "U0WANG001", displayName: "王强" };
const SLACK_LI: Sender = { platformUserId: "U0LINA002", displayName: "李娜" };
/** In zone A: a zone-B specialist may not have it. */
const COMPLAINT = ["保安态度太差了,我要投诉", "1", "A区5栋2单元301", "王先生", "13900001111", "公共区域", "南门岗亭", "跳过", "1"];
const HOUR = 3600_000;

describe.each(backends())("transfer to a person on $name", (backend) => {
  let opened: TestStore;
  let store: Stores;
  let clock: TestClock;
  let renderer: Renderer;
  let staffDesk: StaffDesk;
  let ownerDesk: OwnerDesk;
  let errors: unknown[];

  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
    await store.createProperty(DEMO_PROPERTY);
    clock = new TestClock();
    renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    errors = [];
    staffDesk = new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" });
    ownerDesk = new OwnerDesk({ store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)) });
  });
  afterEach(async () => {
    expect(errors).toEqual([]);
    await opened.close();
  });

  /** What a staff member is told for a command typed in the staff group (or a private chat), rendered. */
  async function staff(from: Sender, text: string, opts: { platform?: "telegram" | "slack"; where?: "group" | "private" } = {}): Promise<string> {
    const platform = opts.platform ?? "telegram";
    const where = opts.where ?? "group";
    const [, command = "", args = ""] = /^\/(\S+)\s*([\s\S]*)$/.exec(text) ?? [];
    const group = platform === "slack" ? SLACK_GROUP : GROUP;
    const outcome = await staffDesk.handle({
      channel: platform,
      chat: { id: where === "group" ? group : from.platformUserId, kind: where },
      sender: from,
      body: { type: "command", command, args },
    });
    return outcome.replies.map((r) => renderer.reply(r, outcome.locale).text).join("\n");
  }

  async function fileComplaint(): Promise<TicketRecord> {
    for (const text of COMPLAINT) {
      clock.advance(1000);
      await ownerDesk.handle({ channel: "telegram", conversationKey: `telegram:${OWNER.platformUserId}:${OWNER.platformUserId}`, sender: OWNER, body: { type: "text", text } });
    }
    return (await store.ticketByNumber("HG-0001"))!;
  }

  /** The staff group bound by /bind, and each colleague's /join in a private chat, as on Telegram. */
  async function setUp(platform: "telegram" | "slack" = "telegram"): Promise<void> {
    const property = (await store.properties())[0]!;
    const invite = async (grant: Parameters<Stores["createInvite"]>[0]["grant"]) =>
      (await store.createInvite({ propertyId: property.id, grant, expiresAt: new Date(clock.now().getTime() + 86_400_000), createdAt: clock.now() })).code;
    const join = async (who: Sender, role: StaffRole, zone: string | null = null) => {
      const zoneId = zone ? property.zones.find((z) => z.code === zone)!.id : null;
      expect(await staff(who, `/join ${await invite({ kind: "join", role, zoneId })}`, { platform, where: "private" })).toContain("您已成为【虹港家园】");
    };
    if (platform === "slack") {
      expect(await staff(SLACK_WANG, `/bind ${await invite({ kind: "bind", purpose: "staff", department: null })}`, { platform })).toContain("客服工作群");
      await join(SLACK_WANG, "zone_specialist", "A");
      await join(SLACK_LI, "front_desk");
      return;
    }
    expect(await staff(WANG, `/bind ${await invite({ kind: "bind", purpose: "staff", department: null })}`)).toContain("客服工作群");
    await join(WANG, "zone_specialist", "A");
    await join(LI, "front_desk");
    await join(BOSS, "supervisor");
    await join(ZHAO, "zone_specialist", "B");
    // Someone the bot knows (they wrote to it) who is not staff.
    await store.person({ platform: "telegram", platformUserId: STRANGER.platformUserId, username: STRANGER.username, locale: "zh-CN" });
  }

  const person = async (s: Sender, platform: "telegram" | "slack" = "telegram"): Promise<PersonRecord> =>
    (await store.findPerson(platform, { platformUserId: s.platformUserId }))!;

  /** Takes what is queued (and marks it sent), so each step's messages can be checked alone. */
  async function queued(): Promise<NewOutboxMessage[]> {
    const rows = await opened.outbox.due(new Date("3000-01-01T00:00:00Z"), 100);
    for (const r of rows) await opened.outbox.markSent(r.id, clock.now());
    return rows.map((r) => r.message);
  }

  /** The rendered text of each message queued to a chat. */
  const textsTo = (messages: NewOutboxMessage[], chatId: string): string[] =>
    messages.flatMap((m) => (m.kind === "message" && m.to.chatId === chatId ? [m.body.text.map((x) => renderer.text(x, m.body.locale)).join("\n")] : []));

  it("the front desk hands a new ticket to the zone's 管家: claimed for them, told in private with the reply time owed; the owner told", async () => {
    await setUp();
    const filed = await fileComplaint();
    expect(filed.status).toBe("new");
    await queued();
    clock.advance(10 * 60_000);

    // Telegram usernames are case-insensitive: stored as "Wang_Q", typed in lower case.
    const reply = await staff(LI, "/transfer HG-0001 @wang_q 业主下午三点后在家");
    expect(reply).toBe("📨 HG-0001 已转交 @wang_q(已私信通知对方,并告知业主)。");
    const wang = await person(WANG);
    const ticket = (await store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ status: "claimed", assigneeId: wang.id });
    expect(ticket.claimedAt).toEqual(clock.now());
    expect(ticket.firstResponseAt).toBeNull(); // telling the owner who follows it is not yet an answer

    const events = await store.ticketEvents(ticket.id);
    expect(events.at(-1)).toMatchObject({
      type: "transferred",
      actorId: (await person(LI)).id,
      channel: "telegram",
      fromStatus: "new",
      toStatus: "claimed",
      data: { to: wang.id, note: "业主下午三点后在家" },
    });

    const out = await queued();
    expect(out).toContainEqual({ kind: "card", to: { platform: "telegram", chatId: GROUP }, ticketId: ticket.id });
    expect(textsTo(out, OWNER.platformUserId)).toEqual(["您的工单 HG-0001 现由 王强 负责跟进,有进展会及时告诉您。"]);
    const dm = textsTo(out, WANG.platformUserId);
    expect(dm).toHaveLength(1);
    expect(dm[0]).toContain("📨 李娜 把工单 HG-0001 转交给您跟进:");
    expect(dm[0]).toContain("🆕 HG-0001 · 投诉 · 言行举止");
    expect(dm[0]).toContain("房号:A-5-2-301(A区)");
    expect(dm[0]).toContain("交代:业主下午三点后在家");
    // The reply promised at filing (a complaint: within 4 hours of 10:00 Shanghai time).
    expect(dm[0]).toContain("⏰ 已答应业主 11月23日 14:00 前答复,请按时跟进。");
    const button = out.find((m) => m.kind === "message" && m.to.chatId === WANG.platformUserId);
    expect(button?.kind === "message" && button.body.choices?.map((c) => c.value)).toEqual(["ticket:HG-0001"]);
    // Nobody else hears of it: the group's card is refreshed, no one else is messaged.
    expect(out.filter((m) => m.kind === "message").map((m) => m.to.chatId).sort()).toEqual([WANG.platformUserId, OWNER.platformUserId].sort());

    // The 管家 now works it as their own.
    expect(await staff(WANG, "/mine", { where: "private" })).toContain("HG-0001 投诉 · 已受理");
  });

  it("a ticket being worked changes hands and keeps its status and first claim; the one who had it is told", async () => {
    await setUp();
    await fileComplaint();
    expect(await staff(WANG, "/claim HG-0001")).toContain("已受理 HG-0001");
    const firstClaim = (await store.ticketByNumber("HG-0001"))!.claimedAt;
    await staff(WANG, "/reply HG-0001 已联系保安队长");
    expect(await staff(WANG, "/promise HG-0001 18:00")).toContain("18:00 前答复");
    await queued();
    clock.advance(HOUR);

    // Only the follower or a lead may pass it on.
    expect(await staff(LI, "/transfer HG-0001 @boss_chen")).toContain("这个工单由 王强 跟进");
    expect(await staff(BOSS, "/transfer HG-0001 @li_na 王强今天请假")).toContain("已转交 @li_na");
    const li = await person(LI);
    const ticket = (await store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ status: "in_progress", assigneeId: li.id, claimedAt: firstClaim });
    expect((await store.ticketEvents(ticket.id)).at(-1)).toMatchObject({ type: "transferred", fromStatus: "in_progress", toStatus: "in_progress", data: { to: li.id } });

    const out = await queued();
    expect(textsTo(out, LI.platformUserId)[0]).toContain("⏰ 已答应业主 11月23日 18:00 前答复,请按时跟进。");
    expect(textsTo(out, LI.platformUserId)[0]).toContain("交代:王强今天请假");
    expect(textsTo(out, WANG.platformUserId)).toEqual(["工单 HG-0001 已由 陈主管 转交 李娜 跟进,您不用再跟进了。"]);
    expect(textsTo(out, OWNER.platformUserId)).toEqual(["您的工单 HG-0001 现由 李娜 负责跟进,有进展会及时告诉您。"]);

    // Now it is 李娜's: she passes it back herself, and is not told of her own doing.
    expect(await staff(LI, "/transfer HG-0001 @li_na")).toContain("工单 HG-0001 已经由 李娜 跟进");
    expect(await staff(WANG, "/resolve HG-0001 x")).toContain("这个工单由 李娜 跟进");
    expect(await staff(LI, "/transfer HG-0001 @Wang_Q")).toContain("已转交 @Wang_Q");
    const back = await queued();
    expect(textsTo(back, LI.platformUserId)).toEqual([]);
    // The promise made to the owner goes with the ticket.
    expect(textsTo(back, WANG.platformUserId)[0]).toContain("18:00 前答复");
  });

  it("refuses clearly: unknown names, colleagues of another zone, non-staff, finished tickets, bad input; department transfer still works", async () => {
    await setUp();
    const filed = await fileComplaint();
    const property = (await store.properties())[0]!;
    await store.bindChat({ platform: "telegram", chatId: "-100888", propertyId: property.id, purpose: "department", department: "工程部" }, clock.now());
    await queued();

    expect(await staff(LI, "/transfer HG-0001 @nobody")).toBe("不认识 @nobody:对方需要先私聊过我(例如用 /join 加入),请检查用户名后再试。");
    expect(await staff(LI, "/transfer HG-0001 @zhao6")).toContain("赵六 不是这个工单所在小区(或区域)的工作人员");
    expect(await staff(LI, "/transfer HG-0001 @passer")).toContain("不是这个工单所在小区(或区域)的工作人员");
    expect(await staff(STRANGER, "/transfer HG-0001 @li_na", { where: "private" })).toContain("您还不是任何小区的工作人员");
    expect(await staff(LI, "/transfer HG-0001")).toContain("用法:/transfer 工单号 @同事");
    expect(await staff(LI, "/transfer HG-0001 @")).toContain("用法:/transfer 工单号 @同事");
    expect(await staff(LI, "/transfer HG-0001 <@bad")).toContain("用法:/transfer 工单号 @同事");
    // A username that is someone's on Slack is nobody's on Telegram.
    await store.person({ platform: "slack", platformUserId: "U0SLACK99", username: "slacker", locale: "zh-CN" });
    expect(await staff(LI, "/transfer HG-0001 @slacker")).toContain("不认识 @slacker");
    expect((await store.ticketByNumber("HG-0001"))).toMatchObject({ status: "new", assigneeId: null });
    expect(await queued()).toEqual([]);

    expect(await staff(LI, "/transfer HG-0001 工程部")).toBe("📨 HG-0001 已转交 工程部。");
    expect(await queued()).toContainEqual({ kind: "card", to: { platform: "telegram", chatId: "-100888" }, ticketId: filed.id });

    await staff(WANG, "/claim HG-0001");
    await staff(WANG, "/resolve HG-0001 已批评教育");
    expect(await staff(WANG, "/transfer HG-0001 @li_na")).toContain("工单 HG-0001 当前的状态不能这样操作");
  });

  it("a reopened ticket handed on is claimed again with the first claim's time kept", async () => {
    await setUp();
    await fileComplaint();
    await staff(WANG, "/claim HG-0001");
    const firstClaim = (await store.ticketByNumber("HG-0001"))!.claimedAt!;
    await staff(WANG, "/resolve HG-0001 已处理");
    await staff(BOSS, "/callback HG-0001 不满意 业主说没人道歉");
    expect((await store.ticketByNumber("HG-0001"))!.status).toBe("reopened");
    clock.advance(2 * HOUR);
    await queued();
    // Reopened is unclaimed: the front desk may hand it out, even back to who had it.
    expect(await staff(LI, "/transfer HG-0001 @boss_chen")).toContain("已转交 @boss_chen");
    const ticket = (await store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ status: "claimed", assigneeId: (await person(BOSS)).id });
    expect(ticket.claimedAt).toEqual(firstClaim);
    // Whoever followed it before the reopening learns it is someone else's now.
    expect(textsTo(await queued(), WANG.platformUserId)).toEqual(["工单 HG-0001 已由 李娜 转交 陈主管 跟进,您不用再跟进了。"]);
  });

  it("a reopened ticket claimed by a colleague: whoever followed it is told; its follower claiming it back is told nothing", async () => {
    await setUp();
    await fileComplaint();
    for (const [who, command] of [[WANG, "/claim HG-0001"], [WANG, "/resolve HG-0001 已处理"], [BOSS, "/reopen HG-0001 业主说没人道歉"]] as const) await staff(who, command);
    await queued();
    await staff(WANG, "/claim HG-0001");
    expect(textsTo(await queued(), WANG.platformUserId)).toEqual([]);
    await staff(WANG, "/resolve HG-0001 已道歉");
    await staff(BOSS, "/reopen HG-0001 还是不满意");
    await queued();
    await staff(LI, "/claim HG-0001");
    expect(textsTo(await queued(), WANG.platformUserId)).toEqual(["工单 HG-0001 重新打开后已由 李娜 受理跟进,您不用再跟进了。"]);
    expect((await store.ticketByNumber("HG-0001"))!.assigneeId).toBe((await person(LI)).id);
  });

  it("on Slack: the colleague named by <@U…|name> or by the @U… the adapter leaves of <@U…>", async () => {
    await setUp("slack");
    await fileComplaint();
    await queued();
    const slackWang = await person(SLACK_WANG, "slack");
    expect(await staff(SLACK_LI, "/transfer HG-0001 <@U0WANG001|wang>", { platform: "slack" })).toBe("📨 HG-0001 已转交 @wang(已私信通知对方,并告知业主)。");
    expect((await store.ticketByNumber("HG-0001"))).toMatchObject({ status: "claimed", assigneeId: slackWang.id });
    const out = await queued();
    expect(out).toContainEqual({ kind: "card", to: { platform: "slack", chatId: SLACK_GROUP }, ticketId: (await store.ticketByNumber("HG-0001"))!.id });
    const dm = out.find((m) => m.to.chatId === SLACK_WANG.platformUserId);
    expect(dm).toMatchObject({ kind: "message", to: { platform: "slack", chatId: "U0WANG001" } });

    // `@管家 transfer HG-0001 @李娜` as Slack delivers it, through the Slack adapter's translation.
    const event = { type: "app_mention", user: SLACK_WANG.platformUserId, channel: SLACK_GROUP, text: "<@U0BOT0001> transfer HG-0001 <@U0LINA002>", ts: "1.1" };
    const inbound = staffFromMention(event, mentionCommand(event, "U0BOT0001")!)!;
    const outcome = await staffDesk.handle(inbound);
    expect(outcome.replies.map((x) => renderer.reply(x, outcome.locale).text).join("\n")).toContain("已转交 @U0LINA002");
    expect((await store.ticketByNumber("HG-0001"))!.assigneeId).toBe((await person(SLACK_LI, "slack")).id);
    expect(await staff(SLACK_LI, "/transfer HG-0001 <@U0NOBODY9>", { platform: "slack" })).toContain("不认识 @U0NOBODY9");
  });

  it("usernames come from the senders and are kept fresh; looking a handle up never creates anyone", async () => {
    await fileComplaint();
    expect((await person(OWNER)).username).toBe("zhang_san");
    await staff({ ...WANG, username: "wq_new" }, "/where", { where: "private" });
    expect((await person(WANG)).username).toBe("wq_new");
    expect(await store.findPerson("telegram", { username: "WQ_NEW" })).toMatchObject({ platformUserId: WANG.platformUserId });
    expect(await store.findPerson("telegram", { username: "ghost" })).toBeNull();
    expect(await store.findPerson("telegram", { platformUserId: "777" })).toBeNull();
    expect(await store.findPerson("slack", { platformUserId: OWNER.platformUserId })).toBeNull();
    expect(await store.personById("777")).toBeNull();
    // A handle that moved to another account belongs to whoever showed it last.
    clock.advance(1000);
    await staff({ platformUserId: "3003", displayName: "新号", username: "zhang_san" }, "/where", { where: "private" });
    expect((await store.findPerson("telegram", { username: "Zhang_San" }))!.platformUserId).toBe("3003");
  });
});

describe("mentions", () => {
  it("reads @names and Slack's markup; anything else is not a mention", () => {
    expect(parseMention("@wang_q")).toEqual({ name: "wang_q" });
    expect(parseMention("<@U0WANG001>")).toEqual({ id: "U0WANG001", label: "U0WANG001" });
    expect(parseMention("<@U0WANG001|王强>")).toEqual({ id: "U0WANG001", label: "王强" });
    for (const word of ["工程部", "@", "@王强", "<@u0wang>", "wang", "<@U0WANG001", ""]) expect(parseMention(word), word).toBeNull();
  });
});
