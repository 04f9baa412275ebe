/**
 * The cron pre-filter (src/jobs/cron-prefilter.ts) never hides a slot node-cron would match:
 * `cronSlots` with it gives exactly the slots node-cron alone gives, minute by minute, across
 * daylight-saving changes (whole-hour and Lord Howe's half-hour) and half-hour zones.
 */
import cron from "node-cron";
import { describe, expect, it } from "vitest";
import { cronSlots } from "../../src/jobs/cron.js";
import { minuteFilter, valuesOf } from "../../src/jobs/cron-prefilter.js";

const MINUTE = 60_000;

/** Every minute in (from, to] that node-cron's matcher alone accepts. */
function bruteForce(expression: string, timeZone: string, from: Date, to: Date): Date[] {
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
  const slots: Date[] = [];
  for (let m = from.getTime() + MINUTE; m <= to.getTime(); m += MINUTE) if (task.match(new Date(m))) slots.push(new Date(m));
  return slots;
}

/** 30 hours around a zone's clock change in 2026 (or any day, for zones without one). */
const WINDOWS: [string, string][] = [
  ["America/New_York", "2026-03-08T00:00:00Z"],
  ["America/New_York", "2026-11-01T00:00:00Z"],
  ["Australia/Lord_Howe", "2026-04-04T06:00:00Z"],
  ["Europe/Berlin", "2026-03-28T18:00:00Z"],
  ["Asia/Kolkata", "2026-05-01T00:00:00Z"],
  ["Asia/Shanghai", "2026-02-28T12:00:00Z"],
];
const EXPRESSIONS = ["30 2 * * *", "*/15 * * * *", "0 9 1 * *", "15,45 1-3 * * *", "0 */2 * * *", "0 30 8 * * *", "0 9 * * MON"];

describe("cron slots with the pre-filter", () => {
  it.each(WINDOWS)("match node-cron alone in %s around %s", (zone, start) => {
    const from = new Date(start);
    const to = new Date(from.getTime() + 30 * 60 * MINUTE);
    for (const expression of EXPRESSIONS) {
      const slots = cronSlots(expression, zone);
      const expected = bruteForce(expression, zone, from, to);
      expect(slots.between(from, to, 10_000), `${expression} in ${zone}`).toEqual(expected);
      expect(slots.next(from, 30 * 60 * MINUTE), `next ${expression} in ${zone}`).toEqual(expected[0] ?? null);
    }
  });

  it("reads plain fields and leaves the others to node-cron", () => {
    expect([...valuesOf("*/15", 59)!]).toEqual([0, 15, 30, 45]);
    expect([...valuesOf("1-3,7", 23)!]).toEqual([1, 2, 3, 7]);
    expect([...valuesOf("10/20", 59)!]).toEqual([10, 30, 50]);
    expect(valuesOf("MON", 23)).toBeNull();
    expect(valuesOf("5-2", 23)).toBeNull();
    expect(valuesOf("60", 59)).toBeNull();
  });

  it("hands node-cron one minute a day of a month's lookahead for the monthly report, not every minute", () => {
    const filter = minuteFilter("0 9 1 * *", "Asia/Shanghai");
    const from = new Date("2026-12-01T02:00:00Z").getTime();
    let passed = 0;
    for (let m = from; m < from + 32 * 24 * 60 * MINUTE; m += MINUTE) if (filter.mayMatch(m)) passed++;
    expect(passed).toBe(32);
    expect(cronSlots("0 9 1 * *", "Asia/Shanghai").next(new Date(from), 32 * 24 * 60 * MINUTE)).toEqual(new Date("2027-01-01T01:00:00Z"));
  });
});
