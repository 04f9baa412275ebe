/**
 * Issue 14's second acceptance: a simulated month over three properties on both databases. A
 * script files cases through November, takes each step as the people would (through the staff
 * desk) at its own time, and keeps its own log of what it did; the jobs run as the scheduler
 * would. Then: the daily report exactly once a day; every passed deadline reminded and escalated;
 * the 7-day written reports; the month's KPIs and ranking equal to the log; the forms' rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hotlineDaily } from "../../../src/core/hotline/daily.js";
import { monthOf } from "../../../src/core/hotline/month.js";
import { hotlineSweep, type HotlineJobDeps } from "../../../src/core/hotline/sweep.js";
import { hotlineMonthly } from "../../../src/core/hotline/monthly.js";
import { createHotlineFiles } from "../../../src/infra/export/hotline-workbook.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import { DEFAULT_SLA_POLICY } from "../../../src/core/sla/policy.js";
import { createJobLedger } from "../../../src/infra/prisma/jobs.js";
import { backends, type TestStore } from "../../support/db.js";
import { sh, ZONE } from "../../support/reports-fixture.js";
import { openWorkbook } from "../../support/workbook.js";
import { hotlineWorld, type HotlineWorld } from "./world.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the script did to one case, as it will count it. */
interface Logged {
  number: string;
  propertyId: string;
  filedAt: Date;
  feedbackAt: Date;
  firstCallback: boolean;
  ratings: string[];
  closed: boolean;
  /** Still without measures or unsolved 7 days after filing. */
  writtenReport: boolean;
}

