/**
 * The durable fast path on Telegram (issue 3, item 8): an owner's replies are queued with the
 * conversation save, sent at once by the bot, and delivered by the outbox sender when the bot's
 * send fails or the process dies before it. Both runtimes over the fake Bot API, on both
 * databases, with the real OwnerDesk, the real sender over the bot's transport and one clock
 * that only the test (and the sender's sleep) moves.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegrafBot } from "../../../src/adapters/telegraf/telegraf.js";
import { createGrammyBot } from "../../../src/adapters/telegram/grammy.js";
import type { TelegramBot } from "../../../src/adapters/telegram/runtime.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import { type DeskOutcome, type ReplyRoute } from "../../../src/core/desk/inbound.js";
import type { Inbound } from "../../../src/core/messages.js";
import type { NewOutboxMessage } from "../../../src/core/outbox.js";
import { t } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { outboxRenderer } from "../../../src/infra/outbox/render.js";
import { createOutboxSender, type OutboxSender } from "../../../src/infra/outbox/sender.js";
import { createReplyOutbox } from "../../../src/infra/prisma/conversations.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { backends, type TestStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";
import { buttonRows, DEFAULT_USER, FakeBotApi } from "../../fakes/telegram-bot-api.js";
import { within } from "../../support/wait.js";

const OWNER = DEFAULT_USER;
const TO = { platform: "telegram", chatId: String(OWNER.id) } as const;
const HOLD_MS = 20_000;
/** A ticket notice to the owner's chat, as a staff action queues one. */
const NOTICE: NewOutboxMessage = { kind: "message", to: TO, body: { locale: "zh-CN", text: [t("notice.claimed", { number: "HG-0001", name: "王强" })] } };
const RUNTIMES = [
  { name: "grammY", create: createGrammyBot },
  { name: "Telegraf", create: createTelegrafBot },
];

