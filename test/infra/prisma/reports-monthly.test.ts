/**
 * Pins the monthly statistics and every rate of docs/rates.md on both databases: a November of
 * tickets worked through the real workflow, with one ticket on each side of every boundary.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MonthlyFigures, ReportStore } from "../../../src/core/reports/figures.js";
import { monthRange } from "../../../src/core/time/zone.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { createReportStore } from "../../../src/infra/prisma/reports.js";
import { backends, type TestStore } from "../../support/db.js";
import { fixture, sh, ZONE, type Fixture } from "../../support/reports-fixture.js";

const NOVEMBER = monthRange("2026-11", ZONE)!;
/** Before C5's first reply is due under any policy: it was filed at 23:00 the night before. */
const AS_OF = sh("2026-12-01 01:00");

/**
 * C7 is filed in October and resolved in November; C1 is filed at the month's first instant and
 * C8 at the next month's; C5's first reply is still not due at AS_OF; C6 is cancelled.
 */
async function november(f: Fixture): Promise<Record<string, TicketRecord>> {
  const { wang, boss } = f.staff;
  const c7 = await f.file("2026-10-31 23:00");
  await f.act(wang, "2026-10-31 23:10", c7, { type: "claim" });
  await f.act(wang, "2026-10-31 23:20", c7, { type: "reply", text: "已派人查看" });
  await f.act(wang, "2026-11-01 09:00", c7, { type: "resolve", result: "已修好" });
  await f.act(wang, "2026-11-01 10:00", c7, { type: "callback", rating: "satisfied", note: "" });

  const c1 = await f.file("2026-11-01 00:00", { zone: "A" });
  await f.act(wang, "2026-11-01 00:30", c1, { type: "claim" });
  await f.act(wang, "2026-11-01 01:00", c1, { type: "reply", text: "已联系保安队长" });
  await f.act(wang, "2026-11-03 10:00", c1, { type: "resolve", result: "已批评教育" });
  await f.rate("2026-11-03 11:00", c1, "satisfied");

  const r1 = await f.file("2026-11-03 08:00", { kind: "repair", category: "engineering", zone: "B" });
  await f.act(wang, "2026-11-03 08:10", r1, { type: "claim" });
  await f.act(wang, "2026-11-03 09:00", r1, { type: "resolve", result: "已换水龙头" });
  await f.rate("2026-11-03 10:00", r1, "satisfied");

  // First heard from staff at 15:00, two hours after its 13:00 first-reply time.
  const c2 = await f.file("2026-11-05 09:00", { zone: "A" });
  await f.act(wang, "2026-11-05 10:00", c2, { type: "claim" });
  await f.act(wang, "2026-11-05 15:00", c2, { type: "promise", due: sh("2026-11-05 18:00") });
  await f.act(wang, "2026-11-06 10:00", c2, { type: "resolve", result: "已处理" });
  // A note quoting JSON must not be read as a rating.
  await f.act(wang, "2026-11-07 10:00", c2, { type: "callback", rating: "fairly", note: '业主原话:"rating":"satisfied"' });

  const c6 = await f.file("2026-11-08 10:00");
  await f.cancel("2026-11-08 11:00", c6);

  // Resolved, rated 不满意 (reopened, still 小王's), resolved again; no callback after that.
  const c3 = await f.file("2026-11-10 09:00", { zone: "A" });
  await f.act(wang, "2026-11-10 09:30", c3, { type: "claim" });
  await f.act(wang, "2026-11-10 10:00", c3, { type: "reply", text: "马上处理" });
  await f.act(wang, "2026-11-11 09:00", c3, { type: "resolve", result: "第一次处理" });
  await f.rate("2026-11-11 10:00", c3, "dissatisfied");
  await f.act(wang, "2026-11-12 09:00", c3, { type: "resolve", result: "第二次处理,已彻底解决" });

  const c4 = await f.file("2026-11-20 09:00");
  await f.act(boss, "2026-11-20 10:00", c4, { type: "claim" });
  const c5 = await f.file("2026-11-30 23:00");
  const c8 = await f.file("2026-12-01 00:00");
  return { c1, c2, c3, c4, c5, c6, c7, c8, r1 };
}

