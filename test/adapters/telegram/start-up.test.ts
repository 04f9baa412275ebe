/**
 * Issue 11 §7: a Telegram that refuses or cannot be reached is reported at start-up within
 * seconds, with what to check, and tried again with backoff; both runtimes, against the fake
 * Bot API refusing and a closed port on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createTelegrafBot } from "../../../src/adapters/telegraf/telegraf.js";
import { createGrammyBot } from "../../../src/adapters/telegram/grammy.js";
import type { TelegramBot } from "../../../src/adapters/telegram/runtime.js";
import type { StaffDeskPort, OwnerDeskPort } from "../../../src/core/desk/inbound.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { FakeBotApi } from "../../fakes/telegram-bot-api.js";
import { TestClock } from "../../support/chat.js";
import { lineLogger } from "../../support/logger.js";
import { closedPort, GiveUp, recordedStart } from "../../support/start-up.js";

const TOKEN = "123456789:AAtestTOKENtestTOKENtest12";
const RUNTIMES = [
  { name: "grammY", create: createGrammyBot },
  { name: "Telegraf", create: createTelegrafBot },
] as const;

/** Nothing reaches the desks here: the bot never gets past start-up, or stops right after. */
const noDesk: OwnerDeskPort & StaffDeskPort = { handle: async () => ({ locale: "zh-CN", replies: [] }) };
const store = { processed: async () => false, markProcessed: async () => undefined, deactivateChat: async () => undefined, chatBinding: async () => null };

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

describe.each(RUNTIMES)("starting on $name", ({ create }) => {
  /** A bot whose start-up waits are recorded, not slept; `giveUpAfter` waits end the start. */
  async function starting(apiRoot: string, token: string, giveUpAfter: number) {
    const logged: string[] = [];
    let sleep: (ms: number) => Promise<void> = async () => undefined;
    const bot: TelegramBot<unknown> = create({
      token,
      apiRoot,
      desk: noDesk,
      store,
      clock: new TestClock(),
      renderer: createRenderer(await loadCatalog(), "Asia/Shanghai"),
      logger: lineLogger(logged),
      transformers: "test",
      sleep: (ms) => sleep(ms),
    });
    cleanup.push(() => bot.stop());
    return { ...(await recordedStart((s) => ((sleep = s), bot.start()), giveUpAfter)), logged };
  }

  it("a refused token is reported at once, naming TELEGRAM_BOT_TOKEN, and tried again with backoff", async () => {
    const api = new FakeBotApi(TOKEN);
    const apiRoot = await api.start();
    cleanup.push(() => api.stop());
    const r = await starting(apiRoot, "987654321:AAwrongTOKENwrongTOKENwr", 3);
    expect(r.result.ok).toBe(false);
    expect((r.result as { error: unknown }).error).toBeInstanceOf(GiveUp);
    expect(r.waits).toEqual([1000, 2000, 4000]);
    expect(r.logged).toHaveLength(3);
    expect(r.logged[0]).toMatch(/^error: telegram: getMe failed: Telegram refused the token \(401 Unauthorized\): check TELEGRAM_BOT_TOKEN.*trying again in 1 s/);
    expect(r.ms).toBeLessThan(5000);
  });

  it("a closed port is reported at once, naming TELEGRAM_API_ROOT and the network", async () => {
    const apiRoot = `http://127.0.0.1:${await closedPort()}`;
    const r = await starting(apiRoot, TOKEN, 2);
    expect(r.result.ok).toBe(false);
    expect(r.logged[0]).toContain(`could not reach the Bot API at ${apiRoot} (ECONNREFUSED): check TELEGRAM_API_ROOT`);
    expect(r.waits).toEqual([1000, 2000]);
    expect(r.ms).toBeLessThan(5000);
  });

  it("starts once getMe answers, and names the bot", async () => {
    const api = new FakeBotApi(TOKEN);
    const apiRoot = await api.start();
    cleanup.push(() => api.stop());
    api.failNext("getMe", { error_code: 401, description: "Unauthorized" });
    api.failNext("getMe", { error_code: 502, description: "Bad Gateway" });
    const r = await starting(apiRoot, TOKEN, 10);
    expect(r.result).toEqual({ ok: true, value: { username: api.botInfo.username } });
    expect(r.waits).toEqual([1000, 2000]);
    expect(r.logged.map((l) => l.split(":").slice(0, 3).join(":"))).toEqual(["error: telegram: getMe failed", "error: telegram: getMe failed"]);
    expect(r.logged[1]).toContain("answered 502 Bad Gateway: check TELEGRAM_API_ROOT");
    await api.waitForPoll(5000);
  });
});
