/**
 * The bot on Telegraf: the same behaviour as the grammY bot (../telegram/grammy.ts), selectable by
 * configuration. Long polling through Telegraf's own launch(), or a webhook endpoint (Telegraf's
 * webhookCallback on node:http) when `webhook` is given; each update is routed by the shared
 * route.ts to the owner desk or the staff desk and the `Outcome` sent back into the same chat; the
 * bot's removal from a group deactivates the group. Nothing here decides anything about a
 * complaint. What the desks queue for later goes out through the outbox sender over `transport`;
 * the bot's own replies take their slots from the sender's throttle (../telegram/pace.ts), so
 * both keep Telegram's limits together, as on grammY.
 *
 * Telegraf's polling is NOT one update at a time: Polling.loop() fetches a batch (up to 100) and
 * handles it with `Promise.all(updates.map(handleUpdate))`, so a batch's updates run concurrently,
 * and the next getUpdates waits for the whole batch. The middleware below serialises each chat's
 * updates (like grammY runner's `sequentialize`), so a chat's replies stay in order while
 * different chats are handled side by side.
 */
import { createServer, type Server } from "node:http";
import { Telegraf, TelegramError, type Context } from "telegraf";
import type { GrammyBotOptions } from "../telegram/grammy.js";
import { telegramSenderApi, telegramTransport } from "../telegram/transport.js";
import { handleUpdate } from "../telegram/handle.js";
import { pacedCall, pacedChat, realSleep, type SendSlots } from "../telegram/pace.js";
import type { Clock } from "../../core/time/clock.js";
import { telegramBotInfo } from "../telegram/start-up.js";
import { telegrafContext, type RetryPolicy } from "./handle.js";
import { ALLOWED_UPDATES, InFlight, type TelegramBot } from "../telegram/runtime.js";

/** The same options as the grammY bot's; `transformers` picks the retry policy of the bot's own replies. */
export type TelegrafBotOptions = GrammyBotOptions;

export type TelegrafBot = TelegramBot<Telegraf>;

/** grammY's production auto-retry waits out any 429; this waits out the reasonable ones. */
const RETRY: Record<"production" | "test", RetryPolicy> = {
  production: { maxRetries: 3, maxDelaySeconds: 60 },
  test: { maxRetries: 1, maxDelaySeconds: 2 },
};


