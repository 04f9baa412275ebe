/**
 * The composition root: the only place that wires adapters to infra. With no platform token
 * configured, the bot runs on the local console over the embedded database; with tokens it
 * serves Telegram and/or Slack: owners, staff, and the outbox that delivers cards and notices.
 */
import { loadConfigOrExit } from "./config.js";
import { OwnerDesk } from "./core/desk/owner-desk.js";
import type { LogFields, Logger } from "./core/logger.js";
import type { ChatRef } from "./core/messages.js";
import { chatGoneNotices } from "./core/staff/announce.js";
import { runConsole } from "./adapters/console/console.js";
import { loadCatalog } from "./i18n/catalog.js";
import { createRenderer } from "./i18n/render.js";
import { DEMO_PROPERTY } from "./infra/demo-property.js";
import { loggedTransport } from "./infra/logged-transport.js";
import { createLogger } from "./infra/logger.js";
import { outboxRenderer } from "./infra/outbox/render.js";
import { createOutboxSender, DEFAULT_LEASE_MS } from "./infra/outbox/sender.js";
import { PLATFORM_LIMITS, Throttle } from "./infra/outbox/throttle.js";
import type { Transport } from "./infra/outbox/transport.js";
import { openStore } from "./infra/prisma/open.js";
import { createWarmUp } from "./infra/prisma/warm-up.js";
import { announcePresence } from "./infra/prisma/presence.js";
import { createSendLedger } from "./infra/prisma/outbox.js";
import { systemClock, uuidIds } from "./infra/system.js";
import { DEFAULT_SLA_POLICY } from "./core/sla/policy.js";
import { markingStaffDesk } from "./infra/prisma/update-mark.js";
import { fileSentJournal, saveJournaledCards, sentJournalPath } from "./infra/sent-journal.js";
import { createSlaStore } from "./infra/prisma/sla.js";
import { createReplyOutbox } from "./infra/prisma/conversations.js";
import { reportJobFailure } from "./jobs/report-failure.js";
import { scheduledJobs } from "./jobs/schedule.js";
import { createScheduler } from "./jobs/scheduler.js";
import { hotlineDeps, staffSide } from "./staff-side.js";

/** Runs until SIGINT or SIGTERM (Ctrl-C, or the service manager stopping the bot). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/**
 * How long delivered replies' marks wait on SQLite (OwnerDesk's gatherMarks) for a turn's save to
 * carry them, before they are written on their own: a busy bot writes no commit for them at all,
 * a quiet one a little later. Far below the 20 s hold after which the sender takes an unmarked reply.
 */
const MARK_GATHER_MS = 200;

/**
 * Where a start got to, at debug level, in ms since the process began (issue 10: what owners of
 * a restart wait behind). performance.now() counts from the process's start, before any import.
 */
