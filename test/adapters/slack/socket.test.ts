/**
 * The Slack app in Socket Mode, against our fake of Slack's Socket Mode edge on loopback: the
 * app opens the connection with its app-level token, takes events, slash commands and button
 * presses as envelopes over the WebSocket and acknowledges each, and posts with its bot token
 * through the fake Web API. The staff loop runs through it end to end: an owner files in the DM,
 * the card is claimed with `/guanjia claim`, a colleague presses the card's button.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SlackAppTokenError } from "../../../src/adapters/slack/app-token.js";
import { createSlackApp, type SlackApp } from "../../../src/adapters/slack/bolt.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { buttonsOf, FakeSlack, messageEvent, OWNER, pressButton, slashCommand, textOf, type PostedMessage } from "../../fakes/slack.js";
import { BOT_TOKEN, FakeSlackSocket, slackWorlds, type Ack, type EnvelopeType, type SlackWorld } from "../../fakes/slack-socket.js";
import { backends } from "../../support/db.js";
import { quietLogger } from "../../support/logger.js";

const APP_TOKEN = "xapp-1-A0GUANJIA-test";
const STAFF_CHANNEL = "C0STAFF";
const DAY = 86_400_000;
const WANG = { user: "U0WANG", dm: "D0WANG", name: "王磊" } as const;
const LI = { user: "U0LI", dm: "D0LI", name: "李娜" } as const;
const ADMIN = { user: "U0ADMIN", dm: "D0ADMIN", name: "物业管理员" } as const;

let renderer: Renderer;
beforeAll(async () => {
  renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
});

/** What came of one envelope: the app's ack and the messages it posted while handling it. */
interface Handled {
  readonly ack: Ack;
  readonly envelopeId: string;
  readonly posted: PostedMessage[];
  readonly text: string;
}

/**
 * Counts the envelopes Bolt has finished with (listeners included), through a middleware of the
 * test's: events are acknowledged before their listeners run, so the ack alone does not say the
 * bot is done.
 */
