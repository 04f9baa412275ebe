/**
 * The playground's wiring (issue 17): the whole job in a browser with no platform token. A
 * composition root of its own beside main.ts, over its own SQLite file (never the deployment's
 * database), its own movable clock, desks, outbox sender and jobs; its chats are a Telegram
 * client's (src/adapters/playground/room.ts), served on 127.0.0.1 only.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./adapters/playground/assets.js";
import { ChatLog } from "./adapters/playground/chat-log.js";
import { MovableClock } from "./adapters/playground/clock.js";
import { FileShelf } from "./adapters/playground/files.js";
import { guideProgress } from "./adapters/playground/guide.js";
import { Room } from "./adapters/playground/room.js";
import { startServer } from "./adapters/playground/server.js";
import type { Logger } from "./core/logger.js";
import type { Locale } from "./core/text.js";
import type { Clock } from "./core/time/clock.js";
import { loadCatalog } from "./i18n/catalog.js";
import { createRenderer } from "./i18n/render.js";
import { openStore } from "./infra/prisma/open.js";
import { uuidIds } from "./infra/system.js";
import type { JobName } from "./jobs/defaults.js";
import { createJobLedger } from "./infra/prisma/jobs.js";
import { startEngine } from "./playground-engine.js";
import { seedPlayground, setStaffLocale } from "./playground-seed.js";

/** Its own file by default, beside the deployment's data, so playing never touches real tickets. */
export const PLAYGROUND_DATABASE = "./data/playground.db";

export interface PlaygroundOptions {
  readonly port: number;
  /** A SQLite file path; migrated at start unless `migrated`. */
  readonly databaseFile?: string;
  readonly migrated?: boolean;
  readonly timeZone: string;
  readonly staffLocale: Locale;
  readonly schedules: Readonly<Record<JobName, string | null>>;
  readonly logger: Logger;
  /** The real clock the playground's time runs ahead of. */
  readonly realClock: Clock;
}

export interface Playground {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startPlayground(o: PlaygroundOptions): Promise<Playground> {
  const file = o.databaseFile ?? PLAYGROUND_DATABASE;
  const databaseUrl = `file:${file}`;
  if (!o.migrated) migrate(databaseUrl);
  const { store, outbox, use, close } = await openStore({ databaseUrl, ids: uuidIds });
  // How far ahead the playground's time is, kept so it never runs backwards across restarts.
  const offsetFile = `${file}.clock`;
  const clock = new MovableClock(o.realClock, existsSync(offsetFile) ? Number(readFileSync(offsetFile, "utf8")) || 0 : 0);
  const stops: (() => Promise<unknown>)[] = [close];
  try {
    const property = await seedPlayground(store, clock, o.staffLocale);
    const catalog = await loadCatalog();
    const renderer = createRenderer(catalog, o.timeZone);
    const log = new ChatLog();
    const files = new FileShelf();
    const engineDeps = { store, outbox, use, clock, renderer, timeZone: o.timeZone, logger: o.logger, log, files, schedules: o.schedules };
    let engine = await startEngine(engineDeps, o.staffLocale);
    stops.unshift(() => engine.stop());
    const room = new Room({
      logger: o.logger,
      log,
      files,
      clock,
      timeZone: o.timeZone,
      engine: () => engine,
      async switchStaffLocale(locale) {
        await engine.stop();
        await setStaffLocale(store, locale);
        engine = await startEngine(engineDeps, locale);
      },
    });
    log.subscribe((e) => {
      if (e.type === "changed" && e.what === "clock") writeFileSync(offsetFile, String(clock.offsetMs()));
    });
    const ledger = use(createJobLedger);
    const server = await startServer(
      {
        room,
        log,
        files,
        clock,
        timeZone: o.timeZone,
        staffLocale: () => engine.staffLocale,
        guide: () => guideProgress({ store, ledger, clock, timeZone: o.timeZone, propertyId: property.id }),
        texts: (locale) => Object.fromEntries(Object.entries(catalog[locale]).filter(([k]) => k.startsWith("playground."))),
        logger: o.logger,
      },
      o.port,
    );
    stops.unshift(() => server.close());
    return {
      url: server.url,
      async stop() {
        for (const stop of stops.splice(0)) await stop();
      },
    };
  } catch (e) {
    for (const stop of stops.splice(0)) await stop();
    throw e;
  }
}

/** As `npm start` migrates the deployment's database: scripts/migrate.mjs, here for the playground's file. */
function migrate(databaseUrl: string): void {
  const root = repoRoot();
  const run = spawnSync(process.execPath, [join(root, "scripts", "migrate.mjs")], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`playground: could not migrate ${databaseUrl}:\n${run.stderr || run.stdout}`);
}
