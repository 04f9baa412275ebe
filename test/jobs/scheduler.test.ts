import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobLedger } from "../../src/core/scheduled/ledger.js";
import type { Logger } from "../../src/core/logger.js";
import { createJobLedger } from "../../src/infra/prisma/jobs.js";
import type { Job, JobDeps } from "../../src/jobs/job.js";
import { createScheduler, retryDelayMs, type ScheduledJob } from "../../src/jobs/scheduler.js";
import { cronSlots } from "../../src/jobs/cron.js";
import { reportJobFailure } from "../../src/jobs/report-failure.js";
import { backends, type TestStore } from "../support/db.js";

const TZ = "Asia/Shanghai";
const MINUTE = 60_000;
/** Shanghai wall-clock time as a Date ("2026-11-02 08:30" is 00:30 UTC). */
const sh = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);
const quiet: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

describe("cron slots", () => {
  it("finds the slots of an expression in the time zone, oldest first, keeping the latest when limited", () => {
    const daily = cronSlots("30 8 * * *", TZ);
    expect(daily.between(sh("2026-11-01 09:00"), sh("2026-11-04 08:30"), 10)).toEqual([
      sh("2026-11-02 08:30"),
      sh("2026-11-03 08:30"),
      sh("2026-11-04 08:30"),
    ]);
    expect(daily.between(sh("2026-11-01 09:00"), sh("2026-11-04 08:29"), 1)).toEqual([sh("2026-11-03 08:30")]);
    expect(cronSlots("0 9 1 * *", TZ).between(sh("2026-10-15 00:00"), sh("2026-12-31 00:00"), 10)).toEqual([sh("2026-11-01 09:00"), sh("2026-12-01 09:00")]);
    expect(() => cronSlots("every day", TZ)).toThrow(/cron/);
  });
});