function finished(app: SlackApp): { count(): number; reach(n: number): Promise<void> } {
  let done = 0;
  const waiters = new Set<() => void>();
  app.app.use(async ({ next }) => {
    try {
      await next();
    } finally {
      done++;
      for (const w of [...waiters]) w();
    }
  });
  return {
    count: () => done,
    reach: (n) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the app finished ${done} envelope(s), not ${n}, within 3 s`)), 3_000);
        const check = () => {
          if (done < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}

describe.each(backends())("Slack in Socket Mode on $name", (backend) => {
  const openWorld = slackWorlds();

  interface Harness extends SlackWorld {
    /** Sends one envelope and waits until the app has acknowledged it and finished with it. */
    send(type: EnvelopeType, payload: Record<string, unknown>, o?: { retryAttempt?: number }): Promise<Handled>;
    /** The owner types in their DM. */
    say(text: string): Promise<Handled>;
    /** `user` presses `label` on `message`, one of the bot's messages. */
    press(message: PostedMessage, label: string, user?: string): Promise<Handled>;
    /** `/guanjia <text>` by `person` in `channel`. */
    command(person: { user: string; dm: string }, text: string, channel?: string): Promise<Handled>;
  }

  async function launch(): Promise<Harness> {
    let envelopes!: ReturnType<typeof finished>;
    const world = await openWorld({
      open: () => backend.open(),
      renderer,
      mode: { kind: "socket", appToken: APP_TOKEN },
      prepare: (app) => (envelopes = finished(app)),
    });
    for (const p of [WANG, LI, ADMIN]) world.addPerson(p);
    const send: Harness["send"] = async (type, payload, o = {}) => {
      const before = new Set(world.slack.messages.keys());
      const target = envelopes.count() + 1;
      const ack = await world.front.send(type, payload, o);
      await envelopes.reach(target);
      const posted = [...world.slack.messages.entries()].filter(([k]) => !before.has(k)).map(([, m]) => m);
      return { ack, envelopeId: ack.envelope_id, posted, text: posted.map(textOf).join("\n") };
    };
    return Object.assign(world, {
      send,
      say: (text: string) => send("events_api", messageEvent({ text })),
      press(message: PostedMessage, label: string, user: string = OWNER.user) {
        return send("interactive", { ...pressButton(message, label, { user }), response_url: world.slack.responseUrl(message.channel) });
      },
      command(person: { user: string; dm: string }, text: string, channel = person.dm) {
        return send("slash_commands", slashCommand({ text, user: person.user, channel, responseUrl: world.slack.responseUrl(channel) }));
      },
    });
  }

  /** The bot's latest message in the owner's DM with a button `label`. */
  function ownerMessageWith(h: Harness, label: string): PostedMessage {
    const found = h.slack.postedTo(OWNER.channel).reverse().find((m) => buttonsOf(m).some((b) => b.text.text === label));
    if (!found) throw new Error(`no message in the owner's DM has a button "${label}"`);
    return found;
  }

  async function invite(h: Harness, grant: Parameters<SlackWorld["store"]["createInvite"]>[0]["grant"]): Promise<string> {
    const property = (await h.store.properties())[0]!;
    const now = h.clock.now();
    return (await h.store.createInvite({ propertyId: property.id, grant, expiresAt: new Date(now.getTime() + DAY), createdAt: now })).code;
  }

  it("connects with the app-level token and runs the staff loop over the socket", async () => {
    const h = await launch();
    // The WebSocket URL was asked for with the app-level token (twice: the start tries the token
    // first, app-token.ts); everything else goes with the bot token.
    const open = ["apps.connections.open", `Bearer ${APP_TOKEN}`];
    expect(h.front.calls.map((c) => [c.method, c.auth])).toEqual([open, open]);
    expect(h.front.connections).toEqual([expect.objectContaining({ open: true })]);
    expect(h.slack.calls.every((c) => c.auth === `Bearer ${BOT_TOKEN}`)).toBe(true);

    // The staff channel is bound and two colleagues join, by slash command: each acked by its envelope id.
    let r = await h.command(ADMIN, `bind ${await invite(h, { kind: "bind", purpose: "staff", department: null })}`, STAFF_CHANNEL);
    expect(r.ack).toEqual({ envelope_id: r.envelopeId, payload: {} });
    expect(r.text).toContain("本群已绑定为【虹港家园】的客服工作群");
    await h.command(WANG, `join ${await invite(h, { kind: "join", role: "zone_specialist", zoneId: null })}`);
    await h.command(LI, `join ${await invite(h, { kind: "join", role: "front_desk", zoneId: null })}`);

    // The owner files in the DM: messages as events, choices as button presses.
    r = await h.say("保安态度太差了,我要投诉");
    expect(r.ack).toEqual({ envelope_id: r.envelopeId, payload: {} });
    expect(r.text).toContain("【投诉");
    r = await h.press(ownerMessageWith(h, "对,继续"), "对,继续");
    expect(r.ack.envelope_id).toBe(r.envelopeId);
    expect(r.text).toContain("房号");
    for (const answer of ["3-1201", "王先生", "139 0000 1111"]) await h.say(answer);
    await h.press(ownerMessageWith(h, "公共区域"), "公共区域");
    await h.say("南门岗亭");
    await h.press(ownerMessageWith(h, "跳过"), "跳过");
    r = await h.press(ownerMessageWith(h, "确认提交"), "确认提交");
    expect(r.text).toContain("工单号 HG-0001");

    await h.deliverAll();
    const card = h.slack.postedTo(STAFF_CHANNEL).find((m) => !m.thread_ts && !m.viaResponseUrl && textOf(m).includes("HG-0001"))!;
    expect(textOf(card)).toContain("状态:待受理");

    // `/guanjia claim` in the channel: acked, claimed, answered under the card, the owner told.
    r = await h.command(WANG, "claim HG-0001", STAFF_CHANNEL);
    expect(r.ack).toEqual({ envelope_id: r.envelopeId, payload: {} });
    expect(r.posted).toEqual([expect.objectContaining({ channel: STAFF_CHANNEL, thread_ts: card.ts })]);
    expect(r.text).toContain("✅ 王磊 已受理 HG-0001");
    const ticket = (await h.store.ticketByNumber("HG-0001"))!;
    expect((await h.store.personById(ticket.assigneeId!))!.platformUserId).toBe(WANG.user);
    await h.deliverAll();
    expect(textOf(card)).toContain("状态:已受理 · 跟进人:王磊");
    expect(h.slack.postedTo(OWNER.channel).map(textOf).at(-1)).toContain("您的工单 HG-0001 已由 王磊 受理");

    // A colleague presses the card's 详情: acked, answered to her alone under the card.
    r = await h.press(card, "详情", LI.user);
    expect(r.ack.envelope_id).toBe(r.envelopeId);
    expect(r.posted).toEqual([expect.objectContaining({ channel: STAFF_CHANNEL, thread_ts: card.ts, ephemeral: true, to: LI.user })]);
    expect(r.text).toContain("工单 HG-0001:投诉 · 言行举止");
    expect(r.text).toContain("状态:已受理");
    expect(h.logged).toEqual([]);
  });

  it("acts once on an event Slack sends again after a missed ack", async () => {
    const h = await launch();
    const event = messageEvent({ text: "保安态度太差了,我要投诉", eventId: "Ev0AGAIN" });
    const first = await h.send("events_api", event);
    expect(first.posted).toHaveLength(1);
    const again = await h.send("events_api", event, { retryAttempt: 1 });
    expect(again.ack).toEqual({ envelope_id: again.envelopeId, payload: {} });
    expect(again.posted).toEqual([]);
    expect(h.logged).toEqual([]);
  });

  it("reconnects when Slack recycles the connection, and goes on", { timeout: 20_000 }, async () => {
    const h = await launch();
    h.front.disconnect("refresh_requested");
    // The SDK waits its reconnect delay (5 s), then asks for a new URL with the app token.
    await h.front.connected(2);
    // The start's token check, the first connection, the reconnection.
    expect(h.front.calls.filter((c) => c.method === "apps.connections.open")).toHaveLength(3);
    expect(h.front.connections.map((c) => c.open)).toEqual([false, true]);
    const r = await h.say("保安态度太差了,我要投诉");
    expect(r.text).toContain("【投诉");
    expect(h.logged).toEqual([]);
  });
});

