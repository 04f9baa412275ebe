/**
 * The Slack adapter through the real Bolt HTTPReceiver on loopback: signed requests in, a fake
 * Web API out, a real desk over SQLite with the real catalogs in between.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { createSlackApp, type SlackAppOptions } from "../../../src/adapters/slack/bolt.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import type { Inbound } from "../../../src/core/messages.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import {
  BOT,
  encode,
  FakeSlack,
  imageFile,
  messageEvent,
  OWNER,
  postSigned,
  SlackOwner,
  slashCommand,
  urlVerification,
  editedMessageEvent,
  pressButton,
} from "../../fakes/slack.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { freshSqliteStore } from "../../support/db.js";
import { lineLogger, quietLogger } from "../../support/logger.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

const SECRET = "test-signing-secret";
const TOKEN = "xoxb-test";
const EN = { user: "U0OWNEREN", channel: "D0OWNEREN" } as const;

let renderer: Renderer;
beforeAll(async () => {
  renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
});

interface Harness {
  readonly slack: FakeSlack;
  readonly store: Stores;
  readonly endpoint: { url: string; secret: string };
  /** Every inbound the desk was handed. */
  readonly desked: Inbound[];
  /** Everything logged through the adapter's logger, each line led by its level (lineLogger). */
  readonly logged: string[];
  owner(user?: string, channel?: string): SlackOwner;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

async function launch(
  clientOptions: SlackAppOptions["clientOptions"] = { retryConfig: { retries: 0 } },
  mode: SlackAppOptions["mode"] = { kind: "http", port: 0, host: "127.0.0.1" },
): Promise<Harness> {
  const slack = await new FakeSlack().start();
  cleanup.push(() => slack.stop());
  slack.addUser({ id: OWNER.user, name: "王先生", locale: "zh-CN" }).addUser({ id: EN.user, name: "John", locale: "en-US" });
  const { store, close } = await freshSqliteStore();
  cleanup.push(close);
  await store.createProperty(DEMO_PROPERTY);
  const logged: string[] = [];
  const logger = lineLogger(logged);
  const real = new OwnerDesk({ store, clock: new TestClock(), ids: sequentialIds(), logger });
  const desked: Inbound[] = [];
  const app = createSlackApp({
    botToken: TOKEN,
    signingSecret: SECRET,
    desk: { handle: (inbound) => (desked.push(inbound), real.handle(inbound)) },
    renderer,
    logger,
    mode,
    clientOptions: { ...clientOptions, slackApiUrl: slack.apiUrl },
  });
  const { port } = await app.start();
  cleanup.push(() => app.stop());
  const endpoint = { url: `http://127.0.0.1:${port}/slack/events`, secret: SECRET };
  return { slack, store, endpoint, desked, logged, owner: (user, channel) => new SlackOwner(slack, endpoint, user, channel) };
}

