import { describe, expect, it } from "vitest";
import { localDateKey, localDay, localMonthKey, monthRange, zonedInstant } from "../../../src/core/time/zone.js";

describe("time zones", () => {
  it("finds a Shanghai local day and month around UTC midnight", () => {
    const at = new Date("2026-11-01T17:30:00Z"); // 01:30 on the 2nd in Shanghai
    expect(localDateKey(at, "Asia/Shanghai")).toBe("2026-11-02");
    expect(localDay(at, "Asia/Shanghai", -1)).toEqual({ from: new Date("2026-10-31T16:00:00Z"), to: new Date("2026-11-01T16:00:00Z"), key: "2026-11-01" });
    expect(localMonthKey(new Date("2026-12-31T16:30:00Z"), "Asia/Shanghai")).toBe("2027-01");
    expect(localMonthKey(new Date("2027-01-05T00:00:00Z"), "Asia/Shanghai", -1)).toBe("2026-12");
    expect(monthRange("2026-12", "Asia/Shanghai")).toEqual({ from: new Date("2026-11-30T16:00:00Z"), to: new Date("2026-12-31T16:00:00Z") });
    expect(monthRange("2026-13", "Asia/Shanghai")).toBeNull();
  });

  it("handles a zone with daylight saving (a 23-hour day)", () => {
    const day = localDay(new Date("2026-03-08T12:00:00Z"), "America/New_York");
    expect(day.to.getTime() - day.from.getTime()).toBe(23 * 3_600_000);
    expect(zonedInstant("America/New_York", 2026, 3, 8, 12)).toEqual(new Date("2026-03-08T16:00:00Z"));
  });
});
