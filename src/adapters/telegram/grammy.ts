/**
 * The bot on grammY: long polling through @grammyjs/runner, one update at a time per chat. Each
 * update is routed (route.ts) to the owner desk or the staff desk and the `Outcome` sent back into
 * the same chat; the bot's removal from a group deactivates the group. Nothing here decides
 * anything about a complaint. What the desks queue for later (cards, owners' notices) goes out
 * through the outbox sender over `transport`, not through this bot.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { createServer, type Server } from "node:http";
import { Bot, webhookCallback, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { UpdateInbox } from "../../core/desk/inbound.js";
import type { Logger } from "../../core/logger.js";
import type { Clock } from "../../core/time/clock.js";
import { botApiClient } from "./bot-api-fetch.js";
import { handleUpdate, type HandleOptions, type UpdateContext } from "./handle.js";
import { pacedCalls, type SendSlots } from "./pace.js";
import { watchedSend, watchedSends } from "./send-watch.js";
import { keepFetchedUpdates, replayUnfinished } from "./inbox.js";
import { ALLOWED_UPDATES, InFlight, type TelegramBot } from "./runtime.js";
import { telegramSenderApi, telegramTransport } from "./transport.js";
import { telegramBotInfo } from "./start-up.js";

export interface GrammyBotOptions extends HandleOptions {
  readonly token: string;
  /** Another Bot API server, e.g. a local one or a test fake; no trailing slash. */
  readonly apiRoot?: string;
  /** Skips the getMe call at start. */
  readonly botInfo?: UserFromGetMe;
  /** The wait between start-up tries while getMe fails (./start-up.ts); tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** "test" keeps retries short so a failing test fails fast and teardown never waits on a backoff. */
  readonly transformers?: "production" | "test";
  /**
   * The outbox sender's Telegram throttle, which the bot's own replies take their slots from
   * (pace.ts); required in production. A test without one sends its replies unpaced.
   */
  readonly throttle?: SendSlots;
  /** The one operator's log (src/infra/logger.ts in production). */
  readonly logger: Logger;
  /**
   * Receive updates on an HTTP endpoint instead of long polling: Telegram POSTs to `url` (the
   * public HTTPS address that reaches `port` here) with `secretToken` in a header, and anything
   * without it is refused.
   */
  readonly webhook?: { readonly url: string; readonly port: number; readonly host?: string; readonly secretToken: string };
  /**
   * Where long polling keeps each fetched batch before the runner's next poll confirms it to
   * Telegram (inbox.ts). Without it, updates in flight at a crash are lost.
   */
  readonly inbox?: UpdateInbox;
}

export type GrammyBot = TelegramBot<Bot>;

/**
 * How often the runner asks Telegram for updates. By default it asks again the moment an answer
 * arrives, so owners typing at a person's pace come one update a getUpdates call: a round trip,
 * a JSON parse and an inbox commit each (issue 16 item 2). Waiting up to POLL_PACE's delay after
 * a small batch lets the updates of that time come together; a busy bot (full batches) does not
 * wait. The delay is all an owner's answer can lose, well under what a person notices.
 */
const POLL_PACE = { speedTrafficBalance: 0.5, maxDelayMilliseconds: 80 } as const;