export function createTelegrafBot(o: TelegrafBotOptions): TelegrafBot {
  const logger = o.logger;
  const mode = o.transformers ?? "production";
  const retry = RETRY[mode];
  // As on grammY: unpaced, the bot's replies would meet Telegram's 429s in any busy chat.
  if (mode === "production" && !o.throttle) throw new Error("the Telegraf bot needs the outbox sender's throttle in production (TelegrafBotOptions.throttle)");
  // webhookReply off: Telegraf would otherwise answer the webhook POST with the first sendMessage,
  // which then cannot fail visibly, and confirms the update before it is handled.
  const bot = new Telegraf(o.token, { telegram: { webhookReply: false, ...(o.apiRoot ? { apiRoot: o.apiRoot } : {}) } });
  // Same JSON; grammY's type knows a few newer fields than @telegraf/types.
  if (o.botInfo) bot.botInfo = o.botInfo as unknown as NonNullable<Telegraf["botInfo"]>;

  const inFlight = new InFlight();
  bot.use(inFlight.track);
  // The desks serialise what they must; this also keeps a chat's replies in order.
  bot.use(sequentialPerChat());
  // Telegraf gives each update a Telegram client of its own (ctx.telegram), so the pacing goes on each.
  if (o.throttle) {
    const throttle = o.throttle;
    bot.use((ctx, next) => (paceReplies(ctx.telegram, throttle, o.clock), next()));
  }
  bot.use((ctx) => handleUpdate(telegrafContext(ctx, logger, retry), o, logger));
  // Without it Telegraf rethrows, which ends polling (launch() rejects).
  bot.catch((err, ctx) => logger.error(`update ${ctx.update.update_id} failed`, err));

  // launch() resolves only when polling ends, so "polling has begun" is seen on the client: the
  // first getUpdates call on bot.telegram (the instance Telegraf's Polling uses).
  let onPoll: (() => void) | undefined;
  const callApi = bot.telegram.callApi.bind(bot.telegram);
  bot.telegram.callApi = ((method, payload, opts) => {
    if (method === "getUpdates") onPoll?.();
    return callApi(method, payload, opts);
  }) as typeof bot.telegram.callApi;

  let polling: Promise<void> | undefined;
  let server: Server | undefined;
  return {
    bot,
    // The sender needs a plain HTTP Bot API client with Telegram's errors sorted into the kinds it
    // acts on; the grammY transport is exactly that (15 s request timeout, GrammyError mapping), so
    // both runtimes send the outbox identically. Telegraf's callApi would mean a second error
    // mapping (TelegramError, 5xx without Telegram's description) and its 500 s request timeout.
    transport: telegramTransport(telegramSenderApi(o.token, o.apiRoot)),
    async start() {
      // Up front, on a client that reports and retries (../telegram/start-up.ts), so a wrong token or
      // API root is told to the operator instead of ending a detached launch().
      bot.botInfo ??= (await telegramBotInfo(o.token, o.apiRoot, { logger, sleep: o.sleep })) as unknown as NonNullable<Telegraf["botInfo"]>;
      const me = { username: bot.botInfo.username };
      if (polling || server) return me;
      if (o.webhook) {
        server = await listen(bot, o.webhook);
        return me;
      }
      const began = new Promise<void>((resolve) => (onPoll = resolve));
      // launch() also deletes any webhook: Telegram refuses getUpdates (409) while one is set.
      const loop = bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] });
      let started = false;
      // After start() resolved, an end of polling (e.g. 401, or 409 from a second instance) is logged;
      // before, it rejects start() itself.
      polling = loop.catch((e: unknown) => {
        if (started) logger.error("polling stopped", e);
      });
      try {
        await Promise.race([began, loop]);
        started = true;
        return me;
      } catch (e) {
        polling = undefined;
        throw e;
      } finally {
        onPoll = undefined;
      }
    },
    webhookPort() {
      const address = server?.address();
      return address && typeof address === "object" ? address.port : null;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) {
        const closed = new Promise<void>((resolve) => s.close(() => resolve()));
        s.closeIdleConnections();
        await closed;
      }
      const p = polling;
      polling = undefined;
      if (p) {
        // Aborts the waiting getUpdates; launch() then resolves once the batch in hand is handled
        // and the offset confirmed. Throws "Bot is not running!" only if polling already ended.
        try {
          bot.stop("stop()");
        } catch {
          // polling had already stopped (and was logged)
        }
        await p;
      }
      await inFlight.drain(logger);
    },
  };
}

/**
 * The webhook endpoint, like the grammY bot's: Telegraf's own handler checks the secret token and
 * answers Telegram once the update is handled (so a failure is redelivered; the store's dedupe
 * makes that harmless). Anything else than a POST to the hook's path with the secret gets 401.
 */
async function listen(bot: Telegraf, hook: NonNullable<TelegrafBotOptions["webhook"]>): Promise<Server> {
  await bot.telegram.setWebhook(hook.url, { secret_token: hook.secretToken, allowed_updates: [...ALLOWED_UPDATES] });
  const path = new URL(hook.url).pathname;
  const handle = bot.webhookCallback(path, { secretToken: hook.secretToken });
  const server = createServer((req, res) => {
    const refuse = () => {
      if (!res.headersSent) res.writeHead(401).end();
    };
    handle(req, res, refuse).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(hook.port, hook.host ?? "0.0.0.0", () => resolve());
  });
  return server;
}

/** Each chat's updates one after another, in the order they came; different chats side by side. */
function sequentialPerChat(): (ctx: Context, next: () => Promise<void>) => Promise<void> {
  const tails = new Map<string, Promise<void>>();
  return async (ctx, next) => {
    const key = ctx.chat?.id.toString();
    if (key === undefined) return next();
    const mine = (tails.get(key) ?? Promise.resolve()).then(() => next());
    const tail = mine.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    try {
      await mine;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

/** The bot's own replies on `telegram` take their slots from the sender's throttle, as on grammY (pace.ts). */
function paceReplies(telegram: Context["telegram"], throttle: SendSlots, clock: Clock): void {
  const callApi = telegram.callApi.bind(telegram);
  telegram.callApi = ((method, payload, opts) => {
    const chatId = pacedChat(method, payload);
    if (chatId === null) return callApi(method, payload, opts);
    return pacedCall(throttle, clock, realSleep, chatId, () => callApi(method, payload, opts), () => true, (outcome) =>
      "error" in outcome && outcome.error instanceof TelegramError && outcome.error.code === 429 ? outcome.error.parameters?.retry_after : null,
    );
  }) as typeof telegram.callApi;
}