describe("the Socket Mode client's settings", () => {
  /** An app in Socket Mode that never gets as far as an owner. */
  const socketApp = (clientOptions: { slackApiUrl: string }): SlackApp =>
    createSlackApp({
      botToken: BOT_TOKEN,
      signingSecret: "test-signing-secret",
      desk: { handle: () => Promise.reject(new Error("not reached")) },
      renderer,
      logger: quietLogger,
      mode: { kind: "socket", appToken: APP_TOKEN },
      clientOptions,
    });

  it("stay its own: its 100 retries for apps.connections.open do not leak into the options the app was given", () => {
    const clientOptions = { slackApiUrl: "http://127.0.0.1:9/api/" };
    socketApp(clientOptions);
    expect(clientOptions).toEqual({ slackApiUrl: "http://127.0.0.1:9/api/" });
  });

  it("fail the start, saying what to do, when Slack refuses the app-level token instead of retrying for ever", async () => {
    const slack = await new FakeSlack().start();
    const front = await new FakeSlackSocket(slack).start();
    try {
      // A token without connections:write: the Socket Mode client would retry this for ever.
      front.refuseAppToken = "missing_scope";
      const app = socketApp({ slackApiUrl: front.apiUrl });
      const started = app.start();
      await expect(started).rejects.toThrow(SlackAppTokenError);
      await expect(started).rejects.toThrow(/missing_scope.*connections:write.*SLACK_APP_TOKEN/);
      expect(front.calls.filter((c) => c.method === "apps.connections.open")).toHaveLength(1);
      expect(front.connections).toEqual([]);
      await app.stop();
    } finally {
      await front.stop();
      await slack.stop();
    }
  });

  it("start anyway when Slack only has a bad moment at the token check: the client's own connecting goes on", async () => {
    const slack = await new FakeSlack().start();
    const front = await new FakeSlackSocket(slack).start();
    const app = socketApp({ slackApiUrl: front.apiUrl });
    try {
      front.failNextOpens.push("internal_error");
      await app.start();
      await front.connected(1);
      expect(front.calls.filter((c) => c.method === "apps.connections.open")).toHaveLength(2);
    } finally {
      await app.stop();
      await front.stop();
      await slack.stop();
    }
  });
});
