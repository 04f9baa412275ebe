import { describe, expect, it } from "vitest";
import { parseWhen, splitNext } from "../../../src/core/staff/when.js";

// 10:00 in Shanghai on 23 Nov 2026.
const now = new Date("2026-11-23T02:00:00Z");
const sh = (s: string) => {
  const r = parseWhen(s, now, "Asia/Shanghai");
  return r.ok ? r.at.toISOString() : null;
};

describe("parseWhen", () => {
  it("reads durations in Chinese and English", () => {
    expect(sh("2h")).toBe("2026-11-23T04:00:00.000Z");
    expect(sh("30分钟")).toBe("2026-11-23T02:30:00.000Z");
    expect(sh("3小时后")).toBe("2026-11-23T05:00:00.000Z");
    expect(sh("1 day")).toBe("2026-11-24T02:00:00.000Z");
    expect(sh("1.5h")).toBe("2026-11-23T03:30:00.000Z");
  });

  it("reads clock times in the property's zone", () => {
    expect(sh("18:00")).toBe("2026-11-23T10:00:00.000Z");
    expect(sh("09:00")).toBe("2026-11-24T01:00:00.000Z"); // passed today: tomorrow
    expect(sh("明天 10:00")).toBe("2026-11-24T02:00:00.000Z");
    expect(sh("明天10点半")).toBe("2026-11-24T02:30:00.000Z");
    expect(sh("tomorrow 9:30")).toBe("2026-11-24T01:30:00.000Z");
    expect(sh("2026-12-01 08:30")).toBe("2026-12-01T00:30:00.000Z");
    expect(sh("18：00")).toBe("2026-11-23T10:00:00.000Z"); // full-width colon
  });

  it("uses the zone given, including daylight saving", () => {
    const ny = parseWhen("2026-07-01 09:00", now, "America/New_York");
    expect(ny.ok && ny.at.toISOString()).toBe("2026-07-01T13:00:00.000Z");
    const nyWinter = parseWhen("2026-12-01 09:00", now, "America/New_York");
    expect(nyWinter.ok && nyWinter.at.toISOString()).toBe("2026-12-01T14:00:00.000Z");
  });

  it("refuses what it cannot read", () => {
    for (const s of ["", "soon", "25:00", "0h", "明天", "2026-13-01 10:00", "10:61"]) expect(sh(s), s).toBeNull();
  });
});

describe("splitNext", () => {
  it("takes the next callback time off the end of a callback's record", () => {
    expect(splitNext("门口仍渗水 next 明天 10:00")).toEqual({ note: "门口仍渗水", next: "明天 10:00" });
    expect(splitNext("next 2026-12-08 10:00")).toEqual({ note: "", next: "2026-12-08 10:00" });
    expect(splitNext("still leaking NEXT tomorrow 10:00")).toEqual({ note: "still leaking", next: "tomorrow 10:00" });
    expect(splitNext("业主说下周再看 下次回访 3h")).toEqual({ note: "业主说下周再看", next: "3h" });
    expect(splitNext("nextdoor is noisy")).toEqual({ note: "nextdoor is noisy" });
    expect(splitNext("")).toEqual({ note: "" });
  });

  it("yields times parseWhen reads, the brief's forms included", () => {
    for (const [typed, at] of [
      ["next 明天 10:00", "2026-11-24T02:00:00.000Z"],
      ["next 2026-12-08 10:00", "2026-12-08T02:00:00.000Z"],
      ["next 3h", "2026-11-23T05:00:00.000Z"],
      ["next tomorrow 10:00", "2026-11-24T02:00:00.000Z"],
    ] as const) {
      expect(sh(splitNext(typed).next!)).toBe(at);
    }
  });
});