export function createGrammyBot(o: GrammyBotOptions): GrammyBot {
  const logger = o.logger;
  const bot = new Bot(o.token, { botInfo: o.botInfo, client: botApiClient(o.apiRoot) });
  installTransformers(bot, o.transformers ?? "production", o.throttle, o.clock);
  // Installed last, so outermost: it keeps the batch that retries finally got, before the runner sees it.
  if (o.inbox && !o.webhook) bot.api.config.use(keepFetchedUpdates(o.inbox, o.clock));

  const inFlight = new InFlight();
  bot.use(inFlight.track);
  // The desks serialise what they must; this also keeps a chat's replies in order.
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
  bot.use((ctx) => handleUpdate(grammyContext(ctx, logger), o, logger));
  bot.catch((err) => logger.error(`update ${err.ctx.update.update_id} failed`, err.error));

  let runner: RunnerHandle | undefined;
  let server: Server | undefined;
  return {
    bot,
    transport: telegramTransport(telegramSenderApi(o.token, o.apiRoot)),
    async start() {
      if (!bot.isInited()) bot.botInfo = o.botInfo ?? (await telegramBotInfo(o.token, o.apiRoot, { logger, sleep: o.sleep }));
      const started = { username: bot.botInfo.username };
      if (runner?.isRunning() || server) return started;
      await bot.init();
      if (o.webhook) {
        server = await listen(bot, o.webhook);
        return started;
      }
      // Telegram refuses getUpdates (409) while a webhook is set, e.g. left by an earlier deploy.
      await bot.api.deleteWebhook();
      if (o.inbox) await replayUnfinished(o.inbox, o.clock, (u) => bot.handleUpdate(u), logger);
      runner = run(bot, { source: POLL_PACE, runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
      runner.task()?.catch((e: unknown) => logger.error("polling stopped", e));
      return started;
    },
    webhookPort() {
      const address = server?.address();
      return address && typeof address === "object" ? address.port : null;
    },
    async stop() {
      const r = runner;
      runner = undefined;
      if (r?.isRunning()) await r.stop();
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
      await inFlight.drain(logger);
    },
  };
}

/**
 * The webhook endpoint: grammY's own handler checks the secret token and answers Telegram once
 * the update is handled (so a failure is redelivered; the store's dedupe makes that harmless).
 */
async function listen(bot: Bot, hook: NonNullable<GrammyBotOptions["webhook"]>): Promise<Server> {
  await bot.api.setWebhook(hook.url, { secret_token: hook.secretToken, allowed_updates: [...ALLOWED_UPDATES] });
  const handle = webhookCallback(bot, "http", { secretToken: hook.secretToken, onTimeout: "return", timeoutMilliseconds: 55_000 });
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(hook.port, hook.host ?? "0.0.0.0", () => resolve());
  });
  return server;
}


/**
 * The send watch innermost (send-watch.ts), then pacing, so that auto-retry, installed after it
 * and so outside it, takes a new slot for each try.
 */
function installTransformers(bot: Bot, mode: "production" | "test", throttle: SendSlots | undefined, clock: Clock): void {
  bot.api.config.use(watchedSends());
  if (mode === "production") {
    // Unpaced, the bot would meet Telegram's 429s in any busy chat: main.ts hands the sender's throttle.
    if (!throttle) throw new Error("the grammY bot needs the outbox sender's throttle in production (GrammyBotOptions.throttle)");
    bot.api.config.use(pacedCalls(throttle, clock));
    bot.api.config.use(autoRetry());
    return;
  }
  // Production's auto-retry retries 5xx and network errors forever (a stopped fake would hang teardown).
  if (throttle) bot.api.config.use(pacedCalls(throttle, clock));
  bot.api.config.use(
    autoRetry({ maxRetryAttempts: 1, maxDelaySeconds: 2, rethrowInternalServerErrors: true, rethrowHttpErrors: true }),
  );
}

/** A grammY context as the shared handling sees it. */
function grammyContext(ctx: Context, logger: Logger): UpdateContext {
  return {
    update: ctx.update,
    botUsername: ctx.me.username,
    chatId: ctx.chat?.id,
    sendMessage: (chatId, text, options, watch) => watchedSend(chatId, text, watch, () => ctx.api.sendMessage(chatId, text, options)),
    sendPhoto: (chatId, fileId, options) => ctx.api.sendPhoto(chatId, fileId, options),
    answerQuery: (alert) => ctx.answerCallbackQuery(alert === undefined ? undefined : { text: alert, show_alert: true }).then(
      () => undefined,
      (e: unknown) => logger.warn("answerCallbackQuery failed", e),
    ),
  };
}
