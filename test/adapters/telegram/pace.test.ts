/**
 * Issue 16, item 2: the grammY bot as production wires it sends its replies after the shared
 * pace gives the slot (main.ts hands it the outbox sender's throttle), and keeps no throttler of
 * its own: only auto-retry, for a 429's retry_after. Real grammY against the fake Bot API.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrammyBot, type GrammyBot } from "../../../src/adapters/telegram/grammy.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import type { ChatKind, SendPace } from "../../../src/core/send-pace.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import { DEFAULT_USER, FakeBotApi } from "../../fakes/telegram-bot-api.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { freshSqliteStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";
import { within } from "../../support/wait.js";

let api: FakeBotApi;
let telegram: GrammyBot;
let store: Stores;
let closeStore: () => Promise<void>;
let errors: unknown[];
/** Every slot asked for, and the gate that lets the slots come. */
let slots: { platform: string; chatId: string; kind: ChatKind }[];
let open: () => void;

beforeEach(async () => {
  api = new FakeBotApi();
  const apiRoot = await api.start();
  ({ store, close: closeStore } = await freshSqliteStore());
  await store.createProperty(DEMO_PROPERTY);
  errors = [];
  slots = [];
  const gate = new Promise<void>((resolve) => (open = resolve));
  const pace: SendPace = {
    async slot(platform, chatId, kind) {
      slots.push({ platform, chatId, kind });
      await gate;
    },
  };
  const logger = anyLevel((_m, e) => void errors.push(e));
  const clock = new TestClock();
  telegram = createGrammyBot({
    token: api.token,
    apiRoot,
    store,
    clock,
    renderer: createRenderer(await loadCatalog(), "Asia/Shanghai"),
    transformers: "production",
    logger,
    pace,
    desk: new OwnerDesk({ store, clock, ids: sequentialIds(), logger }),
  });
  await telegram.start();
});

afterEach(async () => {
  open();
  await telegram.stop();
  await api.stop();
  await closeStore();
  expect(errors).toEqual([]);
});

const repliesTo = (chatId: number) => api.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === chatId);

describe("the grammY bot as production wires it", () => {
  it("has auto-retry and no throttler of its own", () => {
    // One transformer: auto-retry. grammY's throttler would be a second, a budget apart from the cards'.
    expect(telegram.bot.api.config.installedTransformers()).toHaveLength(1);
  });

  it("sends an owner's reply only once the shared pace gives it its slot", async () => {
    api.userMessage({ text: "/start" });
    await within(
      (async () => {
        while (slots.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      })(),
      "the reply to ask for its slot",
    );
    expect(slots[0]).toEqual({ platform: "telegram", chatId: String(DEFAULT_USER.id), kind: "private" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(repliesTo(DEFAULT_USER.id)).toHaveLength(0); // held at the gate
    open();
    await api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id === DEFAULT_USER.id);
    expect(repliesTo(DEFAULT_USER.id).length).toBeLessThanOrEqual(slots.length);
  });
});
