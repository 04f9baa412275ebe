// The yardstick of bench/telegram.bench.ts: a bare grammY echo bot, no API transformers, run as
// its own process (as Guanjia is), polling with @grammyjs/runner and sequentialize per chat, the
// adapter's allowed_updates. Plain JavaScript, so nothing compiles it at run time either.
// ECHO_TRANSFORMERS=production adds the transformers src/adapters/telegram/grammy.ts installs in
// production (the throttler, then auto-retry), to tell what they cost a message.
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize } from "@grammyjs/runner";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot } from "grammy";

const bot = new Bot(process.env.TELEGRAM_BOT_TOKEN, { client: { apiRoot: process.env.TELEGRAM_API_ROOT } });
if (process.env.ECHO_TRANSFORMERS === "production") bot.api.config.use(apiThrottler(), autoRetry());
bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
bot.catch((err) => {
  console.error(`echo: update ${err.ctx.update.update_id} failed: ${String(err.error)}`);
  process.exit(1);
});
await bot.init();
const runner = run(bot, { runner: { fetch: { allowed_updates: ["message", "callback_query", "my_chat_member"] } } });
process.once("SIGTERM", () => void runner.stop().then(() => process.exit(0)));
