/**
 * How `npm start` runs the playground beside the console or the platforms (main.ts calls it with
 * no token and a person at the terminal, or with PLAYGROUND=on; never for a piped console script
 * unless asked, whose run ends at the script's end). Its file sits beside the deployment's SQLite file.
 * A playground that cannot start (its port taken) is said and skipped: the bot still serves.
 */
import { dirname, join, resolve } from "node:path";
import type { Config } from "./config.js";
import type { Logger } from "./core/logger.js";
import { systemClock } from "./infra/system.js";
import { PLAYGROUND_DATABASE, startPlayground, type Playground } from "./playground.js";

export async function playgroundBeside(config: Config, logger: Logger): Promise<Playground | null> {
  if (!config.playground) return null;
  const main = config.databaseUrl.startsWith("file:") ? config.databaseUrl.slice("file:".length) : null;
  const databaseFile = main && main !== ":memory:" ? join(dirname(main), "playground.db") : PLAYGROUND_DATABASE;
  // Never the deployment's own file, whatever it is called.
  if (main && resolve(main) === resolve(databaseFile)) {
    logger.warn(`playground not started: DATABASE_URL is ${databaseFile}, the playground's own file`);
    return null;
  }
  try {
    const playground = await startPlayground({
      port: config.playground.port,
      databaseFile,
      timeZone: config.timeZone,
      staffLocale: config.defaultLocale,
      schedules: config.schedules,
      logger,
      realClock: systemClock,
    });
    console.log(`playground: ${playground.url} (its own database ${databaseFile} and clock; PLAYGROUND=off turns it off)`);
    return playground;
  } catch (e) {
    logger.warn(`playground not started: ${(e as Error).message}`);
    return null;
  }
}
