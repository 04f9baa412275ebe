/**
 * The durable fast path on Slack: an owner's replies are queued with the conversation save and
 * posted by the app at once; when that post fails, the outbox sender posts them, once, and the
 * app wakes it (`onTurn`) instead of leaving them to the next poll. Bolt over signed HTTP, the
 * fake Web API, the real desk and sender, on both databases.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackApp, type SlackApp } from "../../../src/adapters/slack/bolt.js";
import { slackSenderClient, slackTransport } from "../../../src/adapters/slack/transport.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { outboxRenderer } from "../../../src/infra/outbox/render.js";
import { createOutboxSender, type OutboxSender } from "../../../src/infra/outbox/sender.js";
import { createReplyOutbox } from "../../../src/infra/prisma/conversations.js";
import { FakeSlack, OWNER, SlackOwner } from "../../fakes/slack.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { backends, type TestStore } from "../../support/db.js";
import { lineLogger } from "../../support/logger.js";

const SECRET = "test-signing-secret";
const TOKEN = "xoxb-test";

let renderer: Renderer;
beforeAll(async () => {
  renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
});

describe.each(backends())("Slack owner replies queued with the conversation on $name", (backend) => {
  let slack: FakeSlack;
  let db: TestStore;
  let app: SlackApp;
  let sender: OutboxSender;
  let clock: TestClock;
  let logged: string[];
  let wakes: number;
  let owner: SlackOwner;
  let desk: OwnerDesk;

  beforeEach(async () => {
    slack = await new FakeSlack().start();
    slack.addUser({ id: OWNER.user, name: "王先生", locale: "zh-CN" });
    db = await backend.open();
    await db.store.createProperty(DEMO_PROPERTY);
    clock = new TestClock();
    logged = [];
    wakes = 0;
    const logger = lineLogger(logged);
    desk = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger, replies: db.use(createReplyOutbox) });
    app = createSlackApp({
      botToken: TOKEN,
      signingSecret: SECRET,
      desk,
      clock,
      onTurn: () => void wakes++,
      renderer,
      logger,
      mode: { kind: "http", port: 0, host: "127.0.0.1" },
      clientOptions: { retryConfig: { retries: 0 }, slackApiUrl: slack.apiUrl },
    });
    const { port } = await app.start();
    owner = new SlackOwner(slack, { url: `http://127.0.0.1:${port}/slack/events`, secret: SECRET });
    sender = createOutboxSender({
      outbox: db.outbox,
      store: db.store,
      transports: [slackTransport(slackSenderClient(TOKEN, { slackApiUrl: slack.apiUrl }))],
      render: outboxRenderer({ store: db.store, renderer, staffLocale: "zh-CN" }),
      clock,
      sleep: async (ms) => clock.advance(ms),
      logger,
    });
  });

  afterEach(async () => {
    await app.stop();
    await slack.stop();
    await db.close();
  });

  it("posts through the sender a reply the app could not post, once, and its buttons work", async () => {
    slack.failNext("chat.postMessage", { error: "internal_error" });
    let r = await owner.say("保安态度太差了,我要投诉");
    expect(r.posted).toEqual([]);
    expect(logged).toEqual([expect.stringMatching(/^error: slack: listener failed.*internal_error/)]);
    // Once for what the turn queued, once for the replies left to it.
    expect(wakes).toBe(2);

    expect(await sender.drainOnce()).toEqual({ sent: 1, retried: 0, dead: 0 });
    const [question] = slack.postedTo(OWNER.channel);
    expect(JSON.stringify(question)).toContain("【投诉");

    r = await owner.press("对,继续");
    expect(r.text).toContain("房号");
    expect(wakes).toBe(3);
    await desk.settled();
    clock.advance(60_000);
    expect(await sender.drainOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(slack.postedTo(OWNER.channel)).toHaveLength(2);
    expect(logged).toHaveLength(1);
  });
});
