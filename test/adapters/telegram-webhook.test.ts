/**
 * Webhook mode: the fake Bot API POSTs updates to the bot's endpoint, as Telegram does once
 * setWebhook was called, with the secret token header; through real grammY over loopback.
 */
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrammyBot, type GrammyBot } from "../../src/adapters/telegram/grammy.js";
import { OwnerDesk } from "../../src/core/intake/desk.js";
import type { Store } from "../../src/core/ports.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer } from "../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import { sequentialIds, TestClock } from "../support/chat.js";
import { freshSqliteStore } from "../support/db.js";
import { FakeBotApi } from "../fakes/telegram-bot-api.js";

const SECRET = "s3cret-token_for-tests";

/** A free port on loopback: the webhook URL must name it before the endpoint listens. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let api: FakeBotApi;
let bot: GrammyBot;
let store: Store;
let closeStore: () => Promise<void>;
let turns = 0;
let url: string;

beforeEach(async () => {
  api = new FakeBotApi();
  const apiRoot = await api.start();
  ({ store, close: closeStore } = await freshSqliteStore());
  await store.createProperty(DEMO_PROPERTY);
  const clock = new TestClock();
  const logger = { error: (m: string, e: unknown) => { throw new Error(`${m}: ${String(e)}`); } };
  const desk = new OwnerDesk({ store, clock, ids: sequentialIds(), logger });
  const counted = { handle: async (i: Parameters<OwnerDesk["handle"]>[0]) => (turns++, desk.handle(i)) };
  const port = await freePort();
  url = `http://127.0.0.1:${port}/telegram`;
  bot = createGrammyBot({
    token: api.token,
    apiRoot,
    desk: counted,
    store,
    clock,
    renderer: createRenderer(await loadCatalog(), "Asia/Shanghai"),
    transformers: "test",
    logger,
    webhook: { url, port, host: "127.0.0.1", secretToken: SECRET },
  });
  turns = 0;
  await bot.start();
});

afterEach(async () => {
  await bot.stop();
  await api.stop();
  await closeStore();
});

describe("Telegram webhook mode", () => {
  it("registers the webhook and serves an owner through it", async () => {
    expect(api.calls.find((c) => c.method === "setWebhook")!.params).toMatchObject({ url, secret_token: SECRET });
    expect(bot.webhookPort()).toBe(Number(new URL(url).port));
    const since = api.calls.length;
    api.userMessage({ text: "楼上漏水,我家天花板都泡了" });
    const sent = await api.waitForCall((c) => c.method === "sendMessage", { since });
    expect(String(sent.params.text)).toContain("【报修 · 工程维修】");
    expect(await api.lastDelivery).toBe(200);
  });

  it("refuses requests without the secret token, and the desk is not called", async () => {
    const body = JSON.stringify({ update_id: 999, message: { message_id: 1, date: 0, chat: { id: 5, type: "private" }, from: { id: 5, is_bot: false, first_name: "x" }, text: "hi" } });
    const attempts: Record<string, string>[] = [{}, { "x-telegram-bot-api-secret-token": "wrong" }];
    for (const headers of attempts) {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
      expect(res.status).toBe(401);
    }
    expect(turns).toBe(0);
  });

  it("a redelivered update (Telegram retrying a webhook) has no second effect", async () => {
    const since = api.calls.length;
    api.userMessage({ text: "/list" });
    expect(await api.lastDelivery).toBe(200);
    const first = api.webhookDeliveries.at(-1)!.updateId;
    expect(await api.redeliverToWebhook(first)).toBe(200);
    expect(api.webhookDeliveries.filter((d) => d.updateId === first).map((d) => d.status)).toEqual([200, 200]);
    expect(turns).toBe(1);
    expect(api.calls.slice(since).filter((c) => c.method === "sendMessage")).toHaveLength(1);
  });
});
