import { describe, expect, it } from "vitest";
import { maskPhone, maskPhonesIn, parsePhone } from "../../../src/core/people/phone.js";

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

describe("maskPhonesIn: numbers an owner typed into free text (issue 10 §5)", () => {
  it.each([
    ["漏水了,急!电话13812345678找我", "漏水了,急!电话138****5678找我"],
    ["打 138 1234 5678 或 138-1234-5678", "打 138 **** 5678 或 138-****-5678"],
    ["+86 138-1234-5678", "+86 ***-****-5678"],
    ["0086 13812345678", "008* *******5678"],
    ["8613812345678", "861******5678"],
    ["１３８１２３４５６７８", "１３８****５６７８"],
    ["138\u200b1234\u200b5678", "138\u200b****\u200b5678"],
    ["家里座机 021-12345678,单位 (0755) 8888 6666", "家里座机 021-****5678,单位 (07**) **** 6666"],
    ["+86 21 1234 5678", "+86 ** **** 5678"],
  ])("%j → %j", (text, masked) => {
    const unescape = (x: string) => x.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    expect(maskPhonesIn(unescape(text))).toBe(unescape(masked));
  });

  it("leaves rooms, dates, amounts, order numbers and text without numbers alone", () => {
    for (const text of ["3-1201 漏水", "A区5栋2单元301", "B-12-0803", "2026-11-22 发生", "赔偿 88886666 元", "订单号 12345678901", "138123456789012", "", "没有电话"]) {
      expect(maskPhonesIn(text), text).toBe(text);
    }
  });

  it("never shows the middle digits of any 11-digit mobile it finds", () => {
    for (let i = 0; i < 200; i++) {
      const mobile = `1${3 + (i % 7)}${String(10_000_000_00 + i * 7_919_123).slice(-9)}`;
      expect(maskPhonesIn(`业主说${mobile}随时打`)).toBe(`业主说${mobile.slice(0, 3)}****${mobile.slice(7)}随时打`);
    }
  });
});