describe.each(backends())("owner replies queued with the conversation on $name", (backend) => {
  describe.each(RUNTIMES)("over $name", ({ create }) => {
    let api: FakeBotApi;
    let db: TestStore;
    let clock: TestClock;
    let renderer: Renderer;
    let desk: OwnerDesk;
    let telegram: TelegramBot<unknown>;
    let sender: OutboxSender;
    let errors: unknown[];
    let errorWaiters: (() => void)[];
    let turnWaiters: (() => void)[];
    let lastOutcome: DeskOutcome | undefined;

    const newDesk = () =>
      new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies: db.use(createReplyOutbox), replyHoldMs: HOLD_MS });

    /** The bot's turn is over when it settled what the desk queued, or at once if it had nothing to send itself. */
    function tracked(outcome: DeskOutcome): DeskOutcome {
      const d = outcome.delivery;
      if (!d) throw new Error("the desk did not queue the replies");
      lastOutcome = outcome;
      const finished = () => turnWaiters.shift()?.();
      if (!d.direct) {
        finished();
        return outcome;
      }
      return { ...outcome, delivery: { direct: true, inTime: () => d.inTime(), watch: (from, through) => d.watch(from, through), progress: (n) => d.progress(n), settle: async (n) => (await d.settle(n), await desk.settled(), finished()) } };
    }

    beforeEach(async () => {
      api = new FakeBotApi();
      const apiRoot = await api.start();
      db = await backend.open();
      await db.store.createProperty(DEMO_PROPERTY);
      clock = new TestClock();
      renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
      errors = [];
      errorWaiters = [];
      turnWaiters = [];
      desk = newDesk();
      const logger = anyLevel((_m, e) => void (errors.push(e), errorWaiters.shift()?.()));
      telegram = create({
        token: api.token,
        apiRoot,
        store: db.store,
        clock,
        renderer,
        transformers: "test",
        logger,
        desk: { handle: async (inbound: Inbound, route?: ReplyRoute) => tracked(await desk.handle(inbound, route)) },
      });
      await telegram.start();
      sender = createOutboxSender({
        outbox: db.outbox,
        store: db.store,
        transports: [telegram.transport],
        render: outboxRenderer({ store: db.store, renderer, staffLocale: "zh-CN" }),
        clock,
        sleep: async (ms) => clock.advance(ms),
        logger,
      });
    });

    afterEach(async () => {
      await telegram.stop();
      await api.stop();
      await db.close();
      expect(errors).toEqual([]);
    });

    /** Does `act` a second after the last thing happened and waits until the bot is done with it. */
    async function turn(act: () => unknown): Promise<void> {
      clock.advance(1000);
      const done = new Promise<void>((resolve) => turnWaiters.push(resolve));
      act();
      await within(done, "the bot to finish the turn", 10_000);
    }
    const say = (text: string) => turn(() => api.userMessage({ text }));

    function press(label: string): Promise<void> {
      const message = api.botMessages(OWNER.id).reverse().find((m) => buttonRows(m).flat().includes(label));
      const button = message?.reply_markup?.inline_keyboard.flat().find((b) => b.text === label);
      if (!message || !button || !("callback_data" in button)) throw new Error(`no button "${label}"`);
      return turn(() => api.pressButton({ message, data: button.callback_data }));
    }

    const texts = () => api.botMessages(OWNER.id).map((m) => m.text ?? "");
    const sendCalls = () => api.calls.filter((c) => c.method === "sendMessage" && !c.error).length;
    const notice = () => renderer.reply({ text: (NOTICE as Extract<NewOutboxMessage, { kind: "message" }>).body.text }, "zh-CN").text;

    it("delivers a reply whose send failed through the sender, once, before what was queued after it", async () => {
      api.failNext("sendMessage", { error_code: 500 });
      const logged = new Promise<void>((resolve) => errorWaiters.push(resolve));
      await say("楼上漏水,我家天花板都泡了");
      await within(logged, "the failed send to be logged", 10_000);
      expect(errors).toHaveLength(1);
      errors.length = 0;
      expect(texts()).toEqual([]);

      // A staff action right after: its notice must not overtake the reply.
      await db.outbox.enqueue([NOTICE], clock.now());
      // Released when the send failed: no waiting out the hold.
      expect(await sender.drainOnce()).toEqual({ sent: 2, retried: 0, dead: 0 });
      expect(texts()).toHaveLength(2);
      expect(texts()[0]).toContain("【报修 · 工程维修】");
      expect(texts()[1]).toBe(notice());

      clock.advance(10 * HOLD_MS);
      expect(await sender.drainOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
      // The question the sender delivered is a live one: its buttons work.
      await press("对,继续");
      expect(texts().at(-1)).toContain("房号");
      expect(texts()).toHaveLength(3);
    });

    it("never sends again what the bot delivered itself", async () => {
      await say("楼上漏水,我家天花板都泡了");
      await press("对,继续");
      await say("A区5栋2单元301");
      await turn(() => api.userVoice());
      const sent = sendCalls();
      expect(texts().at(-1)).toContain("怎么称呼");

      clock.advance(10 * HOLD_MS);
      expect(await sender.drainOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
      expect(sendCalls()).toBe(sent);
      expect(await db.outbox.due(new Date("3000-01-01T00:00:00Z"), 100)).toEqual([]);
    });

    it("delivers after the hold what a process that died between the save and the send never sent, in order", async () => {
      // The turn is saved with its replies; the process dies before the adapter sends them.
      const lost = await desk.handle({ channel: "telegram", conversationKey: `telegram:${OWNER.id}:${OWNER.id}`, sender: { platformUserId: String(OWNER.id), languageCode: "zh-hans" }, body: { type: "text", text: "楼上漏水,我家天花板都泡了" } }, { to: TO });
      expect(lost.delivery?.direct).toBe(true);
      expect(lost.replies).toHaveLength(1);
      await db.outbox.enqueue([NOTICE], clock.now());
      expect(await sender.drainOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });

      // Restarted; the owner, seeing nothing, presses on. Sent now, the answer would overtake.
      desk = newDesk();
      await say("喂?");
      expect(texts()).toEqual([]);
      clock.advance(HOLD_MS - 2000);
      expect(await sender.drainOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });

      const later = lastOutcome!.replies.map((r) => renderer.reply(r, lastOutcome!.locale).text);
      clock.advance(1000);
      expect(await sender.drainOnce()).toEqual({ sent: 2 + later.length, retried: 0, dead: 0 });
      expect(texts()).toEqual([renderer.reply(lost.replies[0]!, lost.locale).text, notice(), ...later]);
      expect(texts()[0]).toContain("【报修 · 工程维修】");
      expect(api.botMessages(OWNER.id).at(-1)!.reply_markup).toBeDefined();
    });
  });
});
