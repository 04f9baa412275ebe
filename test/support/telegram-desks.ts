/**
 * Both desks behind a real Telegram runtime polling the fake Bot API, over a test store, with the
 * real catalogs and the real outbox sender: what the Telegram scenario suites (owner follow-ups,
 * the front desk) share. A suite types and presses through the returned helpers.
 */
import type { Message, User } from "grammy/types";
import { expect } from "vitest";
import type { createTelegrafBot } from "../../src/adapters/telegraf/telegraf.js";
import type { createGrammyBot } from "../../src/adapters/telegram/grammy.js";
import { telegramMessages } from "../../src/adapters/telegram/render.js";
import { OwnerDesk } from "../../src/core/desk/owner-desk.js";
import { StaffDesk } from "../../src/core/desk/staff-desk.js";
import type { Outcome } from "../../src/core/messages.js";
import type { StaffExtension } from "../../src/core/staff/extension.js";
import type { HotlineDeps } from "../../src/core/hotline/file.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import { outboxRenderer } from "../../src/infra/outbox/render.js";
import { createOutboxSender, type OutboxSender } from "../../src/infra/outbox/sender.js";
import type { Stores } from "../../src/infra/prisma/store.js";
import { buttonRows, FakeBotApi, type ApiCall } from "../fakes/telegram-bot-api.js";
import { sequentialIds, TestClock } from "./chat.js";
import type { TestStore } from "./db.js";
import { anyLevel } from "./logger.js";
import { within } from "./wait.js";

const FAR = new Date("3000-01-01T00:00:00Z");

export interface TelegramDesks {
  readonly api: FakeBotApi;
  readonly store: Stores;
  readonly clock: TestClock;
  readonly renderer: Renderer;
  readonly sender: OutboxSender;
  /** Does `act` a second on and waits until the bot has sent everything the desk answered to it. */
  turn(act: () => unknown): Promise<{ text: string; buttons: string[] }>;
  say(text: string, from: User, replyTo?: Message): Promise<{ text: string; buttons: string[] }>;
  /** Sends all the outbox holds, moving the clock past every wait on the way. */
  deliver(): Promise<void>;
  invite(grant: Parameters<Stores["createInvite"]>[0]["grant"]): Promise<string>;
  /** The bot's latest message to `chatId` that contains `text`. */
  botMessage(chatId: number, text: string): Message;
  /** Stops everything and checks nothing was logged as an error. */
  close(): Promise<void>;
}

export async function openTelegramDesks(o: {
  create: typeof createGrammyBot | typeof createTelegrafBot;
  opened: TestStore;
  extensions?: (opened: TestStore) => readonly StaffExtension[];
  /** The owner desk's `/hotline` (issue 14). */
  hotline?: (opened: TestStore) => HotlineDeps;
}): Promise<TelegramDesks> {
  const api = new FakeBotApi();
  const apiRoot = await api.start();
  const { store, outbox } = o.opened;
  await store.createProperty(DEMO_PROPERTY);
  const clock = new TestClock();
  const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
  const errors: unknown[] = [];
  const outcomeWaiters: ((o: Outcome) => void)[] = [];
  const logger = anyLevel((_m, e) => void errors.push(e));
  const ownerDesk = new OwnerDesk({ store, clock, ids: sequentialIds(), logger, ...(o.hotline ? { hotline: o.hotline(o.opened) } : {}) });
  const staffDesk = new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN", extensions: o.extensions?.(o.opened) ?? [] });
  const answered = (outcome: Outcome) => (outcomeWaiters.shift()?.(outcome), outcome);
  const telegram = o.create({
    token: api.token,
    apiRoot,
    store,
    clock,
    renderer,
    transformers: "test",
    logger,
      // An owner addressing the bot in an owners' group is moved to a private chat, as in main.ts.
      desk: { handle: async (inbound) => answered(await ownerDesk.handle(inbound)), handoffFromGroup: (handoff) => ownerDesk.handoffFromGroup(handoff) },
      staffDesk: {
        handle: async (inbound) => answered(await staffDesk.handle(inbound)),
        attach: async (inbound) => {
          const taken = await staffDesk.attach(inbound);
          return taken && answered(taken);
        },
      },
  });
  await telegram.start();
  const sender = createOutboxSender({
    outbox,
    store,
    transports: [telegram.transport],
    render: outboxRenderer({ store, renderer, staffLocale: "zh-CN" }),
    clock,
    sleep: async (ms) => clock.advance(ms),
    maxWaitMs: 10 * 60_000,
    logger,
  });

  async function turn(act: () => unknown): Promise<{ text: string; buttons: string[] }> {
    clock.advance(1000);
    const since = api.calls.length;
    const outcome = within(new Promise<Outcome>((resolve) => outcomeWaiters.push(resolve)), "a desk to answer");
    act();
    const sent: ApiCall[] = [];
    for (let n = telegramMessages(await outcome, renderer).length; sent.length < n; ) {
      sent.push(await api.waitForCall((c) => c.method === "sendMessage" && !c.error, { since: (sent.at(-1)?.index ?? since - 1) + 1 }));
    }
    const messages = sent.map((c) => c.result as Message);
    return { text: messages.map((m) => m.text).join("\n"), buttons: messages.length > 0 ? buttonRows(messages.at(-1)!).flat() : [] };
  }

  return {
    api,
    store,
    clock,
    renderer,
    sender,
    turn,
    say: (text, from, replyTo) => turn(() => api.userMessage({ text, from, ...(replyTo ? { replyTo } : {}) })),
    async deliver() {
      for (let round = 0; round < 100; round++) {
        await sender.drainOnce();
        const pending = await outbox.due(FAR, 100);
        if (pending.length === 0) return;
        clock.advance(Math.max(Math.min(...pending.map((p) => p.nextAttemptAt.getTime())) - clock.now().getTime(), 1));
      }
      throw new Error("the outbox never emptied");
    },
    async invite(grant) {
      const property = (await store.properties())[0]!;
      const now = clock.now();
      return (await store.createInvite({ propertyId: property.id, grant, expiresAt: new Date(now.getTime() + 86_400_000), createdAt: now })).code;
    },
    botMessage(chatId, text) {
      const found = api.botMessages(chatId).reverse().find((m) => m.text?.includes(text));
      if (!found) throw new Error(`no message with "${text}" in chat ${chatId}: ${api.botMessages(chatId).map((m) => m.text).join(" | ")}`);
      return found;
    },
    async close() {
      await telegram.stop();
      await sender.stop();
      await api.stop();
      await o.opened.close();
      expect(errors).toEqual([]);
    },
  };
}
