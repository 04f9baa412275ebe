// What the echo bot needs to install Guanjia's production transformers (bench/echo-bot.mjs with
// ECHO_TRANSFORMERS=production): bundled by bench/telegram.bench.ts to dist/bench/echo-pace.mjs.
export { pacedCalls } from "../src/adapters/telegram/pace.js";
export { PLATFORM_LIMITS, Throttle } from "../src/infra/outbox/throttle.js";
