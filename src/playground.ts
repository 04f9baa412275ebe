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
import { playgroundTransport } from "./adapters/playground/transport.js";
import type { Logger } from "./core/logger.js";
import type { Locale } from "./core/text.js";
import type { Clock } from "./core/time/clock.js";
import { loadCatalog } from "./i18n/catalog.js";
import { createRenderer } from "./i18n/render.js";
import { NO_LIMITS } from "./infra/outbox/throttle.js";
import { outboxRenderer } from "./infra/outbox/render.js";
import { createOutboxSender } from "./infra/outbox/sender.js";
import { openStore } from "./infra/prisma/open.js";
import { uuidIds } from "./infra/system.js";
import type { JobName } from "./jobs/defaults.js";
import { scheduledJobs } from "./jobs/schedule.js";
import { createScheduler } from "./jobs/scheduler.js";
import { buildDesks } from "./playground-desks.js";
import { seedPlayground } from "./playground-seed.js";
import { jobRunner } from "./playground-time.js";

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
    const { desk, staffDesk, jobDeps } = buildDesks({ store, outbox, use, clock, renderer, timeZone: o.timeZone, staffLocale: o.staffLocale, logger: o.logger });
    const log = new ChatLog();
    const files = new FileShelf();
    const sender = createOutboxSender({
      outbox,
      store,
      transports: [playgroundTransport(log, files, () => clock.now())],
      render: outboxRenderer({ store, renderer, staffLocale: o.staffLocale }),
      clock,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      logger: o.logger,
      // A page shows what it is given at once; Telegram's limits would only slow the demo.
      limits: { telegram: NO_LIMITS },
    });
    const deliver = async (): Promise<void> => void (await sender.drainOnce());
    const jobs = scheduledJobs(o.schedules);
    const scheduler = createScheduler(
      { jobDeps, ledger: jobDeps.ledger, clock, timeZone: o.timeZone, logger: o.logger, reportFailure: async () => {}, onPosted: () => sender.kick() },
      jobs,
    );
    // The first tick sets where each job starts from; later ones follow the playground's time.
    await scheduler.tick(clock.now());
    const room = new Room({
      handling: { desk, staffDesk, store, clock, renderer },
      logger: o.logger,
      log,
      files,
      clock,
      timeZone: o.timeZone,
      staffLocale: o.staffLocale,
      kick: () => sender.kick(),
      runJobsBetween: jobRunner({ scheduler, jobs, clock, timeZone: o.timeZone, deliver }),
      delivered: deliver,
    });
    log.subscribe((e) => {
      if (e.type === "changed" && e.what === "clock") writeFileSync(offsetFile, String(clock.offsetMs()));
    });
    sender.start();
    stops.unshift(() => sender.stop());
    const minute = setInterval(() => void scheduler.tick(clock.now()).then(deliver).catch((e) => o.logger.error("playground: jobs failed", e)), 60_000);
    stops.unshift(async () => clearInterval(minute), () => scheduler.stop());
    const server = await startServer(
      {
        room,
        log,
        files,
        clock,
        timeZone: o.timeZone,
        staffLocale: o.staffLocale,
        guide: () => guideProgress({ store, ledger: jobDeps.ledger, clock, timeZone: o.timeZone, propertyId: property.id }),
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
