import { describe, expect, it } from "vitest";
import { MAX_ROOM_INPUT_CHARS, ROOM_LABEL_FORMAT, parseRoom } from "../../../src/core/property/room.js";

describe("parseRoom", () => {
  it.each([
    ["3-1201", "3-1201", null],
    ["3-12\u200B01", "3-1201", null],
    ["A\u200D区5栋\u2060301\uFEFF", "A-5-301", "A"],
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
    // As English speakers write them (issue 11 §5): the room after a comma or a space, or first.
    ["Building 2, 1501", "2-1501", null],
    ["Building 2 1501", "2-1501", null],
    ["Bldg 2 Unit 1 Rm 301", "2-1-301", null],
    ["Bldg. 2, Unit 1, 301", "2-1-301", null],
    ["Zone B, Building 12, 0803", "B-12-0803", "B"],
    ["Room 1501, Building 2", "2-1501", null],
    ["Apt 301, Bldg 2 Unit 1", "2-1-301", null],
    ["Flat 1201 Block 3", "3-1201", null],
    ["2-1501", "2-1501", null],
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
