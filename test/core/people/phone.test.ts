import { describe, expect, it } from "vitest";
import { maskPhone, parsePhone } from "../../../src/core/people/phone.js";

describe("parsePhone", () => {
  it.each([
    ["13812345678", "13812345678"],
    ["138 1234 5678", "13812345678"],
    ["138-1234-5678", "13812345678"],
    ["+86-138-1234-5678", "13812345678"],
    ["+86 13812345678", "13812345678"],
    ["0086 138 1234 5678", "13812345678"],
    ["8613812345678", "13812345678"],
    ["１３８１２３４５６７８", "13812345678"],
    ["手机:13812345678", "13812345678"],
    ["19912345678", "19912345678"],
    ["021-12345678", "021-12345678"],
    ["02112345678", "021-12345678"],
    ["(021) 1234-5678", "021-12345678"],
    ["+86 21 1234 5678", "021-12345678"],
    ["010-1234567", "010-1234567"],
    ["0755 8888 6666", "0755-88886666"],
    ["0755-88886666", "0755-88886666"],
    ["+44 7911 123456", "+447911123456"],
    ["0044 7911 123456", "+447911123456"],
    ["+1 (415) 555-2671", "+14155552671"],
    // Zero-width and bidi characters pasted with the number are not part of it (issue 10, item 6).
    ["138\u200B1234\u200D5678", "13812345678"],
    ["\uFEFF138\u20601234\u200C5678\u200F", "13812345678"],
  ])("%j → %s", (input, phone) => {
    expect(parsePhone(input)).toEqual({ ok: true, phone });
  });

  it.each([
    "12345",
    "1381234567", // 10 digits
    "138123456789", // 12 digits
    "12812345678", // 12x is not a mobile prefix
    "23812345678",
    "400-820-8820", // service number: cannot call the owner back on it
    "95588",
    "+86 12345",
    "+123456", // too short
    "+1234567890123456", // too long
    "138+12345678",
    "abc",
    "138abcd5678",
    "3-1201",
    "王先生",
  ])("%j is not a phone", (input) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason: "format" });
  });

  it.each(["", "  ", "\u3000"])("%j is empty", (input) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason: "empty" });
  });
});

describe("maskPhone", () => {
  it.each([
    ["13812345678", "138****5678"],
    ["021-12345678", "021-****5678"],
    ["+447911123456", "+44******3456"],
    ["0755-88886666", "075*-****6666"],
    ["123456789", "123****89"],
    ["12345", "1****"],
    ["", ""],
  ])("%j → %j", (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it("hides the middle of every parsed phone", () => {
    for (const input of ["13812345678", "0755 8888 6666", "+44 7911 123456"]) {
      const parsed = parsePhone(input);
      if (!parsed.ok) throw new Error(input);
      const masked = maskPhone(parsed.phone);
      expect(masked).toHaveLength(parsed.phone.length);
      expect(masked).toContain("****");
      expect(masked.slice(0, 3)).toBe(parsed.phone.slice(0, 3));
    }
  });
});
