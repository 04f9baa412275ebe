/**
 * An update in flight when the process dies is not lost (issue 10, item 1): an update counts as
 * handled only once its effect is stored. grammY over the fake Bot API, the real durable owner
 * desk on SQLite.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGrammyBot, type GrammyBot } from "../../../src/adapters/telegram/grammy.js";
import type { OwnerDeskPort, UpdateInbox } from "../../../src/core/desk/inbound.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { createReplyOutbox } from "../../../src/infra/prisma/conversations.js";
import { DEFAULT_USER, FakeBotApi } from "../../fakes/telegram-bot-api.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { freshSqliteStore, type TestStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";
import { within } from "../../support/wait.js";

describe("an update in flight at a crash", () => {
  let api: FakeBotApi;
  let apiRoot: string;
  let db: TestStore;
  let renderer: Renderer;
  let bots: GrammyBot[];
  let errors: unknown[];
  const clock = new TestClock();

  beforeEach(async () => {
    api = new FakeBotApi();
    apiRoot = await api.start();
    db = await freshSqliteStore();
    await db.store.createProperty(DEMO_PROPERTY);
    renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    bots = [];
    errors = [];
  });
  afterEach(async () => {
    for (const bot of bots) await bot.stop();
    await api.stop();
    await db.close();
  });

  const realDesk = () => new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel(() => undefined), replies: db.use(createReplyOutbox) });

  async function startBot(desk: OwnerDeskPort, keep: { inbox?: UpdateInbox } = {}): Promise<GrammyBot> {
    const bot = createGrammyBot({ token: api.token, apiRoot, store: db.store, clock, renderer, transformers: "test", logger: anyLevel((_m, e) => void errors.push(e)), desk, ...keep });
    bots.push(bot);
    await bot.start();
    return bot;
  }

  /** Until the desk's failure reached the log. */
  const failedTurn = () =>
    within(
      (async () => {
        while (errors.length === 0) await new Promise((r) => setTimeout(r, 10));
      })(),
      "the failed turn",
    );

  /**
   * A first process takes an owner's message and dies mid-turn (its desk fails before saving
   * anything); returns the update's id once its next poll is waiting, i.e. Telegram was told the
   * update arrived (a confirmation landing after a redelivery would drop it).
   */
  async function diesMidTurn(keep: { inbox?: UpdateInbox } = {}): Promise<number> {
    const first = await startBot({ handle: () => Promise.reject(new Error("killed mid-turn")) }, keep);
    api.userMessage({ text: "楼上漏水,我家天花板都泡了" });
    const id = lastUpdateId(api);
    await failedTurn();
    await api.waitForPoll(5000);
    await first.stop();
    bots = [];
    return id;
  }

  /** Did a getUpdates from `since` on hand the bot update `id`? */
  const fetchedAgain = (since: number, id: number) =>
    api.calls.slice(since).some((c) => c.method === "getUpdates" && (c.result as { update_id: number }[]).some((u) => u.update_id === id));

  const ownerReplies = (since: number) => api.calls.slice(since).filter((c) => c.method === "sendMessage" && c.params.chat_id === DEFAULT_USER.id && !c.error);

  it("whose turn died before its save is handled when Telegram delivers it again", async () => {
    const id = await diesMidTurn();
    // Telegram hands it to the next process, which must answer it.
    api.redeliver(id);
    const since = api.calls.length;
    await startBot(realDesk());
    const reply = await api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id === DEFAULT_USER.id, { since, timeoutMs: 5000 }).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${JSON.stringify(api.calls.slice(since))}\n${errors.map(String).join("\n")}`);
    });
    expect(String(reply.params.text)).toContain("【报修 · 工程维修】");
    expect(await db.store.processed("telegram", String(id))).toBe(true);

    // Once saved, a further redelivery is answered with nothing.
    const later = api.calls.length;
    await bots[0]!.stop();
    bots = [];
    api.redeliver(id);
    await startBot(realDesk());
    // The same chat's updates are handled in order: once the next message is answered, the redelivery was seen.
    api.userMessage({ text: "1" });
    await api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id === DEFAULT_USER.id, { since: later, timeoutMs: 5000 });
    expect(ownerReplies(later).map((c) => String(c.params.text)).filter((text) => text.includes("【报修 · 工程维修】"))).toEqual([]);
    expect(fetchedAgain(later, id)).toBe(true);
  });

  it("confirmed to Telegram by the runner's next poll while its turn was still running is handled at the next start", async () => {
    // @grammyjs/runner polls again (confirming the batch) while it still handles the last one;
    // Telegram then never sends it again. Only the bot's own inbox has it.
    const id = await diesMidTurn({ inbox: db.store });
    expect(await db.store.processed("telegram", String(id))).toBe(false);

    const since = api.calls.length;
    await startBot(realDesk(), { inbox: db.store });
    const reply = await api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id === DEFAULT_USER.id, { since, timeoutMs: 5000 });
    expect(String(reply.params.text)).toContain("【报修 · 工程维修】");
    expect(fetchedAgain(since, id)).toBe(false);
    // Handled and forgotten: a third start answers nothing more.
    expect(await db.store.unfinished("telegram", new Date(0), clock.now())).toEqual([]);
    expect(await db.store.processed("telegram", String(id))).toBe(true);
  });
});

function lastUpdateId(api: FakeBotApi): number {
  return api.updates.at(-1)!.update_id;
}
