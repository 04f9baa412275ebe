import { describe, expect, it } from "vitest";
import { MAX_NAME_CHARS, parseName } from "../../../src/core/people/name.js";

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