const startUp = (log: Logger, phase: string, fields: LogFields = {}): void => log.debug(`start-up: ${phase}`, { sinceStartMs: Math.round(performance.now()), ...fields });

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // The one log every adapter, desk, job and the sender write to (stderr; stdout is the console chat's).
  const log = createLogger({ level: config.logLevel, ...(config.logFormat ? { format: config.logFormat } : {}) });
  const { store, outbox, close, backend, use, holder } = await openStore({ databaseUrl: config.databaseUrl, ids: uuidIds, pool: config.databasePool });
  const stopsLast: (() => Promise<void>)[] = [];
  const platforms = [...(config.telegram ? [`telegram (${config.telegram.runtime})`] : []), ...(config.slack ? ["slack"] : [])];
  startUp(log, "store open", { backend });
  log.info("guanjia starting", { database: backend, platforms: platforms.length ? platforms : ["console"], timeZone: config.timeZone, logLevel: config.logLevel });
  try {
    if (config.seedDemoProperty && (await store.properties()).length === 0) await store.createProperty(DEMO_PROPERTY);
    // Before anything polls: on PostgreSQL a new process's first query of each shape is slow, and
    // the owners of a restart would wait for it (issue 10). Writes and sends nothing.
    if (backend === "postgresql" && (config.telegram || config.slack)) await use(createWarmUp).run({ clock: systemClock, ids: uuidIds, logger: log, poolSize: config.databasePool.size });
    startUp(log, "warmed up");
    const sla = use(createSlaStore);
    // A stored override that no longer reads must not stop owners filing: the defaults apply.
    const slaPolicy = (propertyId: string) =>
      sla.policyOf(propertyId).catch((e: unknown) => {
        log.error(`SLA policy of property ${propertyId} is unreadable; using the defaults`, e);
        return DEFAULT_SLA_POLICY;
      });
    // Owners' replies are queued with the conversation's save (the durable fast path), so a failed
    // send or a crash between save and send loses no question; the console shows replies inline.
    const replies = config.telegram || config.slack ? use(createReplyOutbox) : undefined;
    const journal = replies ? fileSentJournal(sentJournalPath(config.databaseUrl)) : undefined;
    // The optional LLM (issue 15): it reads an owner's words within its budget; keywords only without it.
    // Each platform's SDK and the LLM client are loaded only when configured: a Telegram bot does
    // not carry Slack Bolt, Telegraf and the OpenAI SDK (~50 MiB resident between them, issue 16 item 5).
    const ownerText = config.openai ? { ownerText: (await import("./infra/llm/guard.js")).ownerTextModel({ ...config.openai, staffLocale: config.defaultLocale }, systemClock, log) } : {};
    if (config.openai) log.info("llm on", { model: config.openai.model, baseUrl: config.openai.baseUrl ?? "openai", budgetMs: config.openai.budgetMs, sendPii: config.openai.sendPii });
    const hotline = hotlineDeps({ store, use, policyOf: slaPolicy, staffLocale: config.defaultLocale });
    const desk = new OwnerDesk({ store, clock: systemClock, ids: uuidIds, logger: log, slaPolicy, staffLocale: config.defaultLocale, hotline, ...ownerText, ...(replies ? { replies, journal, ...(backend === "sqlite" ? { gatherMarks: { ms: MARK_GATHER_MS, sleep } } : {}) } : {}) });
    // Before any turn: cards the previous process posted and died before saving keep their message
    // ids (edited, not posted again); replies it held for its own send go to the sender now.
    if (journal) await saveJournaledCards(journal, outbox, systemClock.now());
    // Any lease left while no other instance runs is a killed sender's, and its message goes now
    // rather than a minute later with the owner's next answers behind it. SQLite means one instance.
    // Alone, too, the journal's sends in flight are the last process's and none is another's; on
    // PostgreSQL that is read under the presence lock, so an instance starting meanwhile waits.
    let orphansReleased = false;
    const releaseLeases = () => outbox.releaseLeases(systemClock.now(), DEFAULT_LEASE_MS);
    if (replies && backend !== "sqlite") {
      const presence = await announcePresence(config.databaseUrl, {
        holder,
        whenAlone: async () => {
          await desk.releaseOrphans(true);
          orphansReleased = true;
          await releaseLeases();
        },
        now: () => systemClock.now(),
        onReap: (released, error) =>
          error ? log.warn("presence: releasing a stopped instance's messages failed; trying again", error) : log.info("presence: released a stopped instance's held replies and leases", { released }),
      });
      stopsLast.push(() => presence.close());
    }
    if (!orphansReleased) await desk.releaseOrphans(backend === "sqlite");
    if (replies && backend === "sqlite") await releaseLeases();
    startUp(log, "orphans released");
    const renderer = createRenderer(await loadCatalog(), config.timeZone);
    // The browser playground (issue 17): its own database and clock, beside whatever serves here.
    // At a terminal, or when asked (PLAYGROUND=on); loaded only then, so a deployment never loads it.
    const wanted = config.playground && (config.playground.asked || process.stdin.isTTY === true);
    const playground = wanted ? await (await import("./playground-main.js")).playgroundBeside(config, log) : null;
    if (playground) stopsLast.push(() => playground.stop());
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
      // A piped script has ended; a playground asked for keeps serving until stopped.
      if (playground && process.stdin.isTTY !== true) await untilSignal();
      return;
    }

    const staffLocale = config.defaultLocale;
    // `/draft` (issue 15): a staff member waits in a chat, not an owner mid-turn, so ten seconds.
    const drafter = config.openai ? { drafter: (await import("./infra/llm/drafter.js")).replyDrafter({ ...config.openai, budgetMs: 10_000 }, log) } : {};
    const side = staffSide({ store, use, outbox, sla, clock: systemClock, renderer, timeZone: config.timeZone, staffLocale, logger: log, ...drafter });
    const jobDeps = side.jobDeps;
    // Each staff action's write marks its update processed in the same transaction.
    const staffDesk = markingStaffDesk(side.staffDesk, systemClock);
    const transports: Transport[] = [];
    const stops: (() => Promise<void>)[] = [];
    // Set once the sender exists; a removal reported before that is still queued, only later.
    let kick = (): void => {};
    /** The bot lost a chat: the property's admins and director hear of it in their private chats. */
    const onChatGone = async (to: ChatRef, reason: string): Promise<void> => {
      log.warn(`chat ${to.platform}:${to.chatId} is gone (${reason})`);
      await outbox.enqueue(await chatGoneNotices(store, to, staffLocale), systemClock.now());
      kick();
    };

    // One throttle for Telegram's limits: the grammY bot's own replies and the outbox sender's calls take their slots from it.
    const telegramThrottle = new Throttle(PLATFORM_LIMITS.telegram!);
    if (config.telegram) {
      // grammY is the default runtime; Telegraf serves teams that already run a Telegraf bot.
      const create =
        config.telegram.runtime === "telegraf" ? (await import("./adapters/telegraf/telegraf.js")).createTelegrafBot : (await import("./adapters/telegram/grammy.js")).createGrammyBot;
      const bot = create({
        token: config.telegram.token,
        throttle: telegramThrottle,
        apiRoot: config.telegram.apiRoot,
        desk,
        staffDesk,
        store,
        inbox: store,
        clock: systemClock,
        renderer,
        logger: log,
        onChatGone,
        ...(config.telegram.webhook ? { webhook: config.telegram.webhook } : {}),
      });
      const me = await bot.start();
      transports.push(loggedTransport(bot.transport, log));
      stops.push(() => bot.stop());
      const how = config.telegram.webhook ? `receives updates at ${config.telegram.webhook.url} (port ${bot.webhookPort()})` : "is polling";
      startUp(log, `telegram ${how}`);
      console.log(`telegram (${config.telegram.runtime}): @${me.username} ${how}`);
    }
    if (config.slack) {
      const { botToken, signingSecret, appToken, port, host, apiUrl } = config.slack;
      const clientOptions = apiUrl ? { slackApiUrl: apiUrl } : {};
      const [{ createSlackApp }, { slackSenderClient, slackTransport }] = await Promise.all([import("./adapters/slack/bolt.js"), import("./adapters/slack/transport.js")]);
      const app = createSlackApp({
        botToken,
        signingSecret,
        desk,
        staffDesk,
        store,
        outbox,
        clock: systemClock,
        onChatGone,
        onTurn: () => kick(),
        renderer,
        logger: log,
        mode: appToken ? { kind: "socket", appToken } : { kind: "http", port, ...(host ? { host } : {}) },
        clientOptions,
      });
      const started = await app.start();
      transports.push(loggedTransport(slackTransport(slackSenderClient(botToken, clientOptions, log)), log));
      stops.push(() => app.stop());
      console.log(appToken ? `slack: @${started.user} connected in Socket Mode` : `slack: @${started.user} listening for events on ${host ?? "every interface"}, port ${started.port}`);
    }

    const sender = createOutboxSender({
      outbox,
      // The platforms' send limits kept across restarts and instances sharing the database.
      ledger: use(createSendLedger),
      throttles: new Map([["telegram", telegramThrottle]]),
      store,
      transports,
      render: outboxRenderer({ store, renderer, staffLocale }),
      clock: systemClock,
      sleep,
      logger: log,
      onChatGone,
      ...(journal ? { journal } : {}),
    });
    kick = () => sender.kick();
    sender.start();
    startUp(log, "sender started");

    // Scheduled posts go through the outbox like everything else; the sender is told at once.
    const scheduler = createScheduler(
      {
        jobDeps,
        ledger: jobDeps.ledger,
        clock: systemClock,
        timeZone: config.timeZone,
        logger: log,
        reportFailure: async (job, slot, error, now) => {
          await reportJobFailure(jobDeps, job, slot, error, now);
          kick();
        },
        onPosted: () => kick(),
      },
      scheduledJobs(config.schedules),
    );
    await scheduler.start();
    startUp(log, "scheduler caught up");
    log.info("guanjia started", { platforms, jobs: scheduledJobs(config.schedules).map((j) => j.name) });

    await untilSignal();
    log.info("guanjia stopping");
    // Stop taking updates and firing jobs first, then let the sender finish what it is sending.
    for (const stop of stops) await stop();
    await scheduler.stop();
    await desk.settled();
    await sender.stop();
  } finally {
    for (const stop of stopsLast) await stop();
    await close();
  }
}

await main();