describe("an owner in a Slack DM", () => {
  it("files a complaint in Chinese, pressing buttons for the choices", async () => {
    const h = await launch();
    const owner = h.owner();
    let r = await owner.say("保安态度太差了,我要投诉");
    expect(r.status).toBe(200);
    expect(r.text).toContain("【投诉");
    expect(r.choices).toContain("对,继续");

    r = await owner.press("对,继续");
    expect(r.text).toContain("房号");
    // The pressed question shows the answer instead of its buttons.
    const [update] = h.slack.callsOf("chat.update");
    const pressed = h.slack.messages.get(`${OWNER.channel}/${update!.params.ts as string}`)!;
    expect(JSON.stringify(pressed.blocks)).toContain("✓ 对,继续");
    expect(pressed.blocks.some((b) => (b as { type: string }).type === "actions")).toBe(false);

    r = await owner.say("3-1201");
    expect(r.text).toContain("怎么称呼");
    r = await owner.say("王先生");
    expect(r.text).toContain("电话");
    r = await owner.say("139 0000 1111");
    expect(r.choices).toEqual(["家里", "公共区域"]);
    r = await owner.press("公共区域");
    expect(r.text).toContain("具体在哪个位置");
    r = await owner.say("南门岗亭");
    expect(r.text).toContain("什么时候开始");
    r = await owner.press("跳过");
    expect(r.text).toContain("请核对登记内容");
    expect(r.text).toContain("位置:公共区域(南门岗亭)");
    r = await owner.press("确认提交");
    expect(r.text).toContain("工单号 HG-0001");

    const ticket = await h.store.ticketByNumber("HG-0001");
    expect(ticket).toMatchObject({ kind: "complaint", roomLabel: "3-1201", contactName: "王先生", channel: "slack", locale: "zh-CN" });

    // The app's one slash command: the first word is ours, since Slack keeps /status for itself.
    r = await owner.command("status HG-0001");
    expect(r.text).toContain("HG-0001");

    expect(h.desked.every((i) => i.conversationKey === `slack:T0GUANJIA:${OWNER.channel}:${OWNER.user}`)).toBe(true);
    expect(h.slack.callsOf("chat.postMessage").every((c) => c.auth === `Bearer ${TOKEN}` && c.params.channel === OWNER.channel)).toBe(true);
    expect(h.slack.callsOf("users.info")).toHaveLength(1); // one lookup, then the cache
    expect(h.logged).toEqual([]);
  });

  it("answers in English when Slack says the owner's locale is en-US", async () => {
    const h = await launch();
    const owner = h.owner(EN.user, EN.channel);
    let r = await owner.say("The security guard at the south gate was very rude to me this morning");
    expect(r.text).toContain("[complaint · staff conduct]");
    expect(r.choices).toContain("Yes, continue");
    r = await owner.press("Yes, continue");
    expect(r.text).toContain("room number");
    expect(h.slack.callsOf("users.info")[0]!.params).toMatchObject({ user: EN.user, include_locale: "true" });
    expect(h.desked[0]!.sender).toMatchObject({ platformUserId: EN.user, languageCode: "en-US", displayName: "John" });
    expect(h.logged).toEqual([]);
  });

  it("attaches an image sent during the photo step of a repair", async () => {
    const h = await launch();
    const owner = h.owner();
    await owner.say("楼上漏水,我家天花板都泡了");
    await owner.press("对,继续");
    await owner.say("A区5栋2单元301");
    await owner.say("张三");
    await owner.say("138 1234 5678");
    await owner.press("家里");
    let r = await owner.say("昨天晚上");
    expect(r.text).toContain("照片");

    r = await owner.message({ files: [imageFile("F0CEILING1")] });
    expect(r.text).toContain("已收到 1 张照片");
    expect(r.choices).toEqual(["完成", "跳过"]);
    r = await owner.press("完成");
    expect(r.text).toContain("什么时间方便");
    r = await owner.say("明天上午");
    expect(r.text).toContain("照片:1 张");
    r = await owner.press("确认提交");
    expect(r.text).toContain("工单号 HG-0001");

    const ticket = await h.store.ticketByNumber("HG-0001");
    expect(ticket).toMatchObject({ kind: "repair", photoCount: 1, channel: "slack" });
    const events = await h.store.ticketEvents(ticket!.id);
    expect(events[1]!.data).toMatchObject({ photos: ["slack:F0CEILING1"] });
    expect(h.logged).toEqual([]);
  });

  it("counts a button pressed twice once", async () => {
    const h = await launch();
    const owner = h.owner();
    await owner.say("保安态度太差了,我要投诉");
    const question = h.slack.postedTo(OWNER.channel).at(-1)!;
    const press = encode.interaction(pressButton(question, "对,继续"));
    const [first, second] = await Promise.all([owner.deliver(press), owner.deliver(press)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(h.desked.map((i) => i.body.type)).toEqual(["text", "choice"]);
    expect(h.slack.callsOf("chat.update")).toHaveLength(1);
  });

  it("answers an event Slack delivers twice once", async () => {
    const h = await launch();
    const event = encode.event(messageEvent({ text: "保安态度太差了,我要投诉", eventId: "Ev0RETRIED" }));
    await postSigned(h.endpoint.url, SECRET, event);
    await postSigned(h.endpoint.url, SECRET, event);
    expect(h.desked).toHaveLength(1);
    expect(h.slack.callsOf("chat.postMessage")).toHaveLength(1);
  });
});

describe("what the adapter does not answer", () => {
  it("rejects a wrong signature and a stale timestamp with 401, before the desk", async () => {
    const h = await launch();
    const event = encode.event(messageEvent({ text: "保安态度太差了" }));
    expect((await postSigned(h.endpoint.url, "not-the-secret", event)).status).toBe(401);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect((await postSigned(h.endpoint.url, SECRET, event, { timestamp: tenMinutesAgo })).status).toBe(401);
    expect((await postSigned(h.endpoint.url, SECRET, event, { headers: {} })).status).toBe(401);
    expect(h.desked).toEqual([]);
    expect(h.slack.callsOf("chat.postMessage")).toEqual([]);
    // Bolt's warnings reach the operator's log, as warnings: a forged request is refused, not lost.
    expect(h.logged).toEqual(Array(3).fill(expect.stringMatching(/^warn: slack: /)));
    expect(h.logged[0]).toMatch(/verify/i);
  });

  it("answers Slack's url_verification challenge", async () => {
    const h = await launch();
    const res = await postSigned(h.endpoint.url, SECRET, encode.event(urlVerification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
    expect(h.desked).toEqual([]);
  });

  it("answers an owner's edit instead of ignoring it: edits are not read, send the correction", async () => {
    const h = await launch();
    const owner = h.owner();
    const r = await owner.deliver(encode.event(editedMessageEvent("保安态度太差了")));
    expect(r.posted).toHaveLength(1);
    expect(h.desked.map((i) => i.body.type)).toEqual(["edit"]);
    expect(h.logged).toEqual([]);
  });

  it("ignores its own messages, other bots and channel messages", async () => {
    const h = await launch();
    const owner = h.owner();
    const ignored = [
      messageEvent({ text: "您好", user: BOT.userId, botId: BOT.botId }),
      messageEvent({ text: "您好", user: BOT.userId, botId: BOT.botId, subtype: "bot_message" }),
      messageEvent({ text: "deploy finished", user: "U0OTHERBOT", botId: "B0OTHER" }),
      messageEvent({ text: "保安态度太差了,我要投诉", channel: "C0GENERAL", channelType: "channel" }),
      messageEvent({ text: "保安态度太差了,我要投诉", channel: "G0FRIENDS", channelType: "mpim" }),
    ];
    for (const event of ignored) expect((await owner.deliver(encode.event(event))).posted).toEqual([]);
    expect(h.desked).toEqual([]);
    // The start-up probe's (which reports and retries) and Bolt's own.
    expect(h.slack.calls.map((c) => c.method)).toEqual(["auth.test", "auth.test"]);
    expect(h.logged).toEqual([]);
  });

  it("leaves the slash command alone outside the DM", async () => {
    const h = await launch();
    const res = await postSigned(h.endpoint.url, SECRET, encode.command(slashCommand({ text: "help", channel: "C0GENERAL" })));
    expect(res.status).toBe(200);
    expect(h.desked).toEqual([]);
    expect(h.slack.callsOf("chat.postMessage")).toEqual([]);
  });
});

describe("failures", () => {
  it("logs a failed Web API call, answers Slack 200 so it does not redeliver, and keeps serving", async () => {
    const h = await launch();
    h.slack.failNext("chat.postMessage", { error: "channel_not_found" });
    const owner = h.owner();
    const lost = await owner.say("保安态度太差了,我要投诉");
    expect(lost.status).toBe(200);
    expect(lost.posted).toEqual([]);
    expect(h.logged).toEqual([expect.stringMatching(/^error: slack: listener failed.*channel_not_found/)]);
    const r = await owner.say("/cancel");
    expect(r.posted).toHaveLength(1);
  });

  // A token Slack rejects is reported and retried at start-up: ./start-up.test.ts.
});

describe("Socket Mode", () => {
  it("takes the same events over the WebSocket, with no public endpoint", async () => {
    const h = await launch(undefined, { kind: "socket", appToken: "xapp-test" });
    const opened = h.slack.calls.find((c) => c.method === "apps.connections.open");
    expect(opened?.auth).toBe("Bearer xapp-test");
    const since = h.slack.calls.length;
    await h.slack.pushSocket("events_api", messageEvent({ text: "保安态度太差了,我要投诉" }));
    const post = await h.slack.waitForCall((c) => c.method === "chat.postMessage", { since });
    expect(JSON.stringify(post.params.blocks)).toContain("【投诉");
    expect(post.auth).toBe(`Bearer ${TOKEN}`);
  });
});

describe("rate limits", () => {
  it("does not lose a reply when chat.postMessage answers 429 with Retry-After", async () => {
    const h = await launch({ retryConfig: { retries: 1, factor: 1, minTimeout: 0, maxTimeout: 0 } });
    h.slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const r = await h.owner().say("保安态度太差了,我要投诉");
    expect(r.text).toContain("【投诉");
    const posts = h.slack.calls.filter((c) => c.method === "chat.postMessage");
    expect(posts.map((c) => c.failed ?? "ok")).toEqual(["429", "ok"]);
    await h.slack.waitForCall((c) => c.method === "chat.postMessage" && !c.failed);
    // The WebClient's retry reaches the operator's log as a warning; nothing failed.
    expect(h.logged).toEqual([expect.stringMatching(/^warn: slack: .*rate limit was exceeded/)]);
  });
});

describe("the fake Web API", () => {
  it("answers the methods the adapter may use in Slack's shapes, and unknown ones as Slack does", async () => {
    const slack = await new FakeSlack().start();
    cleanup.push(() => slack.stop());
    slack.addFile({ id: "F1", name: "a.png", mimetype: "image/png" });
    const client = new webApi.WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    expect((await client.files.info({ file: "F1" })).file).toMatchObject({ id: "F1", mimetype: "image/png" });
    expect((await client.conversations.info({ channel: "D1" })).channel).toMatchObject({ is_im: true });
    expect((await client.chat.postEphemeral({ channel: "D1", user: "U1", text: "x" })).message_ts).toBeTruthy();
    await expect(client.apiCall("chat.unfurlEverything")).rejects.toMatchObject({ data: { error: "unknown_method" } });
    await expect(client.users.info({ user: "U404" })).rejects.toMatchObject({ data: { error: "user_not_found" } });
    await fetch(`${slack.url}/response/abc`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"text":"hi"}' });
    expect(await slack.waitForCall((c) => c.method === "response_url")).toMatchObject({ params: { id: "abc", text: "hi" } });
    await expect(slack.waitForCall((c) => c.method === "never", { timeoutMs: 10 })).rejects.toThrow(/no matching call/);
  });
});