describe.each(backends())("monthly figures on $name", (backend) => {
  let db: TestStore;
  let f: Fixture;
  let reports: ReportStore;
  let t: Record<string, TicketRecord>;
  let figures: MonthlyFigures;
  // Built once: the tests only read, except the last, which adds a December callback.
  beforeAll(async () => {
    db = await backend.open();
    f = await fixture(db.store);
    reports = db.use(createReportStore);
    t = await november(f);
    figures = await reports.monthly(f.property.id, "2026-11", NOVEMBER.from, NOVEMBER.to, AS_OF);
  });
  afterAll(() => db.close());

  it("counts the month's tickets by kind, category, zone and person", () => {
    expect(figures).toMatchObject({ month: "2026-11", from: NOVEMBER.from, to: NOVEMBER.to, asOf: AS_OF, total: 7 });
    expect(figures.byKind).toEqual({ complaint: 6, repair: 1, inquiry: 0, suggestion: 0, praise: 0, help: 0 });
    expect(figures.byCategory).toMatchObject({ security: 6, engineering: 1, cleaning: 0 });
    const [a, b] = f.property.zones;
    expect(figures.byZone).toEqual([
      { zoneId: a!.id, name: "A区", count: 3 },
      { zoneId: null, name: null, count: 3 },
      { zoneId: b!.id, name: "B区", count: 1 },
    ]);
    // 小王's claim of C7 was in October.
    expect(figures.byStaff).toEqual([
      { personId: f.staff.wang.id, name: "小王", claimed: 4, resolved: 5 },
      { personId: f.staff.boss.id, name: "陈主管", claimed: 1, resolved: 0 },
    ]);
    expect(figures.ratings).toEqual({ satisfied: 3, fairly: 1, dissatisfied: 1 });
  });

  it("feedback on time: complaints filed in the month, first heard from by their first-reply time", () => {
    // On time: C1, C3. Late: C2 (answered late), C4 (never answered, due passed). Left out: C5
    // (due after AS_OF), C6 (cancelled); C7 and C8 were filed outside the month.
    expect(figures.rates.feedbackOnTime).toEqual({ numerator: 2, denominator: 4 });
  });

  it("callback rate: complaints last resolved in the month, called back or rated since", () => {
    // C7, C1, C2 yes; C3's only rating came before its latest resolution.
    expect(figures.rates.callback).toEqual({ numerator: 3, denominator: 4 });
  });

  it("callback satisfaction: complaints' callbacks and ratings recorded in the month, 满意 or 较满意", () => {
    // C7 satisfied, C1 satisfied, C2 fairly, C3 dissatisfied; R1's rating is a repair's.
    expect(figures.rates.callbackSatisfaction).toEqual({ numerator: 3, denominator: 4 });
  });

  it("closure: complaints filed in the month that are resolved or closed at asOf", () => {
    // C1, C2 closed, C3 resolved; C4, C5 open; C6 cancelled is left out.
    expect(figures.rates.closure).toEqual({ numerator: 3, denominator: 5 });
  });

  it("reopen: tickets of every kind last resolved in the month that had been reopened", () => {
    expect(figures.rates.reopen).toEqual({ numerator: 1, denominator: 5 });
  });

  it("a month with nothing in it has rates with nothing counted", async () => {
    const june = monthRange("2026-06", ZONE)!;
    const empty = await reports.monthly(f.property.id, "2026-06", june.from, june.to, AS_OF);
    expect(empty.total).toBe(0);
    expect(empty.byStaff).toEqual([]);
    for (const r of Object.values(empty.rates)) expect(r).toEqual({ numerator: 0, denominator: 0 });
  });

  it("pages the intake list in filing order, with each ticket's last result", async () => {
    const numbers: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await reports.intakeRows(f.property.id, NOVEMBER.from, NOVEMBER.to, { after, limit: 3 });
      numbers.push(...page.map((r) => r.number));
      if (page.length < 3) break;
      after = page.at(-1)!.number;
    }
    expect(numbers).toEqual([t.c1, t.r1, t.c2, t.c6, t.c3, t.c4, t.c5].map((x) => x!.number));
    const [c3] = await reports.intakeRows(f.property.id, sh("2026-11-10 00:00"), sh("2026-11-11 00:00"), { limit: 10 });
    expect(c3).toMatchObject({
      number: t.c3!.number, kind: "complaint", status: "resolved", zoneName: "A区", assigneeName: "小王", contactName: "王先生",
      result: "第二次处理,已彻底解决", rating: "dissatisfied", resolvedAt: sh("2026-11-12 09:00"), calledBackAt: sh("2026-11-11 10:00"),
      firstResponseAt: sh("2026-11-10 10:00"),
    });
    const [c4] = await reports.intakeRows(f.property.id, sh("2026-11-20 00:00"), sh("2026-11-21 00:00"), { limit: 10 });
    expect(c4).toMatchObject({ assigneeName: "陈主管", result: null, resolvedAt: null, firstResponseAt: null, zoneName: null });
    await expect(reports.intakeRows(f.property.id, NOVEMBER.from, NOVEMBER.to, { after: "XX-0001", limit: 3 })).rejects.toThrow(/XX-0001/);
  });

  it("lists the month's callbacks and ratings in time order, for 回访用户月统计表", async () => {
    const rows = await reports.callbackRows(f.property.id, NOVEMBER.from, NOVEMBER.to);
    expect(rows.map((r) => [r.ticketNumber, r.rating, r.by, r.byName])).toEqual([
      [t.c7!.number, "satisfied", "staff", "小王"],
      [t.r1!.number, "satisfied", "owner", "王先生"],
      [t.c1!.number, "satisfied", "owner", "王先生"],
      [t.c2!.number, "fairly", "staff", "小王"],
      [t.c3!.number, "dissatisfied", "owner", "王先生"],
    ]);
    expect(rows[3]).toMatchObject({ at: sh("2026-11-07 10:00"), note: '业主原话:"rating":"satisfied"', kind: "complaint", category: "security", contactName: "王先生" });
    expect(rows[0]!.note).toBeNull();
  });

  it("moves with asOf: C5's first reply falls due, and a callback of C3 lands", async () => {
    await f.act(f.staff.wang, "2026-12-01 09:00", t.c3!, { type: "callback", rating: "satisfied", note: "" });
    // C5's first-reply time comes from the SLA policy (business hours): just past it, whenever it is.
    const asOf = new Date(Math.max(t.c5!.firstReplyDueAt!.getTime() + 60_000, sh("2026-12-01 09:00").getTime()));
    const later = await reports.monthly(f.property.id, "2026-11", NOVEMBER.from, NOVEMBER.to, asOf);
    expect(later.rates.feedbackOnTime).toEqual({ numerator: 2, denominator: 5 });
    expect(later.rates.callback).toEqual({ numerator: 4, denominator: 4 });
    // The callback was recorded in December: November's satisfaction is unchanged.
    expect(later.rates.callbackSatisfaction).toEqual({ numerator: 3, denominator: 4 });
  });

  it("repeat callbacks: a ticket's second and later callback or rating, whichever month the first was in", async () => {
    expect(figures.repeatCallbacks).toBe(0); // C3's 不满意 in November was its first
    const { wang } = f.staff;
    const d1 = await f.file("2026-12-02 09:00", { kind: "repair", category: "engineering" });
    await f.act(wang, "2026-12-02 09:10", d1, { type: "claim" });
    await f.act(wang, "2026-12-02 10:00", d1, { type: "resolve", result: "已修" });
    await f.act(wang, "2026-12-03 10:00", d1, { type: "callback", rating: "dissatisfied", note: "仍漏", next: "2026-12-05 10:00" });
    await f.act(wang, "2026-12-03 10:30", d1, { type: "claim" });
    await f.act(wang, "2026-12-04 10:00", d1, { type: "resolve", result: "重修" });
    await f.act(wang, "2026-12-05 10:00", d1, { type: "callback", rating: "satisfied", note: "" });
    const december = monthRange("2026-12", ZONE)!;
    const dec = await reports.monthly(f.property.id, "2026-12", december.from, december.to, sh("2026-12-31 12:00"));
    // C3's callback on 1 December (its second) and D1's second: two of the month's three.
    expect(dec.ratings).toEqual({ satisfied: 2, fairly: 0, dissatisfied: 1 });
    expect(dec.repeatCallbacks).toBe(2);
  });
});
