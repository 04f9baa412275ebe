/**
 * What the playground acts through, for one staff language: the desks, the outbox sender to the
 * page and the scheduled jobs, over the playground's store and clock. The page's language switch
 * stops one and starts another: groups, cards and reports are rendered in the staff language
 * (DEFAULT_LOCALE in a deployment), so switching means new desks, not new words in old ones.
 */
import type { ChatLog } from "./adapters/playground/chat-log.js";
import type { MovableClock } from "./adapters/playground/clock.js";
import type { FileShelf } from "./adapters/playground/files.js";
import type { RoomEngine } from "./adapters/playground/room.js";
import { playgroundTransport } from "./adapters/playground/transport.js";
import type { Locale } from "./core/text.js";
import { NO_LIMITS } from "./infra/outbox/throttle.js";
import { outboxRenderer } from "./infra/outbox/render.js";
import { createOutboxSender } from "./infra/outbox/sender.js";
import type { JobName } from "./jobs/defaults.js";
import { scheduledJobs } from "./jobs/schedule.js";
import { createScheduler } from "./jobs/scheduler.js";
import { buildDesks, type DeskDeps } from "./playground-desks.js";
import { jobRunner, splitJobs } from "./playground-time.js";

export interface EngineDeps extends Omit<DeskDeps, "staffLocale" | "clock"> {
  readonly clock: MovableClock;
  readonly log: ChatLog;
  readonly files: FileShelf;
  readonly schedules: Readonly<Record<JobName, string | null>>;
}

export interface Engine extends RoomEngine {
  stop(): Promise<void>;
}

export async function startEngine(d: EngineDeps, staffLocale: Locale): Promise<Engine> {
  const { store, outbox, clock, renderer, timeZone, logger } = d;
  const { desk, staffDesk, jobDeps } = buildDesks({ ...d, staffLocale });
  const sender = createOutboxSender({
    outbox,
    store,
    transports: [playgroundTransport(d.log, d.files, () => clock.now())],
    render: outboxRenderer({ store, renderer, staffLocale }),
    clock,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    logger,
    // A page shows what it is given at once; Telegram's limits would only slow the demo.
    limits: { telegram: NO_LIMITS },
  });
  const delivered = async (): Promise<void> => void (await sender.drainOnce());
  const jobs = scheduledJobs(d.schedules);
  const schedulerDeps = { jobDeps, ledger: jobDeps.ledger, clock, timeZone, logger, reportFailure: async () => {}, onPosted: () => sender.kick() };
  const { periodic, present } = splitJobs(jobs);
  const schedulers = [createScheduler(schedulerDeps, periodic), createScheduler(schedulerDeps, present)] as const;
  const tick = async (): Promise<void> => {
    for (const s of schedulers) await s.tick(clock.now());
  };
  // The first tick sets where each job starts from; later ones follow the playground's time.
  await tick();
  sender.start();
  // The playground's time also passes by itself: what falls due is run each minute.
  const minute = setInterval(() => void tick().then(delivered).catch((e) => logger.error("playground: jobs failed", e)), 60_000);
  return {
    handling: { desk, staffDesk, store, clock, renderer },
    staffLocale,
    kick: () => sender.kick(),
    runJobsBetween: jobRunner({ periodic: schedulers[0], present: schedulers[1], jobs, clock, timeZone, deliver: delivered }),
    delivered,
    async stop() {
      clearInterval(minute);
      for (const s of schedulers) await s.stop();
      await desk.settled();
      await sender.stop();
    },
  };
}
