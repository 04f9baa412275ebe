/**
 * The follow-up clock's acceptance: a simulated November on a controllable clock. Owners file a
 * complaint and a repair every day; staff claim some late, miss some promised replies, leave some
 * complaints open, and owners rate or are called back. Two scheduler instances tick every 15
 * simulated minutes against one database, one pair is replaced mid-month (a restart) and both are down one
 * morning (a late start). Every expectation is derived from the script's own log, not from the
 * code under test.
 */
import type ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PostRecord } from "../../src/core/scheduled/ledger.js";
import type { OutboxRecord } from "../../src/core/outbox.js";
import type { PersonRecord } from "../../src/core/people/store.js";
import { createDigestExtension } from "../../src/core/reports/digest-extension.js";
import { StaffDesk } from "../../src/core/desk/staff-desk.js";
import { rateValue, type MonthlyFigures } from "../../src/core/reports/figures.js";
import { firstReplyDue } from "../../src/core/sla/reply-promise.js";
import { ownerRate, staffAct, type Rating } from "../../src/core/staff/workflow.js";
import { monthRange } from "../../src/core/time/zone.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import { createReportFiles } from "../../src/infra/export/files.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer } from "../../src/i18n/render.js";
import { createHandoverStore } from "../../src/infra/prisma/handover.js";
import { createJobLedger } from "../../src/infra/prisma/jobs.js";
import { createMaintenance } from "../../src/infra/prisma/maintenance.js";
import { createReportStore } from "../../src/infra/prisma/reports.js";
import { createSlaStore } from "../../src/infra/prisma/sla.js";
import { JOB_SCHEDULES } from "../../src/jobs/defaults.js";
import type { JobDeps } from "../../src/jobs/job.js";
import { scheduledJobs } from "../../src/jobs/schedule.js";
import { createScheduler, type Scheduler } from "../../src/jobs/scheduler.js";
import { numberAfter, openWorkbook } from "../support/workbook.js";
import { backends, type TestStore } from "../support/db.js";
import { anyLevel } from "../support/logger.js";
import type { Stores } from "../../src/infra/prisma/store.js";

const TZ = "Asia/Shanghai";
const MINUTE = 60_000;
const sh = (day: number, hhmm: string, month = 11) => new Date(`2026-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T${hhmm}:00+08:00`);

// The script's choices, by day of November.
const LATE_CLAIM = [5, 10, 15, 20, 25, 30];
const MISSED_PROMISE = [3, 10, 17, 24];
const LATE_FIRST_REPLY = [9, 18, 27];
const LEFT_OPEN = [6, 12, 18, 26, 30];
const DISSATISFIED = [4, 14, 24];
/** Of those, reopened complaints taken up again late (10:50, the claim was due 10:30). */
const REWORK_CLAIMED_LATE = [14];
const STAFF_CALLBACK = [1, 5, 9, 13, 17, 21, 25, 29];
const NEVER_CALLED = [7, 19];
const DOWN = { from: sh(20, "07:00"), to: sh(20, "09:15") };
const RESTART_AT = sh(15, "12:00");
/** The simulated clock's step: every slot and action of the script falls on one. */
const STEP = 15 * MINUTE;

interface Action {
  readonly at: Date;
  readonly what: string;
  run(): Promise<void>;
}

