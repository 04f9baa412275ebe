import { describe, expect, it } from "vitest";
import { hasWords, looksEnglish, normalizeInput, truncate } from "../../src/core/util/input.js";
import { maskPhone, parsePhone } from "../../src/core/people/phone.js";
import { MAX_NAME_CHARS, parseName } from "../../src/core/people/name.js";
import { MAX_ROOM_INPUT_CHARS, parseRoom, ROOM_LABEL_FORMAT } from "../../src/core/property/room.js";

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

describe("parseRoom", () => {
  it.each([
    ["3-1201", "3-1201", null],
    ["3-2-1201", "3-2-1201", null],
    ["B-12-0803", "B-12-0803", "B"],
    ["A区5栋2单元301", "A-5-2-301", "A"],
    ["A区5栋2单元301室", "A-5-2-301", "A"],
    ["a区5栋2单元301", "A-5-2-301", "A"],
    ["Ａ区５栋２单元３０１", "A-5-2-301", "A"],
    ["A区 5栋 2单元 301", "A-5-2-301", "A"],
    ["5号楼2单元301", "5-2-301", null],
    ["5栋301", "5-301", null],
    ["12幢1单元502", "12-1-502", null],
    ["A5-2-301", "A-5-2-301", "A"],
    ["A区3-1201", "A-3-1201", "A"],
    ["Building 5 Unit 2 Room 301", "5-2-301", null],
    ["building 5 unit 2 room 301", "5-2-301", null],
    ["Bldg 5, #301", "5-301", null],
    ["Building 5 Unit 301", "5-301", null],
    ["Zone A Building 5 Room 301", "A-5-301", "A"],
    ["5-301", "5-301", null],
    ["3#1201", "3-1201", null],
    ["3 1201", "3-1201", null],
    ["3 - 1201", "3-1201", null],
    ["3-1201室", "3-1201", null],
    ["5号301", "5-301", null],
    ["3-12-1201", "3-12-1201", null],
  ])("%j → %s", (input, label, zoneCode) => {
    expect(parseRoom(input)).toEqual({ ok: true, label, zoneCode });
  });

  it("keeps room digits as written", () => {
    expect(parseRoom("B-12-0803")).toMatchObject({ label: "B-12-0803" });
    expect(parseRoom("3栋0502")).toMatchObject({ label: "3-0502" });
  });

  it("gives labels that parse back to themselves", () => {
    for (const input of ["A区5栋2单元301", "B-12-0803", "Bldg 5, #301", "12幢1单元502", "3 1201"]) {
      const first = parseRoom(input);
      if (!first.ok) throw new Error(`${input} did not parse`);
      expect(parseRoom(first.label)).toEqual(first);
    }
  });

  it.each([
    "12", // ambiguous: no building
    "1201",
    "301室",
    "Room 301",
    "13812345678", // a phone number
    "138-1234-5678",
    "138 1234 5678",
    "021-12345678",
    "3-12", // a date, or a room we cannot tell
    "2024-05-01",
    "我家",
    "楼上漏水",
    "A栋301", // letter buildings: a leading letter is the zone
    "A-1201", // zone without building
    "0-1201",
    "3-0-1201",
    "5栋1号",
    "3-1201-5",
    "abc",
    "😀",
    `A区5栋2单元301${" ".repeat(10)}请尽快来修理一下谢谢你们的帮助谢谢`,
  ])("%j is not a room", (input) => {
    expect(parseRoom(input)).toEqual({ ok: false, reason: "format" });
  });

  it("rejects anything longer than MAX_ROOM_INPUT_CHARS", () => {
    const long = `3-1201${"室".repeat(MAX_ROOM_INPUT_CHARS)}`;
    expect(parseRoom(long)).toEqual({ ok: false, reason: "format" });
  });

  it.each(["", "   ", "\u3000"])("%j is empty", (input) => {
    expect(parseRoom(input)).toEqual({ ok: false, reason: "empty" });
  });

  it("documents the canonical format with examples that parse to themselves", () => {
    const examples = ROOM_LABEL_FORMAT.match(/[A-Z0-9]+(?:-[0-9]+)+/g) ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const e of examples) expect(parseRoom(e)).toMatchObject({ ok: true, label: e });
  });
});

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

describe("parseName", () => {
  it.each([
    ["王先生", "王先生"],
    ["李女士", "李女士"],
    ["张三", "张三"],
    ["王", "王"],
    ["Mr. Smith", "Mr. Smith"],
    ["O'Brien", "O'Brien"],
    ["Jean-Luc Picard", "Jean-Luc Picard"],
    ["阿卜杜拉·买买提", "阿卜杜拉·买买提"],
    ["  王  先生 ", "王 先生"],
    ["Ｍｒ．　Ｌｉ", "Mr. Li"],
    ["José", "José"],
  ])("%j → %j", (input, name) => {
    expect(parseName(input)).toEqual({ ok: true, name });
  });

  it.each([
    "13812345678", // a phone typed into the name prompt
    "3-1201", // a room
    "A区5栋301",
    "王2",
    "😀",
    "😀😀",
    "王先生😀",
    "...",
    "-",
    "www.example.com",
    "http://x.cn",
    "example.com",
    "王@qq",
  ])("%j is not a name", (input) => {
    expect(parseName(input)).toEqual({ ok: false, reason: "format" });
  });

  it("rejects more than MAX_NAME_CHARS characters as too long", () => {
    expect(parseName("王".repeat(MAX_NAME_CHARS))).toEqual({ ok: true, name: "王".repeat(MAX_NAME_CHARS) });
    expect(parseName("王".repeat(MAX_NAME_CHARS + 1))).toEqual({ ok: false, reason: "too_long" });
    expect(parseName("Alexander Maximilian Smith")).toEqual({ ok: false, reason: "too_long" });
  });

  it.each(["", "   ", "\u3000"])("%j is empty", (input) => {
    expect(parseName(input)).toEqual({ ok: false, reason: "empty" });
  });
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
