/**
 * The owner-side Telegram bot on grammY: long polling through @grammyjs/runner, one update at
 * a time per chat, each translated to an `Inbound`, handed to the desk, and the `Outcome`
 * sent back. Nothing here decides anything about a complaint.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot, GrammyError, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "../../core/intake/desk.js";
import type { Inbound, Outcome } from "../../core/messages.js";
import type { Renderer } from "../../i18n/render.js";
import { telegramMessages } from "./render.js";
import { inboundFromUpdate } from "./updates.js";

export interface TelegramDesk {
  handle(inbound: Inbound): Promise<Outcome>;
}

export interface GrammyOwnerBotOptions {
  readonly token: string;
  /** Another Bot API server, e.g. a local one or a test fake; no trailing slash. */
  readonly apiRoot?: string;
  readonly desk: TelegramDesk;
  readonly renderer: Renderer;
  /** Skips the getMe call at start. */
  readonly botInfo?: UserFromGetMe;
  /** "test" keeps retries short so a failing test fails fast and teardown never waits on a backoff. */
  readonly transformers?: "production" | "test";
  readonly logger?: Logger;
}

export interface GrammyOwnerBot {
  readonly bot: Bot;
  /** Resolves once polling has begun; rejects if the token or the API root is wrong. */
  start(): Promise<void>;
  /** Stops polling and waits for updates already being handled, so the store can close after it. */
  stop(): Promise<void>;
}

/** In production auto-retry waits out network errors forever; shutdown must not wait with it. */
const DRAIN_MS = 10_000;

const consoleLogger: Logger = { error: (message, error) => console.error(`[telegram] ${message}`, error) };

export function createGrammyOwnerBot(o: GrammyOwnerBotOptions): GrammyOwnerBot {
  const logger = o.logger ?? consoleLogger;
  const bot = new Bot(o.token, { botInfo: o.botInfo, client: o.apiRoot ? { apiRoot: o.apiRoot } : {} });
  installTransformers(bot, o.transformers ?? "production");

  const inFlight = new Set<Promise<void>>();
  bot.use(async (_ctx, next) => {
    const handling = next();
    inFlight.add(handling);
    try {
      await handling;
    } finally {
      inFlight.delete(handling);
    }
  });
  // The desk already serialises a conversation; this also keeps a chat's replies in order.
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString()));
  bot.use((ctx) => handleUpdate(ctx, o.desk, o.renderer, logger));
  bot.catch((err) => logger.error(`update ${err.ctx.update.update_id} failed`, err.error));

  let runner: RunnerHandle | undefined;
  return {
    bot,
    async start() {
      if (runner?.isRunning()) return;
      await bot.init();
      // Telegram refuses getUpdates (409) while a webhook is set, e.g. left by an earlier deploy.
      await bot.api.deleteWebhook();
      runner = run(bot, { runner: { fetch: { allowed_updates: ["message", "callback_query"] } } });
      runner.task()?.catch((e: unknown) => logger.error("polling stopped", e));
    },
    async stop() {
      const r = runner;
      runner = undefined;
      if (r?.isRunning()) await r.stop();
      if (!(await drained(inFlight, DRAIN_MS))) logger.error(`stopped with ${inFlight.size} update(s) still in progress`, null);
    },
  };
}

async function drained(inFlight: Set<Promise<void>>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  const done = (async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    return true as const;
  })();
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

function installTransformers(bot: Bot, mode: "production" | "test"): void {
  if (mode === "production") {
    bot.api.config.use(apiThrottler());
    bot.api.config.use(autoRetry());
    return;
  }
  // The defaults allow one message a second per chat (a ten-message test would take ten
  // seconds) and retry 5xx and network errors forever (a stopped fake would hang teardown).
  bot.api.config.use(apiThrottler({ global: {}, group: { maxConcurrent: 1 }, out: { maxConcurrent: 1 } }));
  bot.api.config.use(
    autoRetry({ maxRetryAttempts: 1, maxDelaySeconds: 2, rethrowInternalServerErrors: true, rethrowHttpErrors: true }),
  );
}

async function handleUpdate(ctx: Context, desk: TelegramDesk, renderer: Renderer, logger: Logger): Promise<void> {
  const inbound = inboundFromUpdate(ctx.update, ctx.me.username);
  if (ctx.callbackQuery) {
    // Answered even when ignored: the owner's client shows a spinner until it is.
    await ctx.answerCallbackQuery().catch((e: unknown) => logger.error("answerCallbackQuery failed", e));
    if (inbound && !(await removeKeyboard(ctx, logger))) return;
  }
  if (!inbound || !ctx.chat) return;
  const outcome = await desk.handle(inbound);
  for (const m of telegramMessages(outcome, renderer)) {
    await ctx.api.sendMessage(ctx.chat.id, m.text, m.reply_markup ? { reply_markup: m.reply_markup } : {});
  }
}

/**
 * Takes the buttons off the pressed message so they cannot be pressed twice. Returns false
 * when they were already gone: a double tap delivers two presses before the first is handled.
 */
async function removeKeyboard(ctx: Context, logger: Logger): Promise<boolean> {
  const message = ctx.callbackQuery?.message;
  // date 0: the message is too old for the bot to see or edit; the choice still counts.
  if (!message || message.date === 0) return true;
  try {
    await ctx.api.editMessageReplyMarkup(message.chat.id, message.message_id);
    return true;
  } catch (e) {
    if (e instanceof GrammyError && e.error_code === 400 && /message is not modified/i.test(e.description)) return false;
    logger.error("removing a pressed keyboard failed", e);
    return true;
  }
}
