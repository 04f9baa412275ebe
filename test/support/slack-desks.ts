/**
 * Both desks behind real Bolt (HTTP receiver, signed requests) against the fake Slack Web API,
 * over a test store, with the real catalogs and the real outbox sender over the Slack transport:
 * what the Slack scenario suites (owner follow-ups, the front desk) share.
 */
import { createSlackApp } from "../../src/adapters/slack/bolt.js";
import { slackSenderClient, slackTransport } from "../../src/adapters/slack/transport.js";
import { OwnerDesk } from "../../src/core/desk/owner-desk.js";
import { StaffDesk } from "../../src/core/desk/staff-desk.js";
import type { StaffExtension } from "../../src/core/staff/extension.js";
import type { HotlineDeps } from "../../src/core/hotline/file.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import { outboxRenderer } from "../../src/infra/outbox/render.js";
import { createOutboxSender } from "../../src/infra/outbox/sender.js";
import type { Stores } from "../../src/infra/prisma/store.js";
import { FakeSlack, SlackOwner, SlackStaff, textOf, type PostedMessage } from "../fakes/slack.js";
import { sequentialIds, TestClock } from "./chat.js";
import { freshSqliteStore, type TestStore } from "./db.js";
import { lineLogger } from "./logger.js";

const SECRET = "test-signing-secret";
const TOKEN = "xoxb-test";
const FAR = new Date("3000-01-01T00:00:00Z");
export const STAFF_CHANNEL = "C0STAFF";
export const WANG = { user: "U0WANG", dm: "D0WANG", name: "王磊" } as const;
export const ADMIN = { user: "U0ADMIN", dm: "D0ADMIN", name: "物业管理员" } as const;
/** The company's people (issue 14): a hotline officer (热线专员) and the general manager (总经理). */
export const OFFICER = { user: "U0OFFICER", dm: "D0OFFICER", name: "周专员" } as const;
export const GM = { user: "U0GM", dm: "D0GM", name: "陈总经理" } as const;

let renderer: Renderer | undefined;

let cleanup: (() => Promise<void>)[] = [];
/** Stops what the test's `launch` started, newest first: a suite calls it in its `afterEach`. */
export async function closeLaunched(): Promise<void> {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
}

/** Launches the app for one owner; `opened` defaults to a fresh SQLite store. Closed after each test. */
export async function launch(
  owner: { user: string; channel: string },
  locale: string,
  o: { opened?: TestStore; extensions?: (opened: TestStore) => readonly StaffExtension[]; hotline?: (opened: TestStore) => HotlineDeps } = {},
) {
  renderer ??= createRenderer(await loadCatalog(), "Asia/Shanghai");
  const slack = await new FakeSlack().start();
  cleanup.push(() => slack.stop());
  slack.addUser({ id: owner.user, name: "王先生", locale: locale === "en" ? "en-US" : "zh-CN", dm: owner.channel });
  for (const p of [WANG, ADMIN, OFFICER, GM]) slack.addUser({ id: p.user, name: p.name, locale: "zh-CN", dm: p.dm });
  const opened = o.opened ?? (await freshSqliteStore());
  const { store, outbox } = opened;
  cleanup.push(() => opened.close());
  await store.createProperty(DEMO_PROPERTY);
  const clock = new TestClock();
  const logged: string[] = [];
  const logger = lineLogger(logged);
  const app = createSlackApp({
    botToken: TOKEN,
    signingSecret: SECRET,
    desk: new OwnerDesk({ store, clock, ids: sequentialIds(), logger, ...(o.hotline ? { hotline: o.hotline(opened) } : {}) }),
    staffDesk: new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN", extensions: o.extensions?.(opened) ?? [] }),
    store,
    outbox,
    clock,
    renderer,
    logger,
    mode: { kind: "http", port: 0, host: "127.0.0.1" },
    clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
  });
  const port = (await app.start()).port!;
  cleanup.push(() => app.stop());
  const sender = createOutboxSender({
    outbox,
    store,
    transports: [slackTransport(slackSenderClient(TOKEN, { slackApiUrl: slack.apiUrl }, logger))],
    render: outboxRenderer({ store, renderer, staffLocale: "zh-CN" }),
    clock,
    sleep: async (ms) => clock.advance(ms),
    logger,
  });
  const endpoint = { url: `http://127.0.0.1:${port}/slack/events`, secret: SECRET };
  const h = {
    slack,
    store,
    logged,
    owner: new SlackOwner(slack, endpoint, owner.user, owner.channel),
    wang: new SlackStaff(slack, endpoint, WANG.user, WANG.dm),
    admin: new SlackStaff(slack, endpoint, ADMIN.user, ADMIN.dm),
    officer: new SlackStaff(slack, endpoint, OFFICER.user, OFFICER.dm),
    gm: new SlackStaff(slack, endpoint, GM.user, GM.dm),
    clock,
    async deliverAll() {
      for (let round = 0; round < 100; round++) {
        await sender.drainOnce();
        const pending = await outbox.due(FAR, 100);
        if (pending.length === 0) return;
        clock.advance(Math.max(Math.min(...pending.map((r) => r.nextAttemptAt.getTime())) - clock.now().getTime(), 1_000));
      }
      throw new Error("the outbox did not drain in 100 rounds");
    },
    async invite(grant: Parameters<Stores["createInvite"]>[0]["grant"]): Promise<string> {
      const property = (await store.properties())[0]!;
      const now = clock.now();
      return (await store.createInvite({ propertyId: property.id, grant, expiresAt: new Date(now.getTime() + 86_400_000), createdAt: now })).code;
    },
    /** Types each line, or presses it when the bot's last message in the DM has a button so labelled. */
    async script(lines: readonly string[]) {
      let r: Awaited<ReturnType<SlackOwner["say"]>> | undefined;
      for (const line of lines) {
        const last = slack.postedTo(owner.channel).at(-1);
        const pressable = last && JSON.stringify(last.blocks).includes(`"text":"${line}"`) && JSON.stringify(last.blocks).includes('"button"');
        r = pressable ? await h.owner.press(line) : await h.owner.say(line);
      }
      return r!;
    },
    /** The bot's latest message in the owner's DM that contains `text`. */
    ownerMessage(text: string): PostedMessage {
      const found = [...slack.postedTo(owner.channel)].reverse().find((m) => textOf(m).includes(text) || m.text.includes(text));
      if (!found) throw new Error(`no message with "${text}" in the owner's DM`);
      return found;
    },
  };
  return h;
}

export type SlackHarness = Awaited<ReturnType<typeof launch>>;
