/** The register's small rules: its numbers, the date received as typed, the written reply's marker. */
import { describe, expect, it } from "vitest";
import { parseReceivedOn, registerNumber, writtenReplyOf } from "../../../src/core/frontdesk/register.js";

describe("the letter register's rules", () => {
  it("numbers zero-padded to three digits, more when a year needs them", () => {
    expect(registerNumber("HG", 2026, 7)).toBe("HG-收-2026-007");
    expect(registerNumber("HG", 2026, 1234)).toBe("HG-收-2026-1234");
  });

  it("reads the date received in the ways staff type it, never a day to come or one that does not exist", () => {
    const today = "2026-12-06";
    expect(parseReceivedOn("2026-12-01", today)).toBe("2026-12-01");
    expect(parseReceivedOn("12-1", today)).toBe("2026-12-01");
    expect(parseReceivedOn("12/06", today)).toBe("2026-12-06");
    expect(parseReceivedOn("2025年12月30日", today)).toBe("2025-12-30");
    expect(parseReceivedOn("12-07", today)).toBeNull();
    expect(parseReceivedOn("2-30", today)).toBeNull();
    expect(parseReceivedOn("昨天", today)).toBeNull();
  });

  it("finds the written reply after 书面:, 书面回复: or written:, in either colon, and nothing without one", () => {
    expect(writtenReplyOf("书面: 已整改")).toBe("已整改");
    expect(writtenReplyOf("书面回复:已整改\n\n特此函复")).toBe("已整改\n\n特此函复");
    expect(writtenReplyOf("Written: fixed")).toBe("fixed");
    expect(writtenReplyOf("书面:   ")).toBeNull();
    expect(writtenReplyOf("已处理,书面: 见附件")).toBeNull();
    expect(writtenReplyOf("")).toBeNull();
  });
});