describe.each(backends())("a simulated month on $name", (backend) => {
  let db: TestStore;
  let deps: JobDeps;
  let property: { id: string };
  const errors: unknown[] = [];
  const log: { at: Date; what: string; number: string; rating?: Rating; by?: "owner" | "staff" }[] = [];
  let now = sh(1, "09:00");
  let pending: OutboxRecord[] = [];

  beforeAll(async () => {
    db = await backend.open();
    const store = db.store;
    property = await store.createProperty(DEMO_PROPERTY);
    const clock = { now: () => now };
    const reports = db.use(createReportStore);
    deps = {
      store,
      outbox: db.outbox,
      ledger: db.use(createJobLedger),
      reports,
      handover: db.use(createHandoverStore),
      maintenance: db.use(createMaintenance),
      sla: db.use(createSlaStore),
      reportFiles: createReportFiles({ reports, renderer: createRenderer(await loadCatalog(), TZ), timeZone: TZ }),
      staffLocale: "zh-CN",
      timeZone: TZ,
      logger: anyLevel((m, e) => void errors.push([m, e])),
    };
    const person = async (id: string, name: string, role?: Parameters<Stores["grantStaffRole"]>[1]["role"]): Promise<PersonRecord> => {
      const p = await store.person({ platform: "telegram", platformUserId: id, displayName: name, locale: "zh-CN" });
      if (role) await store.grantStaffRole(p.id, { propertyId: property.id, zoneId: null, role });
      return store.updatePerson(p.id, { name });
    };
    const wang = await person("wang", "小王", "zone_specialist");
    const li = await person("li", "小李", "front_desk");
    await person("boss", "陈主管", "supervisor");
    const director = await person("director", "周主任", "director");
    await person("head", "吴经理", "property_head");
    await person("admin", "管理员", "admin");
    const owners = await Promise.all([1, 2, 3].map((i) => person(`owner${i}`, `业主${i}`)));
    for (const [chatId, purpose] of [["-100", "staff"], ["-200", "director"], ["-300", "hotline"]] as const) {
      await store.bindChat({ platform: "telegram", chatId, propertyId: property.id, purpose, department: null }, now);
    }
    const desk = new StaffDesk({
      store, clock, timeZone: TZ, staffLocale: "zh-CN",
      extensions: [createDigestExtension({ store, reports: deps.reports, ledger: deps.ledger, sla: deps.sla, timeZone: TZ })],
    });
    /** The director presses 已阅 under yesterday's digest in the director's chat. */
    const sign = (d: number) => async () => {
      const date = `2026-${d === 1 ? "10-31" : `11-${String(d - 1).padStart(2, "0")}`}`;
      await desk.handle({
        channel: "telegram",
        chat: { id: "-200", kind: "group" },
        sender: { platformUserId: director.platformUserId, displayName: "周主任" },
        body: { type: "choice", value: `digest:sign:${property.id}:${date}` },
      });
    };

    // The script: what people do, day by day.
    const actions: Action[] = [];
    const act = (at: Date, what: string, run: () => Promise<unknown>) => actions.push({ at, what, run: async () => void (await run()) });
    const staff = (p: PersonRecord, number: string, cmd: Parameters<typeof staffAct>[3]) => async () => {
      const r = await staffAct({ store, clock }, { personId: p.id, channel: "telegram" }, number, cmd);
      if (!r.ok) throw new Error(`${p.name} ${cmd.type} ${number} at ${now.toISOString()}: ${r.code}`);
    };
    const rate = (owner: PersonRecord, number: string, rating: Rating) => async () => {
      const r = await ownerRate({ store, clock }, { personId: owner.id, channel: "telegram" }, number, rating);
      if (!r.ok) throw new Error(`rate ${number}: ${r.code}`);
      log.push({ at: now, what: "rated", number, rating, by: "owner" });
    };
    const file = (owner: PersonRecord, kind: "complaint" | "repair", number: string) => async () => {
      const policy = await deps.sla.policyOf(property.id);
      await store.fileTicket({
        intakeId: `intake-${number}`, propertyId: property.id, zoneId: null, roomId: null, kind, category: kind === "repair" ? "engineering" : "conduct",
        weight: "general", majorReasons: [], ownerId: owner.id, roomLabel: "3-1201", contactName: owner.name, contactPhone: "13900001111",
        location: "home", place: null, description: `${kind} of ${number}`, since: null, visitTime: null, photos: [], channel: "telegram",
        locale: "zh-CN", createdAt: now, nextReplyDueAt: firstReplyDue(kind, "general", now, policy), confirmation: {},
      });
      log.push({ at: now, what: `filed ${kind}`, number });
    };
    let seq = 0;
    for (let d = 1; d <= 30; d++) {
      const c = `HG-${String(++seq).padStart(4, "0")}`;
      const r = `HG-${String(++seq).padStart(4, "0")}`;
      const owner = owners[d % 3]!;
      act(sh(d, "09:00"), "file complaint", file(owner, "complaint", c));
      act(sh(d, "09:00"), "file repair", file(owners[(d + 1) % 3]!, "repair", r));
      // The director signs yesterday's digest at 08:45 on even days (the digest exists by then),
      // except while the bot is down: nothing answers the button then.
      const signAt = sh(d, "08:45");
      if (d % 2 === 0 && !(signAt >= DOWN.from && signAt < DOWN.to)) act(signAt, "sign", sign(d));
      act(sh(d, "09:05"), "claim repair", staff(li, r, { type: "claim" }));
      act(sh(d, "10:30"), "reply repair", staff(li, r, { type: "reply", text: "师傅下午上门" }));
      act(sh(d, "15:00"), "resolve repair", async () => {
        await staff(li, r, { type: "resolve", result: "已更换龙头" })();
        log.push({ at: now, what: "resolved", number: r });
      });
      if (d < 30) act(sh(d + 1, "09:30"), "rate repair", rate(owners[(d + 1) % 3]!, r, "satisfied"));

      const claimAt = LATE_CLAIM.includes(d) ? "10:20" : "09:10";
      act(sh(d, claimAt), "claim complaint", staff(wang, c, { type: "claim" }));
      if (LATE_FIRST_REPLY.includes(d)) {
        act(sh(d, "13:50"), "first reply late", staff(wang, c, { type: "reply", text: "已核实" }));
      } else {
        act(new Date(sh(d, claimAt).getTime() + 5 * MINUTE), "promise", staff(wang, c, { type: "promise", due: sh(d, "15:00") }));
        if (!MISSED_PROMISE.includes(d)) act(sh(d, "14:00"), "reply", staff(wang, c, { type: "reply", text: "正在处理" }));
      }
      if (LEFT_OPEN.includes(d)) continue;
      act(sh(d, MISSED_PROMISE.includes(d) ? "15:50" : "16:00"), "resolve complaint", async () => {
        await staff(wang, c, { type: "resolve", result: "已处理" })();
        log.push({ at: now, what: "resolved", number: c });
      });
      if (DISSATISFIED.includes(d)) {
        act(sh(d + 1, "10:00"), "dissatisfied", rate(owner, c, "dissatisfied"));
        // Reopened, it waits to be claimed again: its follower takes the rework up.
        act(sh(d + 1, REWORK_CLAIMED_LATE.includes(d) ? "10:50" : "10:10"), "claim rework", staff(wang, c, { type: "claim" }));
        act(sh(d + 2, "16:00"), "resolve again", async () => {
          await staff(wang, c, { type: "resolve", result: "返工完成" })();
          log.push({ at: now, what: "resolved", number: c });
        });
        act(sh(d + 3, "10:00"), "rate after rework", rate(owner, c, "satisfied"));
      } else if (STAFF_CALLBACK.includes(d)) {
        act(sh(d + 1, "11:00"), "callback", async () => {
          await staff(wang, c, { type: "callback", rating: "satisfied", note: "电话回访" })();
          log.push({ at: now, what: "rated", number: c, rating: "satisfied", by: "staff" });
        });
      } else if (!NEVER_CALLED.includes(d)) {
        act(sh(d + 1, "10:00"), "rate", rate(owner, c, d % 3 === 0 ? "fairly" : "satisfied"));
      }
    }
    actions.sort((a, b) => a.at.getTime() - b.at.getTime());

    // Two instances on one database; replaced by two new ones at the restart; silent while down.
    // Every deadline of the script falls on the hour or the half hour: a sweep each half hour sees all.
    const schedules = { ...JOB_SCHEDULES, overdue_sweep: "*/30 * * * *" };
    const instance = (): Scheduler =>
      createScheduler(
        { jobDeps: deps, ledger: deps.ledger, clock, timeZone: TZ, logger: deps.logger, reportFailure: async (job, slot, e) => void errors.push([job, slot, e]) },
        scheduledJobs(schedules),
      );
    let pair = [instance(), instance()];
    const end = sh(1, "09:30", 12);
    let next = 0;
    for (let t = sh(1, "09:00").getTime(); t <= end.getTime(); t += STEP) {
      while (next < actions.length && actions[next]!.at.getTime() <= t) {
        now = actions[next]!.at;
        await actions[next]!.run();
        next++;
      }
      now = new Date(t);
      if (now.getTime() === RESTART_AT.getTime()) pair = [instance(), instance()];
      // The bot starts at 09:15 on the 1st, after that day's 08:30 and 09:00 slots.
      if (now < sh(1, "09:15") || (now >= DOWN.from && now < DOWN.to)) continue;
      await Promise.all(pair.map((s) => s.tick(now)));
    }
    expect(next).toBe(actions.length);
    pending = await db.outbox.due(new Date(end.getTime() + 60 * MINUTE), 100_000);
  }, 600_000);
  afterAll(() => db?.close());

  const posts = (job: string): Promise<PostRecord[]> => deps.ledger.postsOf(job, sh(1, "00:00"), sh(2, "00:00", 12));
  const toChat = (chatId: string) => pending.filter((m) => m.message.to.chatId === chatId);

  it("ran without a job failure or an error", () => {
    expect(errors).toEqual([]);
  });

  it("made 30 digests, one per day, each once, one late after the morning the bot was down", async () => {
    const digests = await posts("director_digest");
    expect(digests.map((p) => p.period)).toEqual(Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, "0")}`));
    expect(digests.filter((p) => p.late).map((p) => p.period)).toEqual(["2026-11-19"]);
    // One message per digest in the director's chat, each with its own 已阅 button.
    const digestMessages = toChat("-200").filter((m) => m.message.kind === "message" && m.message.body.text.some((x) => x.key === "digest.title"));
    const signButtons = digestMessages.flatMap((m) => (m.message.kind === "message" ? (m.message.body.choices ?? []).map((c) => c.value) : []));
    expect(signButtons).toHaveLength(30);
    expect(new Set(signButtons).size).toBe(30);
    for (const p of digests) {
      const day = Number(p.period.slice(-2));
      const resolved = log.filter((e) => e.what === "resolved" && sameDay(e.at, day)).length;
      expect(p.data, p.period).toMatchObject({ created: 2, resolved });
    }
  });

  it("reminded the director at 09:00 on exactly the mornings the digest was not signed", async () => {
    const reminders = await posts("digest_reminder");
    // Digests come on Nov 2 ... Dec 1; even days are signed at 08:45, except the 20th (the bot was down).
    const unsigned = [...Array.from({ length: 29 }, (_, i) => i + 2).filter((d) => d % 2 === 1 || d === 20).map((d) => `2026-11-${String(d - 1).padStart(2, "0")}`), "2026-11-30"];
    expect(reminders.map((p) => p.period).sort()).toEqual(unsigned.sort());
    const signed = await posts("director_digest");
    expect(signed.filter((p) => p.signedAt).map((p) => p.period)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1).filter((d) => (d + 1) % 2 === 0 && d + 1 !== 20 && d + 1 <= 30).map((d) => `2026-11-${String(d).padStart(2, "0")}`),
    );
  });

  it("climbed the overdue ladder exactly where the script let deadlines pass, once per level", async () => {
    const overdue = (await posts("overdue_sweep")).map((p) => `${String(p.data.ticket)} ${String(p.data.deadline)} ${String(p.data.level)}`).sort();
    const complaint = (d: number) => `HG-${String(2 * d - 1).padStart(4, "0")}`;
    const expected = [
      ...LATE_CLAIM.flatMap((d) => [1, 2].map((l) => `${complaint(d)} claim ${l}`)),
      // A reopened complaint's claim clock runs from the 不满意 at 10:00 of the next day.
      ...REWORK_CLAIMED_LATE.map((d) => `${complaint(d)} claim 1`),
      ...MISSED_PROMISE.flatMap((d) => [1, 2].map((l) => `${complaint(d)} reply ${l}`)),
      ...LATE_FIRST_REPLY.flatMap((d) => [1, 2].map((l) => `${complaint(d)} reply ${l}`)),
      // 7 days unsolved: the open complaints of the 6th, 12th and 18th (the 26th's and 30th's come in December).
      ...[6, 12, 18].map((d) => `${complaint(d)} unresolved 1`),
    ].sort();
    expect(overdue.filter((x) => !expected.includes(x))).toEqual([]);
    expect(expected.filter((x) => !overdue.includes(x))).toEqual([]);
    expect(overdue).toEqual(expected);
  });

  it("reminded the callbacks nobody made", async () => {
    const reminded = new Set((await posts("callback_reminders")).map((p) => p.data.ticket as string));
    for (const d of NEVER_CALLED) expect(reminded, `day ${d}`).toContain(`HG-${String(2 * d - 1).padStart(4, "0")}`);
  });

  it("reported November once on December 1st, with figures that follow from the script", async () => {
    const monthly = await posts("monthly_stats");
    expect(monthly.map((p) => [p.period, p.target])).toEqual([["2026-11", property.id]]);
    const range = monthRange("2026-11", TZ)!;
    const f: MonthlyFigures = await deps.reports.monthly(property.id, "2026-11", range.from, range.to, monthly[0]!.at);
    expect(f.total).toBe(60);
    expect(f.byKind).toMatchObject({ complaint: 30, repair: 30 });
    const complaints = 30;
    expect(f.rates.feedbackOnTime).toEqual({ numerator: complaints - LATE_FIRST_REPLY.length, denominator: complaints });
    expect(f.rates.closure).toEqual({ numerator: complaints - LEFT_OPEN.length, denominator: complaints });
    // Complaints whose last resolution fell in November, and of them those called back or rated since.
    const asOf = monthly[0]!.at;
    const lastResolved = new Map<string, Date>();
    for (const e of log.filter((x) => x.what === "resolved")) lastResolved.set(e.number, e.at);
    const isComplaint = (n: string) => Number(n.slice(3)) % 2 === 1;
    const resolvedComplaints = [...lastResolved].filter(([n, at]) => isComplaint(n) && at < range.to);
    const calledBack = resolvedComplaints.filter(([n, at]) => log.some((e) => e.what === "rated" && e.number === n && e.at >= at && e.at <= asOf));
    expect(f.rates.callback).toEqual({ numerator: calledBack.length, denominator: resolvedComplaints.length });
    const ratings = log.filter((e) => e.what === "rated" && isComplaint(e.number) && e.at >= range.from && e.at < range.to);
    expect(f.rates.callbackSatisfaction).toEqual({ numerator: ratings.filter((e) => e.rating !== "dissatisfied").length, denominator: ratings.length });
    const resolvedAll = [...lastResolved].filter(([, at]) => at >= range.from && at < range.to);
    expect(f.rates.reopen).toEqual({ numerator: DISSATISFIED.length, denominator: resolvedAll.length });
    expect(rateValue(f.rates.closure)).toBeCloseTo(25 / 30);
    // The workbook and the CSV went out with the figures, to the director's chat and the admin.
    const files = pending.filter((m) => m.message.kind === "document");
    expect(files.map((m) => m.message.to.chatId).sort()).toEqual(["-200", "-200", "admin", "admin"]);
  });

  it("sent a workbook whose totals match the month's 30 digests", async () => {
    const doc = pending.find((m) => m.message.kind === "document" && m.message.to.chatId === "-200" && m.message.body.filename.endsWith(".xlsx"));
    if (doc?.message.kind !== "document") throw new Error("no workbook in the director's chat");
    const wb = await openWorkbook(doc.message.body.base64);
    const [summary] = wb.worksheets as [ExcelJS.Worksheet];
    expect(summary.name).toBe("月度统计");
    const digests = await posts("director_digest");
    const sum = (field: string) => digests.reduce((n, p) => n + Number(p.data[field]), 0);
    expect(numberAfter(summary, "按类型", "合计")).toBe(sum("created"));
    expect(numberAfter(summary, "回访与评价", "合计")).toBe(sum("callbacks"));
  });

  it("posted every daily log and shift handover once a day", async () => {
    const daily = await posts("daily_log");
    expect(daily.map((p) => p.period)).toEqual(Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, "0")}`));
    const shifts = await posts("shift_handover");
    // Shifts start at 08:30 from Nov 2 to Dec 1; the 20th's, missed while down, is caught up at 09:15.
    expect(shifts).toHaveLength(30);
    expect(toChat("-100").filter((m) => m.message.kind === "message" && m.message.body.text[0]?.key === "daily_log.title")).toHaveLength(30);
  });
});


function sameDay(at: Date, day: number): boolean {
  return at >= sh(day, "00:00") && at < new Date(sh(day, "00:00").getTime() + 24 * 60 * MINUTE);
}
