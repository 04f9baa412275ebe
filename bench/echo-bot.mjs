// The yardstick of bench/telegram.bench.ts: a bare grammY echo bot, no API transformers, run as
// its own process (as Guanjia is), polling with @grammyjs/runner and sequentialize per chat, the
// adapter's allowed_updates. Plain JavaScript, so nothing compiles it at run time either.
// ECHO_TRANSFORMERS=production adds the transformers src/adapters/telegram/grammy.ts installs in
// production (the pacing on Guanjia's throttle, then auto-retry), to tell what they cost a
// message; ECHO_PACE names their bundle (bench/echo-pace.ts, built by the bench).
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize } from "@grammyjs/runner";
import { Bot } from "grammy";

const bot = new Bot(process.env.TELEGRAM_BOT_TOKEN, { client: { apiRoot: process.env.TELEGRAM_API_ROOT } });
if (process.env.ECHO_TRANSFORMERS === "production") {
  const { pacedCalls, PLATFORM_LIMITS, Throttle } = await import(process.env.ECHO_PACE);
  bot.api.config.use(pacedCalls(new Throttle(PLATFORM_LIMITS.telegram), { now: () => new Date() }), autoRetry());
}
bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
bot.catch((err) => {
  console.error(`echo: update ${err.ctx.update.update_id} failed: ${String(err.error)}`);
  process.exit(1);
});
await bot.init();
const runner = run(bot, { runner: { fetch: { allowed_updates: ["message", "callback_query", "my_chat_member"] } } });
process.once("SIGTERM", () => void runner.stop().then(() => process.exit(0)));
