/**
 * The composition root: the only place that wires adapters to infra. With no platform token
 * configured, the bot runs on the local console over the embedded database.
 */
import { loadConfig, ConfigError, type Config } from "./config.js";
import { OwnerDesk, type Logger } from "./core/intake/desk.js";
import { runConsole } from "./adapters/console/console.js";
import { createSlackOwnerApp } from "./adapters/slack/bolt.js";
import { createGrammyOwnerBot } from "./adapters/telegram/grammy.js";
import { loadCatalog } from "./i18n/catalog.js";
import { createRenderer } from "./i18n/render.js";
import { DEMO_PROPERTY } from "./infra/demo-property.js";
import { openStore } from "./infra/prisma/open.js";
import { systemClock, uuidIds } from "./infra/system.js";

function logger(level: Config["logLevel"]): Logger {
  return {
    error(message, error) {
      if (level !== "silent") console.error(`[error] ${message}`, error);
    },
  };
}

/** Runs until SIGINT or SIGTERM (Ctrl-C, or the service manager stopping the bot). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const { store, close, backend } = await openStore({ databaseUrl: config.databaseUrl, ids: uuidIds });
  try {
    if (config.seedDemoProperty && (await store.properties()).length === 0) await store.createProperty(DEMO_PROPERTY);
    const desk = new OwnerDesk({ store, clock: systemClock, ids: uuidIds, logger: logger(config.logLevel) });
    const renderer = createRenderer(await loadCatalog(), config.timeZone);
    const log = logger(config.logLevel);
    if (!config.telegram && !config.slack) {
      await runConsole({
        desk,
        renderer,
        input: process.stdin,
        output: process.stdout,
        userId: config.consoleUser,
        locale: config.defaultLocale,
        storeLabel: backend === "sqlite" ? config.databaseUrl.replace(/^file:/, "") : "PostgreSQL",
        interactive: process.stdin.isTTY === true,
      });
      return;
    }
    const stops: (() => Promise<void>)[] = [];
    if (config.telegram) {
      const bot = createGrammyOwnerBot({ token: config.telegram.token, apiRoot: config.telegram.apiRoot, desk, renderer, logger: log });
      await bot.start();
      stops.push(() => bot.stop());
      console.log(`telegram: @${bot.bot.botInfo.username} is polling`);
    }
    if (config.slack) {
      const { botToken, signingSecret, appToken, port } = config.slack;
      const app = createSlackOwnerApp({
        botToken,
        signingSecret,
        desk,
        renderer,
        logger: log,
        mode: appToken ? { kind: "socket", appToken } : { kind: "http", port },
      });
      const started = await app.start();
      stops.push(() => app.stop());
      console.log(appToken ? "slack: connected in Socket Mode" : `slack: listening for events on port ${started.port}`);
    }
    await untilSignal();
    for (const stop of stops) await stop();
  } finally {
    await close();
  }
}

await main();
