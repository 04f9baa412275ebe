/**
 * An owners' channel (业主群) on Slack, through real Bolt (HTTP receiver, signed requests) and the
 * fake Web API: the app answers only when addressed, opens the owner's DM itself and carries the
 * matter there, tells the owner alone where to continue, and the channel later sees only the
 * masked confirmation, delivered through the outbox. A bound staff channel is left as it was.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { channelRequest } from "../../../src/adapters/slack/events.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { appMention, BOT, buttonsOf, encode, messageEvent, OWNER, slashCommand, SlackOwner, TEAM, textOf, type Encoded, type Heard, type PostedMessage } from "../../fakes/slack.js";
import { slackWorlds, type SlackWorld } from "../../fakes/slack-socket.js";
import { backends } from "../../support/db.js";

const OWNERS = "C0OWNERS";
const STAFF = "C0STAFF";
const DM_LINK = `https://slack.com/app_redirect?app=${BOT.appId}&team=${TEAM.id}`;

let renderer: Renderer;
beforeAll(async () => {
  renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
});

describe("what an owner asks for in a channel", () => {
  it("is a matter in their words, or an owner command to run in their DM", () => {
    expect(channelRequest("  5栋电梯又坏了  ")).toEqual({ type: "matter", text: "5栋电梯又坏了" });
    expect(channelRequest("repair 5栋电梯又坏了")).toEqual({ type: "matter", text: "5栋电梯又坏了" });
    expect(channelRequest("status HG-0001")).toEqual({ type: "command", command: "status", args: "HG-0001" });
    expect(channelRequest("/LIST")).toEqual({ type: "command", command: "list", args: "" });
    expect(channelRequest("complaint")).toEqual({ type: "command", command: "complaint", args: "" });
    expect(channelRequest("")).toEqual({ type: "matter", text: "" });
    // Slack's markup is read back to what was typed.
    expect(channelRequest("门口 &lt;3号岗&gt; 没人")).toEqual({ type: "matter", text: "门口 <3号岗> 没人" });
  });
});

describe.each(backends())("an owners' channel on Slack on $name", (backend) => {
  const openWorld = slackWorlds();

  interface Harness extends SlackWorld {
    readonly owner: SlackOwner;
    /** Signs and posts an Events API envelope, a slash command or an interaction, as Slack would. */
    deliver: SlackOwner["deliver"];
  }

  async function launch(): Promise<Harness> {
    const world = await openWorld({ open: () => backend.open(), renderer, mode: { kind: "http", port: 0, host: "127.0.0.1" } });
    const owner = new SlackOwner(world.slack, world.endpoint!);
    return Object.assign(world, { owner, deliver: (encoded: Encoded) => owner.deliver(encoded) });
  }

  /** The owner writes `@管家 <text>` in `channel`. */
  function mention(h: Harness, text: string, o: { channel?: string; threadTs?: string; eventId?: string } = {}): Promise<Heard> {
    return h.deliver(encode.event(appMention({ text, user: OWNER.user, channel: o.channel ?? OWNERS, ...o })));
  }

  function command(h: Harness, text: string, channel = OWNERS): Promise<Heard> {
    return h.deliver(encode.command(slashCommand({ text, channel, responseUrl: h.slack.responseUrl(channel) })));
  }

  /** What is in the channel for everyone to read: neither ephemeral nor meant for one person. */
  function publicIn(h: Harness, channel: string): PostedMessage[] {
    return h.slack.postedTo(channel).filter((m) => !m.ephemeral);
  }

  function linkOf(message: PostedMessage): string | undefined {
    const blocks = message.blocks as { type?: string; elements?: { url?: string }[] }[];
    return blocks.flatMap((b) => (b.type === "actions" ? (b.elements ?? []) : [])).find((e) => e.url)?.url;
  }

  it("answers only when addressed, carries the matter to the DM, and confirms back masked", async () => {
    const h = await launch();
    // Chatter in a channel, if Slack ever sent it: not read, not stored.
    const chatter = await h.deliver(encode.event(messageEvent({ text: "大家好,今天停水吗", channel: OWNERS, channelType: "channel", eventId: "Ev0CHATTER" })));
    expect(chatter.posted).toEqual([]);

    const r = await mention(h, "5栋电梯又坏了,困了一个老人", { eventId: "Ev0ELEVATOR" });
    // The app opened the DM itself; the next question waits there.
    expect(h.front.calls.filter((c) => c.method === "conversations.open").map((c) => c.params.users)).toEqual([OWNER.user]);
    const dm = r.posted.filter((m) => m.channel === OWNER.channel);
    expect(dm.map(textOf).join("\n")).toContain("您之前还提到:“5栋电梯又坏了,困了一个老人”");
    // In the channel: one answer, to the owner alone, with a button that opens the DM.
    const inChannel = r.posted.filter((m) => m.channel === OWNERS);
    expect(inChannel).toEqual([expect.objectContaining({ ephemeral: true, to: OWNER.user })]);
    expect(textOf(inChannel[0]!)).toContain("在私聊中继续");
    expect(buttonsOf(inChannel[0]!).map((b) => b.text.text)).toEqual(["私聊继续登记"]);
    expect(linkOf(inChannel[0]!)).toBe(DM_LINK);
    // Pressing the link button reaches the app too; it is acknowledged and changes nothing.
    const pressed = await h.deliver(
      encode.interaction({
        type: "block_actions",
        user: { id: OWNER.user },
        team: { id: TEAM.id },
        api_app_id: BOT.appId,
        container: { type: "message", message_ts: inChannel[0]!.ts, channel_id: OWNERS, is_ephemeral: true },
        channel: { id: OWNERS },
        response_url: h.slack.responseUrl(OWNERS),
        actions: [{ action_id: "link", block_id: "link", type: "button", text: { type: "plain_text", text: "私聊继续登记" }, action_ts: "1.1" }],
      }),
    );
    expect(pressed).toMatchObject({ status: 200, posted: [] });
    // Slack delivering the mention again changes nothing.
    expect((await mention(h, "5栋电梯又坏了,困了一个老人", { eventId: "Ev0ELEVATOR" })).posted).toEqual([]);
    expect(await h.store.processed("slack", "Ev0CHATTER")).toBe(false);

    // The owner goes on in the DM.
    let said = await h.owner.press("是");
    expect(said.text).toContain("【报修 · 工程维修】");
    for (const answer of ["1", "5-1201", "王大明", "13900001111", "公共区域", "5栋电梯", "跳过", "跳过"]) said = await h.owner.say(answer);
    said = await h.owner.say("1");
    expect(said.text).toContain("工单号 HG-0001");
    expect(publicIn(h, OWNERS)).toEqual([]);

    // Through the outbox, the channel gets the ticket number and a masked name, nothing more.
    await h.deliverAll();
    const confirmation = publicIn(h, OWNERS);
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]!.thread_ts).toBeUndefined();
    expect(textOf(confirmation[0]!)).toBe("王** 反映的事项已登记为工单 HG-0001,我们会私下跟进。");
    const ticket = (await h.store.ticketByNumber("HG-0001"))!;
    expect(ticket.description).toContain("5栋电梯又坏了");
    expect(h.logged).toEqual([]);
  });

  it("takes /guanjia in an owners' channel to the DM, answering the owner through the response_url", async () => {
    const h = await launch();
    let r = await command(h, "楼道灯不亮");
    expect(r.posted.filter((m) => m.channel === OWNER.channel).map(textOf).join("\n")).toContain("您之前还提到:“楼道灯不亮”");
    const answer = r.posted.filter((m) => m.channel === OWNERS);
    expect(answer).toEqual([expect.objectContaining({ viaResponseUrl: true, ephemeral: true })]);
    expect(linkOf(answer[0]!)).toBe(DM_LINK);

    // An owner command runs in the DM: a ticket's status is nobody else's business.
    r = await command(h, "list");
    expect(r.posted.filter((m) => m.channel === OWNER.channel).map(textOf).join("\n")).toContain("您还没有登记过工单");
    expect(r.posted.filter((m) => m.channel === OWNERS).every((m) => m.ephemeral)).toBe(true);
    expect(publicIn(h, OWNERS)).toEqual([]);
    expect(h.logged).toEqual([]);
  });

  it("greets a bare mention in the DM, and answers in the thread it was asked in", async () => {
    const h = await launch();
    const r = await mention(h, "", { threadTs: "1763000000.000100" });
    const dm = r.posted.filter((m) => m.channel === OWNER.channel).map(textOf).join("\n");
    expect(dm).not.toContain("您之前还提到");
    expect(r.posted.filter((m) => m.channel === OWNERS)).toEqual([expect.objectContaining({ ephemeral: true, thread_ts: "1763000000.000100" })]);
    expect(h.logged).toEqual([]);
  });

  it("replies under the mention when it cannot answer the owner alone, and says so when the DM cannot be opened", async () => {
    const h = await launch();
    h.slack.failNext("chat.postEphemeral", { error: "user_not_in_channel" });
    let r = await mention(h, "垃圾两天没人收");
    const reply = r.posted.filter((m) => m.channel === OWNERS);
    expect(reply).toEqual([expect.objectContaining({ thread_ts: expect.any(String) })]);
    expect(reply[0]!.ephemeral).toBeUndefined();
    expect(textOf(reply[0]!)).toContain("在私聊中继续");
    expect(h.logged).toEqual([expect.stringMatching(/^warn: slack: could not answer U0OWNER1 ephemerally/)]);

    // Someone the app cannot DM (conversations.open: user_not_found) hears of it, and nothing is kept.
    h.slack.addUser({ id: "U0GUEST", name: "访客", locale: "zh-CN" });
    r = await h.deliver(encode.event(appMention({ text: "停车场的灯坏了", user: "U0GUEST", channel: OWNERS })));
    expect(r.posted).toEqual([expect.objectContaining({ channel: OWNERS, ephemeral: true, to: "U0GUEST" })]);
    expect(textOf(r.posted[0]!)).toContain("系统刚才出了点问题");
    expect(h.logged.at(-1)).toMatch(/^error: slack: could not open a DM with U0GUEST/);
  });

  it("hands nothing off from a bound staff channel: whoever addressed the bot there is told, alone, whose channel it is", async () => {
    const h = await launch();
    const property = (await h.store.properties())[0]!;
    await h.store.bindChat({ platform: "slack", chatId: STAFF, propertyId: property.id, purpose: "staff", department: null }, new Date());
    // Not staff: told whose channel it is and how to join, to them alone, never silence (issue 10, item 6).
    const said = (await mention(h, "电梯坏了", { channel: STAFF, eventId: "Ev0INSTAFF" })).posted;
    expect(said).toEqual([expect.objectContaining({ channel: STAFF, ephemeral: true })]);
    expect(textOf(said[0]!)).toContain(property.name);
    const typed = (await command(h, "电梯坏了", STAFF)).posted;
    expect(typed).toHaveLength(1);
    expect(textOf(typed[0]!)).toBe(textOf(said[0]!));
    expect(h.front.calls).toEqual([]);
    expect(await h.store.processed("slack", "Ev0INSTAFF")).toBe(true);
    // A staff command there still goes to the staff desk.
    const r = await mention(h, "unclaimed", { channel: STAFF });
    expect(r.posted).toEqual([expect.objectContaining({ channel: STAFF })]);
    expect(h.logged).toEqual([]);
  });
});

describe("the Slack app manifest", () => {
  it("subscribes to no channel messages, so owners' chatter never reaches the app", () => {
    const manifest = readFileSync(new URL("../../../deploy/slack-app-manifest.yml", import.meta.url), "utf8");
    const events = /bot_events:\n((?:\s+- \S+.*\n)+)/.exec(manifest)?.[1]?.match(/- (\S+)/g)?.map((e) => e.slice(2)) ?? [];
    expect(events).toContain("app_mention");
    expect(events).toContain("message.im");
    expect(events.filter((e) => e.startsWith("message.") && e !== "message.im")).toEqual([]);
    const scopes = /bot:\n((?:\s+- \S+.*\n)+)/.exec(manifest)?.[1]?.match(/- (\S+)/g)?.map((e) => e.slice(2)) ?? [];
    // Opening the owner's DM (conversations.open) and answering them alone (chat.postEphemeral).
    expect(scopes).toEqual(expect.arrayContaining(["im:write", "chat:write", "app_mentions:read"]));
    expect(scopes.filter((s) => /^(channels|groups|mpim):history$/.test(s))).toEqual([]);
  });
});
