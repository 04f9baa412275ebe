import { describe, expect, it } from "vitest";
import { hasWords, looksEnglish, normalizeInput, truncate } from "../../../src/core/util/input.js";

describe("normalizeInput", () => {
  it.each([
    ["ＡＢＣ１２３－", "ABC123-"],
    ["Ｍｒ．　Ｓｍｉｔｈ", "Mr. Smith"],
    ["３－１２０１", "3-1201"],
    ["  楼上\u3000\u3000漏水  ", "楼上 漏水"],
    ["a \n\t b", "a b"],
    ["你好,世界", "你好,世界"],
    ["（Ａ区）！", "(A区)!"],
    ["", ""],
    ["\u3000 \n", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalizeInput(input)).toBe(expected);
  });

  it.each([
    ["3-12\u200B01", "3-1201"],
    ["138\u200C1234\u200D5678", "13812345678"],
    ["\uFEFF13812345678\u2060", "13812345678"],
    ["\u200F3-1201\u200E", "3-1201"],
    ["\u202B3-1201\u202C", "3-1201"],
    ["\u200B", ""],
  ])("drops invisible characters: %j → %j", (input, expected) => {
    expect(normalizeInput(input)).toBe(expected);
  });

  it("keeps the joiner inside an emoji sequence", () => {
    expect(normalizeInput("漏水👨\u200D👩\u200D👧")).toBe("漏水👨\u200D👩\u200D👧");
    expect(normalizeInput("a\u200Db")).toBe("ab");
  });

  it("leaves Chinese punctuation outside the full-width ASCII block alone", () => {
    expect(normalizeInput("好。「是」、")).toBe("好。「是」、");
  });
});

describe("hasWords", () => {
  it.each(["a", "电", "3", "😀 ok", "漏水!!!", "Привет", "①"])("%j has words", (t) => {
    expect(hasWords(t)).toBe(true);
  });
  it.each(["", "   ", "😀", "😀😀👍", "!!!", "。。。", "?？", "1️⃣", "#️⃣", "\u3000"])("%j has none", (t) => {
    expect(hasWords(t)).toBe(false);
  });
});

describe("looksEnglish", () => {
  it.each(["hello there", "The kitchen tap is leaking", "Room 3-1201 please", "I live here", "ＴＨＥ ＬＩＦＴ ＩＳ ＢＲＯＫＥＮ"])(
    "%j is English",
    (t) => expect(looksEnglish(t)).toBe(true),
  );
  it.each(["ok", "OK", "3-1201", "13812345678", "电梯坏了", "电梯坏了 help me", "Bldg 5, #301", "a b", "", "😀 😀", "A5-2-301"])(
    "%j is not English",
    (t) => expect(looksEnglish(t)).toBe(false),
  );
});

describe("truncate", () => {
  it.each([
    ["hello world", 5, "hell…"],
    ["hello", 5, "hello"],
    ["hello", 10, "hello"],
    ["你好世界", 2, "你…"],
    ["你好世界", 4, "你好世界"],
    ["😀😀😀😀", 3, "😀😀…"],
    ["😀😀😀", 3, "😀😀😀"],
    ["a😀b", 2, "a…"],
    ["abc", 1, "…"],
    ["abc", 0, ""],
    ["abc", -5, ""],
    ["abc", Number.NaN, ""],
    ["abc", Infinity, "abc"],
    ["abcdef", 3.9, "ab…"],
    ["", 3, ""],
  ])("%j to %d → %j", (input, max, expected) => {
    expect(truncate(input, max)).toBe(expected);
  });

  it("never leaves a lone surrogate", () => {
    const text = "😀".repeat(50);
    for (let max = 1; max < 60; max++) {
      const out = truncate(text, max);
      expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      expect(Array.from(out).length).toBeLessThanOrEqual(max);
    }
  });
});
