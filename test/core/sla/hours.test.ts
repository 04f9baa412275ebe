import { describe, expect, it } from "vitest";
import { addBusinessMinutes, isTimeZone, isWithinHours, type BusinessHours } from "../../../src/core/sla/hours.js";
import { localDay } from "../../../src/core/time/zone.js";

const SHANGHAI: BusinessHours = { timeZone: "Asia/Shanghai", open: 8 * 60 + 30, close: 18 * 60, days: [1, 2, 3, 4, 5, 6, 7] };
const WEEKDAYS: BusinessHours = { ...SHANGHAI, days: [1, 2, 3, 4, 5] };
const z = (iso: string) => new Date(iso);
const add = (from: string, minutes: number, hours = SHANGHAI) => addBusinessMinutes(z(from), minutes, hours).toISOString();

// 2026-11-23 is a Monday. Shanghai is UTC+8 all year: 08:30-18:00 there is 00:30Z-10:00Z.
describe("business hours in Asia/Shanghai", () => {
  it("adds minutes inside one day", () => {
    expect(add("2026-11-23T02:00:00.000Z", 30)).toBe("2026-11-23T02:30:00.000Z"); // 10:00 → 10:30
  });

  it("ends exactly at closing rather than the next morning", () => {
    expect(add("2026-11-23T09:30:00.000Z", 30)).toBe("2026-11-23T10:00:00.000Z"); // 17:30 → 18:00
  });

  it("carries what is left over the night to the next opening", () => {
    expect(add("2026-11-23T09:45:00.000Z", 30)).toBe("2026-11-24T00:45:00.000Z"); // 17:45 → next day 08:45
  });

  it("waits for opening when started at night", () => {
    expect(add("2026-11-23T12:00:00.000Z", 120)).toBe("2026-11-24T02:30:00.000Z"); // 20:00 → next day 10:30
  });

  it("reads the day in Shanghai, not in UTC, across midnight", () => {
    // 17:00Z on the 23rd is 01:00 on the 24th in Shanghai: the clock starts at the 24th's opening.
    expect(add("2026-11-23T17:00:00.000Z", 30)).toBe("2026-11-24T01:00:00.000Z");
    // Friday 17:00Z is Saturday 01:00 in Shanghai: with weekdays only, Monday 09:00.
    expect(add("2026-11-27T17:00:00.000Z", 30, WEEKDAYS)).toBe("2026-11-30T01:00:00.000Z");
    // Sunday 23:00Z is Monday 07:00 in Shanghai: the same Monday.
    expect(add("2026-11-29T23:00:00.000Z", 30, WEEKDAYS)).toBe("2026-11-30T01:00:00.000Z");
  });

  it("spans several days: 24 business hours are two and a half days of 9.5 hours", () => {
    // Monday 10:00: 480 minutes Monday, 570 Tuesday, 390 Wednesday → Wednesday 15:00.
    expect(add("2026-11-23T02:00:00.000Z", 24 * 60)).toBe("2026-11-25T07:00:00.000Z");
  });

  it("skips days without hours", () => {
    // Friday 17:00 (09:00Z) + 2 h: 1 h on Friday, 1 h on Monday.
    expect(add("2026-11-27T09:00:00.000Z", 120, WEEKDAYS)).toBe("2026-11-30T01:30:00.000Z");
  });

  it("round the clock hours are the wall clock", () => {
    const always: BusinessHours = { ...SHANGHAI, open: 0, close: 24 * 60 };
    expect(add("2026-11-23T15:30:00.000Z", 90, always)).toBe("2026-11-23T17:00:00.000Z");
  });

  it("adds nothing for zero minutes", () => {
    expect(add("2026-11-23T12:00:00.000Z", 0)).toBe("2026-11-23T12:00:00.000Z");
  });

  it("knows when the desk is open", () => {
    expect(isWithinHours(z("2026-11-23T00:29:59Z"), SHANGHAI)).toBe(false);
    expect(isWithinHours(z("2026-11-23T00:30:00Z"), SHANGHAI)).toBe(true);
    expect(isWithinHours(z("2026-11-23T09:59:59Z"), SHANGHAI)).toBe(true);
    expect(isWithinHours(z("2026-11-23T10:00:00Z"), SHANGHAI)).toBe(false);
    expect(isWithinHours(z("2026-11-28T02:00:00Z"), WEEKDAYS)).toBe(false); // Saturday 10:00
    expect(isWithinHours(z("2026-11-28T02:00:00Z"), SHANGHAI)).toBe(true);
  });

  it("has local days that start at Shanghai's midnight, 16:00 UTC", () => {
    // The day boundaries the clocks walk (src/core/time/zone.ts).
    expect(localDay(z("2026-11-23T17:00:00Z"), "Asia/Shanghai")).toMatchObject({ key: "2026-11-24", from: z("2026-11-23T16:00:00Z"), to: z("2026-11-24T16:00:00Z") });
    expect(localDay(z("2026-11-23T15:59:59Z"), "Asia/Shanghai").key).toBe("2026-11-23");
  });
});

describe("business hours in a zone with daylight saving", () => {
  const NEW_YORK: BusinessHours = { ...SHANGHAI, timeZone: "America/New_York" };

  it("opens at 08:30 local on both sides of the change", () => {
    // 2026-03-08 is the first day of EDT (UTC-4); the day before is EST (UTC-5).
    // Saturday 17:30 EST + 60: 30 minutes Saturday, 30 minutes Sunday from 08:30 EDT.
    expect(add("2026-03-07T22:30:00.000Z", 60, NEW_YORK)).toBe("2026-03-08T13:00:00.000Z");
    expect(isWithinHours(z("2026-03-08T12:29:00Z"), NEW_YORK)).toBe(false);
    expect(isWithinHours(z("2026-03-08T12:30:00Z"), NEW_YORK)).toBe(true);
  });

  it("knows real zones from made-up ones", () => {
    expect(isTimeZone("Asia/Shanghai")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});
