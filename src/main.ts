/**
 * The composition root: the only place that wires adapters to infra. With no platform token
 * configured, the bot runs on the local console over the embedded database.
 */
import { loadConfig, ConfigError, type Config } from "./config.js";
import { OwnerDesk, type Logger } from "./core/intake/desk.js";
import { runConsole } from "./adapters/console/console.js";
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
  } finally {
    await close();
  }
}

await main();