describe.each(backends())("a month of the hotline over three properties on $name", (backend) => {
  let opened: TestStore;
  let w: HotlineWorld;
  let deps: HotlineJobDeps & { timeZone: string; hotlineFiles: ReturnType<typeof createHotlineFiles> };
  const log: Logged[] = [];
  const monthly: { posted: number; skipped: number }[] = [];
  const end = sh("2026-12-10 12:00");

  beforeAll(async () => {
    opened = await backend.open();
    w = await hotlineWorld(opened, sh("2026-11-01 08:00"));
    const { store } = opened;
    deps = { hotline: w.hotline, store, sla: { policyOf: async () => DEFAULT_SLA_POLICY }, ledger: opened.use(createJobLedger), staffLocale: "zh-CN", timeZone: ZONE, hotlineFiles: createHotlineFiles({ renderer: createRenderer(await loadCatalog(), ZONE), timeZone: ZONE }) };
    await w.type("officer", `/join ${await w.companyCode({ kind: "join", role: "hotline_officer" })}`);
    await w.type("manager", `/join ${await w.companyCode({ kind: "join", role: "general_manager" })}`);
    await w.type("officer", `/bind ${await w.companyCode({ kind: "bind" })}`, "hotline");
    // Two more properties, each with its head and a department head.
    const properties = [{ property: w.home, head: w.people.head, department: w.people.wang }];
    for (const [code, name] of [["XY", "西苑"], ["DF", "东方花园"]] as const) {
      const property = await store.createProperty({ code, name });
      const staff: PersonRecord[] = [];
      for (const role of ["property_head", "supervisor"] as const) {
        const p = await store.person({ platform: "telegram", platformUserId: `u-${code}-${role}`, displayName: `${code}-${role}`, username: `${code}_${role}`, locale: "zh-CN" });
        await store.grantStaffRole(p.id, { propertyId: property.id, role, zoneId: null });
        staff.push(p);
      }
      properties.push({ property, head: staff[0]!, department: staff[1]! });
    }
    const as = (p: PersonRecord, text: string) =>
      w.desk.handle({ channel: "telegram", chat: { id: p.platformUserId, kind: "private" }, sender: { platformUserId: p.platformUserId, displayName: p.displayName ?? "", username: p.username ?? "" }, body: { type: "command", command: text.slice(1).split(" ")[0]!, args: text.split(" ").slice(1).join(" ") } });

    // The script: cases filed at 10:00 on some days; each step planned at its own time.
    const actions: { at: Date; run: () => Promise<unknown> }[] = [];
    let k = 0;
    for (let day = 2; day <= 28; day++) {
      for (const [i, { property, head, department }] of properties.entries()) {
        if ((day + i) % 3 !== 0) continue;
        const n = ++k;
        const filedAt = sh(`2026-11-${String(day).padStart(2, "0")} 10:00`);
        const entry: Logged = { number: "", propertyId: property.id, filedAt, feedbackAt: new Date(filedAt.getTime() + (n % 4 === 0 ? 30 : 23) * HOUR), firstCallback: n % 5 !== 0, ratings: [], closed: false, writtenReport: false };
        log.push(entry);
        actions.push({
          at: filedAt,
          run: async () => {
            const { ticket } = await store.fileTicket({
              intakeId: `month-${n}`, propertyId: property.id, zoneId: null, roomId: null, kind: "repair", category: "engineering", weight: "general", majorReasons: [],
              ownerId: w.people.owner.id, roomLabel: `${n}-101`, contactName: "业主", contactPhone: "13900001111", location: "home", place: null, description: "门窗漏风",
              since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: filedAt, nextReplyDueAt: null, confirmation: {},
            });
            // Taken up by the property first: a matter it never handled is no hotline case (§4.1).
            await store.applyTransition(ticket.id, ticket.status, "in_progress", {
              at: filedAt, type: "transition", actorKind: "staff", actorId: department.id, channel: "telegram", fromStatus: ticket.status, toStatus: "in_progress", data: { action: "claim" },
            }, { claimedAt: filedAt, assigneeId: department.id });
            await as(w.people.officer, `/hlrecord ${ticket.number} 门窗修过还是漏风`);
            entry.number = (await w.hotline.casesFiled(filedAt, new Date(filedAt.getTime() + 1)))[0]!.number;
          },
        });
        const at = (hours: number) => new Date(filedAt.getTime() + hours * HOUR);
        actions.push({ at: at(1), run: () => as(head, `/measures ${entry.number} @${department.username} 上门检修`) });
        if (entry.firstCallback) actions.push({ at: at(20), run: () => (entry.ratings.push("fairly"), as(department, `/hlcall ${entry.number} first 较满意`)) });
        actions.push({ at: entry.feedbackAt, run: () => as(department, `/hlfeedback ${entry.number} 满意 已检修`) });
        if (n % 3 !== 0) {
          const satisfied = n % 7 !== 0;
          actions.push({ at: at(48), run: () => as(head, `/hldone ${entry.number} 已修好`) });
          actions.push({ at: at(72), run: () => (entry.ratings.push(satisfied ? "satisfied" : "dissatisfied"), (entry.closed = satisfied), as(w.people.officer, `/hlcall ${entry.number} closing ${satisfied ? "满意" : "不满意"}`)) });
          entry.writtenReport = !satisfied;
        } else entry.writtenReport = true;
      }
    }
    // The scheduler: the sweep every 3 hours, the daily report at 17:30 (run twice, as a second instance would).
    for (let t = sh("2026-11-01 00:00").getTime(); t <= end.getTime(); t += 3 * HOUR) actions.push({ at: new Date(t + 1), run: () => hotlineSweep(deps, new Date(t + 1)) });
    for (let t = sh("2026-11-01 17:30").getTime(); t <= end.getTime(); t += DAY) {
      actions.push({ at: new Date(t), run: () => hotlineDaily(deps, new Date(t), new Date(t)) });
      actions.push({ at: new Date(t + 60_000), run: () => hotlineDaily(deps, new Date(t + 60_000), new Date(t)) });
    }
    // The month to the general manager on the 1st at 09:00, run twice.
    for (const at of [sh("2026-12-01 09:00"), sh("2026-12-01 09:10")]) actions.push({ at, run: async () => (monthly.push(await hotlineMonthly(deps, at, sh("2026-12-01 09:00")))) });
    actions.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const a of actions) {
      w.clock.set(a.at);
      await a.run();
    }
  }, 300_000);
  afterAll(() => opened?.close());

  it("posts the hotline daily report exactly once a day", async () => {
    const posts = await deps.ledger.postsOf("hotline_daily", sh("2026-11-01 00:00"), end);
    expect(posts.map((p) => p.period)).toEqual(Array.from({ length: 39 }, (_, i) => new Date(Date.UTC(2026, 10, 1 + i)).toISOString().slice(0, 10)));
    const november = posts.filter((p) => p.period.startsWith("2026-11")).flatMap((p) => p.data.new as string[]);
    expect(november).toEqual(log.map((l) => l.number));
  });

  it("reminds and escalates every passed deadline, and reports in writing the cases unsolved after 7 days", async () => {
    // The script has each kind of case: without a first callback, with a late 回访表, unsolved.
    expect([log.length, log.filter((l) => !l.firstCallback).length > 0, log.filter((l) => l.writtenReport).length > 0, log.filter((l) => l.closed).length > 0]).toEqual([27, true, true, true]);
    const overdue = await deps.ledger.postsOf("hotline_overdue", sh("2026-11-01 00:00"), end);
    const cases = new Map((await w.hotline.casesFiled(sh("2026-11-01 00:00"), end)).map((c) => [c.id, c.number]));
    const levels = (kind: string) => overdue.filter((p) => p.period.endsWith(`:${kind}`)).map((p) => `${cases.get(p.period.split(":")[0]!)}:${p.target}`).sort();
    const all3 = (numbers: string[]) => numbers.flatMap((n) => [1, 2, 3].map((l) => `${n}:level:${l}`)).sort();
    expect(levels("first_callback")).toEqual(all3(log.filter((l) => !l.firstCallback).map((l) => l.number)));
    expect(levels("feedback")).toEqual(all3(log.filter((l) => l.feedbackAt.getTime() - l.filedAt.getTime() > DAY).map((l) => l.number)));
    expect(levels("measures")).toEqual([]);
    for (const p of overdue) expect(p.at.getTime()).toBeGreaterThanOrEqual(p.scheduledFor.getTime());
    const written = await deps.ledger.postsOf("hotline_written", sh("2026-11-01 00:00"), end);
    expect(written.map((p) => cases.get(p.period)).sort()).toEqual(log.filter((l) => l.writtenReport).map((l) => l.number).sort());
  });

  it("counts the month's KPIs and ranks the properties as the script's own log says", async () => {
    const month = await monthOf({ store: { ...opened.store, ...w.hotline }, policyOf: async () => DEFAULT_SLA_POLICY }, sh("2026-11-01 00:00"), sh("2026-12-01 00:00"), end, "zh-CN");
    const expected = [...new Set(log.map((l) => l.propertyId))].map((propertyId) => {
      const mine = log.filter((l) => l.propertyId === propertyId);
      const ratings = mine.flatMap((l) => l.ratings);
      return {
        propertyId,
        cases: mine.length,
        feedbackOnTime: { numerator: mine.filter((l) => l.feedbackAt.getTime() - l.filedAt.getTime() <= DAY).length, denominator: mine.length },
        callback: { numerator: mine.filter((l) => l.ratings.length > 0).length, denominator: mine.length },
        callbackSatisfaction: { numerator: ratings.filter((r) => r !== "dissatisfied").length, denominator: ratings.length },
        closure: { numerator: mine.filter((l) => l.closed).length, denominator: mine.length },
      };
    });
    const byId = (a: { propertyId: string }, b: { propertyId: string }) => a.propertyId.localeCompare(b.propertyId);
    expect(month.kpis.map(({ rank: _r, targetsMet: _t, ...k }) => k).sort(byId)).toEqual(expected.sort(byId));
    // Ranked by targets met, then by the rates' sum.
    const score = (k: (typeof month.kpis)[number]) => [k.targetsMet, k.feedbackOnTime.numerator / k.cases + k.callback.numerator / k.cases + k.callbackSatisfaction.numerator / k.callbackSatisfaction.denominator + k.closure.numerator / k.cases];
    const scores = month.kpis.map(score);
    for (let i = 1; i < scores.length; i++) expect(scores[i - 1]![0]! > scores[i]![0]! || (scores[i - 1]![0] === scores[i]![0] && scores[i - 1]![1]! >= scores[i]![1]!)).toBe(true);
    expect(month.kpis.map((k) => k.rank)).toEqual([1, 2, 3]);
  });

  it("sends the month's KPIs, ranking and forms to the general manager and the hotline group on the 1st, once", async () => {
    expect(monthly).toEqual([{ posted: 1, skipped: 0 }, { posted: 0, skipped: 1 }]);
    const [post] = await deps.ledger.postsOf("hotline_monthly", sh("2026-12-01 00:00"), end);
    expect(post!.period).toBe("2026-11");
    expect(Object.values(post!.data).map((d) => (d as { rank: number }).rank).sort()).toEqual([1, 2, 3]);
    const sent = (await opened.outbox.due(new Date("3000-01-01"), 5000)).filter((r) => r.createdAt.getTime() === sh("2026-12-01 09:00").getTime());
    expect(sent.map((r) => [r.message.to.chatId, r.message.kind])).toEqual([
      [w.people.manager.platformUserId, "message"], [w.people.manager.platformUserId, "document"], ["-9001", "message"], ["-9001", "document"],
    ]);
  });

  it("sends the four forms with a row per case and per step", async () => {
    w.clock.set(end);
    await w.type("officer", "/export hotline 2026-11");
    const doc = (await opened.outbox.due(new Date("3000-01-01"), 5000)).map((r) => r.message).filter((m) => m.kind === "document").at(-1);
    if (!doc || doc.kind !== "document") throw new Error("no workbook");
    const wb = await openWorkbook(doc.body.base64);
    const count = (name: string) => wb.getWorksheet(name)!.rowCount - 2;
    expect(count("热线记录")).toBe(log.length);
    expect(count("处理档案")).toBe(log.length);
    const callbacks = log.reduce((a, l) => a + l.ratings.length + 1, 0);
    expect(count("处理回访表")).toBe(callbacks);
    expect(count("月度考核")).toBe(3);
  });
});