describe.each(backends())("the scheduler on $name", (backend) => {
  let db: TestStore;
  let ledger: JobLedger;
  beforeEach(async () => {
    db = await backend.open();
    ledger = db.use(createJobLedger);
  });
  afterEach(() => db.close());

  /** A job that posts one ledger entry per (slot's day, target) and logs each call. */
  const posting = (calls: string[], targets = ["a"], failWhen?: (slot: Date, target: string) => boolean): Job =>
    async (deps, now, slot) => {
      let posted = 0;
      let skipped = 0;
      for (const target of targets) {
        if (failWhen?.(slot, target)) throw new Error(`boom at ${target}`);
        const r = await deps.ledger.post({ job: "test", period: slot.toISOString(), target }, { scheduledFor: slot, at: now, late: now.getTime() - slot.getTime() > 15 * MINUTE, outbox: [] });
        if (r.posted) posted++;
        else skipped++;
        calls.push(`${slot.toISOString()} ${target} ${r.posted ? "posted" : "skipped"}`);
      }
      return { posted, skipped };
    };

  const scheduler = (jobs: ScheduledJob[], failures: string[] = []) =>
    createScheduler(
      {
        jobDeps: { ledger } as unknown as JobDeps,
        ledger,
        clock: { now: () => new Date(0) },
        timeZone: TZ,
        logger: quiet,
        reportFailure: async (job, slot) => void failures.push(`${job} ${slot.toISOString()}`),
      },
      jobs,
    );

  it("runs a daily job once per day as the clock passes its slot, starting from the first tick", async () => {
    const calls: string[] = [];
    const s = scheduler([{ name: "digest", cron: "30 8 * * *", job: posting(calls), catchUp: "every" }]);
    for (let at = sh("2026-11-01 08:30").getTime(); at <= sh("2026-11-04 12:00").getTime(); at += 5 * MINUTE) await s.tick(new Date(at));
    expect(calls).toEqual([
      `${sh("2026-11-01 08:30").toISOString()} a posted`,
      `${sh("2026-11-02 08:30").toISOString()} a posted`,
      `${sh("2026-11-03 08:30").toISOString()} a posted`,
      `${sh("2026-11-04 08:30").toISOString()} a posted`,
    ]);
  });

  it("catches up every missed slot of an 'every' job and only the latest of a 'latest' job after downtime", async () => {
    const digests: string[] = [];
    const sweeps: string[] = [];
    const jobs: ScheduledJob[] = [
      { name: "digest", cron: "30 8 * * *", job: posting(digests), catchUp: "every", catchUpWindowMs: 7 * 24 * 60 * MINUTE },
      { name: "sweep", cron: "*/5 * * * *", job: posting(sweeps), catchUp: "latest" },
    ];
    await scheduler(jobs).tick(sh("2026-11-01 09:00"));
    // Down from 09:00 on the 1st until 10:32 on the 4th: a new process starts and ticks.
    const runs = await scheduler(jobs).tick(sh("2026-11-04 10:32"));
    expect(runs.filter((r) => r.job === "digest").map((r) => r.slot)).toEqual([sh("2026-11-02 08:30"), sh("2026-11-03 08:30"), sh("2026-11-04 08:30")]);
    expect(runs.filter((r) => r.job === "sweep").map((r) => r.slot)).toEqual([sh("2026-11-04 10:30")]);
    const late = await ledger.find({ job: "test", period: sh("2026-11-04 08:30").toISOString(), target: "a" });
    expect(late).toMatchObject({ late: true, at: sh("2026-11-04 10:32") });
  });

  it("retries a failed slot with a growing pause, reports it once, and keeps the slots in order", async () => {
    const calls: string[] = [];
    const failures: string[] = [];
    let failing = 2;
    const job: Job = async (deps, now, slot) => {
      if (slot.getTime() === sh("2026-11-02 08:30").getTime() && failing-- > 0) throw new Error("database is locked");
      return posting(calls)(deps, now, slot);
    };
    const s = scheduler([{ name: "digest", cron: "30 8 * * *", job, catchUp: "every", catchUpWindowMs: 7 * 24 * 60 * MINUTE }], failures);
    await s.tick(sh("2026-11-02 08:00"));
    expect((await s.tick(sh("2026-11-02 08:30")))[0]?.outcome.ok).toBe(false);
    expect(await s.tick(sh("2026-11-02 08:30"))).toEqual([]); // pausing
    expect((await s.tick(new Date(sh("2026-11-02 08:30").getTime() + retryDelayMs(1))))[0]?.outcome.ok).toBe(false);
    expect(await ledger.runState("digest")).toMatchObject({ failures: 2, lastError: "database is locked" });
    // Down over the next morning too: the failed slot runs before the next one.
    const runs = await s.tick(sh("2026-11-03 09:00"));
    expect(runs.map((r) => [r.slot, r.outcome.ok])).toEqual([[sh("2026-11-02 08:30"), true], [sh("2026-11-03 08:30"), true]]);
    expect(failures).toEqual([`digest ${sh("2026-11-02 08:30").toISOString()}`]);
    expect(await ledger.runState("digest")).toMatchObject({ failures: 0, lastError: null, lastSlotAt: sh("2026-11-03 08:30") });
  });

  it("a run that crashed half-way is finished by the next one without posting twice", async () => {
    const calls: string[] = [];
    let crash = true;
    const job = posting(calls, ["a", "b", "c"], (_slot, target) => target === "b" && crash);
    const s = scheduler([{ name: "digest", cron: "30 8 * * *", job, catchUp: "every" }]);
    await s.tick(sh("2026-11-02 08:00"));
    await s.tick(sh("2026-11-02 08:30"));
    crash = false;
    // A new process (the old one was killed) ticks after the retry pause.
    await scheduler([{ name: "digest", cron: "30 8 * * *", job, catchUp: "every" }]).tick(sh("2026-11-02 08:45"));
    const slot = sh("2026-11-02 08:30").toISOString();
    expect(calls).toEqual([`${slot} a posted`, `${slot} a skipped`, `${slot} b posted`, `${slot} c posted`]);
  });

  it("two schedulers ticking together on one database post each slot once", async () => {
    const calls: string[] = [];
    const jobs: ScheduledJob[] = [{ name: "digest", cron: "30 8 * * *", job: posting(calls, ["a", "b"]), catchUp: "every" }];
    const [one, two] = [scheduler(jobs), scheduler(jobs)];
    await one.tick(sh("2026-11-02 08:00"));
    for (let at = sh("2026-11-02 08:00").getTime(); at <= sh("2026-11-04 09:00").getTime(); at += 15 * MINUTE) {
      await Promise.all([one.tick(new Date(at)), two.tick(new Date(at))]);
    }
    expect(calls.filter((c) => c.endsWith("posted")).sort()).toEqual(
      ["02", "03", "04"].flatMap((d) => ["a", "b"].map((t) => `${sh(`2026-11-${d} 08:30`).toISOString()} ${t} posted`)).sort(),
    );
  });
});

describe.each(backends())("a failing job's report on $name", (backend) => {
  it("reaches every admin in private once, however often the slot fails", async () => {
    const db = await backend.open();
    try {
      const ledger = db.use(createJobLedger);
      const property = await db.store.createProperty({ code: "HG", name: "虹港家园" });
      const admin = await db.store.person({ platform: "telegram", platformUserId: "admin-1", locale: "zh-CN" });
      await db.store.grantStaffRole(admin.id, { propertyId: property.id, zoneId: null, role: "admin" });
      const deps = { store: db.store, ledger, staffLocale: "zh-CN" } as unknown as JobDeps;
      const slot = sh("2026-11-02 08:30");
      await reportJobFailure(deps, "director_digest", slot, new Error("database is locked"), slot);
      await reportJobFailure(deps, "director_digest", slot, new Error("database is locked"), new Date(slot.getTime() + MINUTE));
      const sent = await db.outbox.due(new Date(slot.getTime() + 10 * MINUTE), 10);
      expect(sent.map((m) => m.message.to.chatId)).toEqual(["admin-1"]);
      expect(sent[0]?.message.kind === "message" && sent[0].message.body.text[0]).toMatchObject({ key: "jobs.failed", params: { reason: "database is locked" } });
    } finally {
      await db.close();
    }
  });
});
