/**
 * Pins the director's digest figures (docs/rates.md, "The morning digest") on both databases:
 * one local day, 2026-11-22 in Shanghai, with tickets on both sides of its midnights.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DigestFigures } from "../../../src/core/reports/figures.js";
import { localDay } from "../../../src/core/time/zone.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { createReportStore } from "../../../src/infra/prisma/reports.js";
import { backends, type TestStore } from "../../support/db.js";
import { fixture, sh, ZONE, type Fixture } from "../../support/reports-fixture.js";

const DAY = localDay(sh("2026-11-22 12:00"), ZONE);
const AS_OF = sh("2026-11-23 08:30");

async function theDay(f: Fixture): Promise<Record<string, TicketRecord>> {
  const { wang, boss } = f.staff;
  // Filed the day before at 23:59, resolved and rated on the day.
  const d5 = await f.file("2026-11-21 23:59");
  await f.act(wang, "2026-11-22 08:00", d5, { type: "claim" });
  await f.act(wang, "2026-11-22 09:00", d5, { type: "resolve", result: "已处理" });
  await f.rate("2026-11-22 10:00", d5, "fairly");
  // A repair from two days before, escalated on the day; nobody has replied.
  const d4 = await f.file("2026-11-20 10:00", { kind: "repair", category: "engineering" });
  await f.act(boss, "2026-11-22 11:00", d4, { type: "escalate", reason: "业主多次来电" });

  const d1 = await f.file("2026-11-22 00:00");
  await f.act(wang, "2026-11-22 09:10", d1, { type: "claim" });
  await f.act(wang, "2026-11-22 09:20", d1, { type: "reply", text: "已联系" });
  const d2 = await f.file("2026-11-22 10:00");
  const d3 = await f.file("2026-11-22 12:00", { kind: "repair", weight: "major", category: "engineering" });
  // Resolved and reopened on the same day: it was resolved that day all the same.
  const d7 = await f.file("2026-11-22 16:00");
  await f.act(wang, "2026-11-22 16:05", d7, { type: "claim" });
  await f.act(wang, "2026-11-22 16:10", d7, { type: "resolve", result: "已处理" });
  await f.rate("2026-11-22 17:00", d7, "dissatisfied");
  // Filed at the next midnight: the next day's.
  const d6 = await f.file("2026-11-23 00:00", { kind: "inquiry" });
  return { d1, d2, d3, d4, d5, d6, d7 };
}

describe.each(backends())("digest figures on $name", (backend) => {
  let db: TestStore;
  let t: Record<string, TicketRecord>;
  let figures: DigestFigures;
  beforeAll(async () => {
    db = await backend.open();
    const f = await fixture(db.store);
    t = await theDay(f);
    figures = await db.use(createReportStore).digest(f.property.id, DAY.from, DAY.to, AS_OF);
  });
  afterAll(() => db.close());

  it("counts the day's filings, resolutions, and what is open and overdue at asOf", () => {
    expect(figures).toMatchObject({ from: DAY.from, to: DAY.to, asOf: AS_OF });
    expect(figures.created).toEqual({ complaint: 3, repair: 1, inquiry: 0, suggestion: 0, praise: 0, help: 0 });
    expect(figures.resolved).toBe(2);
    // Open: D1, D2, D3, D4, D7 (D6 was filed at `to`). Overdue: D2, D3, D4 still owe a reply;
    // D1 was answered, D7's resolution cleared its clock.
    expect(figures.open).toBe(5);
    expect(figures.overdue).toBe(3);
  });

  it("lists major tickets filed or escalated on the day, and every complaint filed on it", () => {
    expect(figures.major.map((x) => x.number)).toEqual([t.d4!.number, t.d3!.number]);
    expect(figures.complaints.map((x) => x.number)).toEqual([t.d1, t.d2, t.d7].map((x) => x!.number));
    expect(figures.complaints[0]).toMatchObject({
      status: "in_progress", assigneeName: "小王", claimedAt: sh("2026-11-22 09:10"), firstResponseAt: sh("2026-11-22 09:20"), nextReplyDueAt: null,
      roomLabel: t.d1!.roomLabel, description: t.d1!.description, kind: "complaint", category: "security", weight: "general",
    });
    expect(figures.complaints[1]).toMatchObject({ status: "new", assigneeName: null, claimedAt: null, firstResponseAt: null });
    expect(figures.complaints[1]!.nextReplyDueAt).toEqual(t.d2!.firstReplyDueAt);
  });

  it("lists the day's callbacks and ratings", () => {
    expect(figures.callbacks.map((c) => [c.ticketNumber, c.rating, c.by])).toEqual([
      [t.d5!.number, "fairly", "owner"],
      [t.d7!.number, "dissatisfied", "owner"],
    ]);
  });
});
