/** The digest as the director reads it, and the local-day arithmetic behind it (no database). */
import { describe, expect, it } from "vitest";
import {
  digestDay,
  digestTexts,
  followUp,
  isFuture,
  parseDate,
  parseSignArgs,
  signChoice,
  signDeadline,
  yesterday,
  type FollowUp,
} from "../../../src/core/reports/digest.js";
import type { CallbackLine, DigestFigures, DigestTicket } from "../../../src/core/reports/figures.js";
import { render, sh, ZONE } from "../../support/reports-fixture.js";

const AS_OF = sh("2026-11-23 08:30");

let n = 0;
function ticket(over: Partial<DigestTicket> = {}): DigestTicket {
  n++;
  return {
    id: `t${n}`, number: `HG-${String(n).padStart(4, "0")}`, kind: "complaint", category: "security", weight: "general", status: "new",
    roomLabel: "3-1201", description: "保安态度太差,\n我要投诉", assigneeName: null, createdAt: sh("2026-11-22 10:00"),
    claimedAt: null, firstResponseAt: null, nextReplyDueAt: sh("2026-11-23 12:00"), ...over,
  };
}

function figures(over: Partial<DigestFigures> = {}): DigestFigures {
  const day = digestDay("2026-11-22", ZONE);
  return {
    propertyId: "p1", from: day.from, to: day.to, asOf: AS_OF,
    created: { complaint: 3, repair: 5, inquiry: 1, suggestion: 0, praise: 1, help: 0 }, resolved: 4, open: 7, overdue: 2,
    major: [], callbacks: [], complaints: [], ...over,
  };
}

const view = (f: DigestFigures, extra: Partial<Parameters<typeof digestTexts>[0]> = {}) =>
  digestTexts({ property: "虹港家园", date: "2026-11-22", figures: f, signBy: signDeadline("2026-11-22", ZONE), ...extra });

describe("a complaint's follow-up, as the director checks it (seed 000 §3 item 4)", () => {
  const cases: [string, Partial<DigestTicket>, FollowUp][] = [
    ["resolved", { status: "resolved", nextReplyDueAt: null }, "done"],
    ["closed", { status: "closed", nextReplyDueAt: null }, "done"],
    ["cancelled", { status: "cancelled" }, "cancelled"],
    ["unclaimed, reply still due later", { status: "new" }, "unclaimed"],
    ["unclaimed, reply time passed", { status: "new", nextReplyDueAt: sh("2026-11-22 14:00") }, "overdue"],
    ["claimed, owner not answered", { status: "claimed", claimedAt: sh("2026-11-22 10:10") }, "claimed"],
    ["answered, no new promise", { status: "in_progress", firstResponseAt: sh("2026-11-22 11:00"), nextReplyDueAt: null }, "answered"],
    ["answered, promise passed", { status: "in_progress", firstResponseAt: sh("2026-11-22 11:00"), nextReplyDueAt: sh("2026-11-23 08:00") }, "overdue"],
    ["reopened", { status: "reopened", firstResponseAt: sh("2026-11-22 11:00"), nextReplyDueAt: null }, "reopened"],
    ["due exactly at asOf is not yet overdue", { status: "new", nextReplyDueAt: AS_OF }, "unclaimed"],
  ];
  it.each(cases)("%s", (_name, over, expected) => {
    expect(followUp(ticket(over), AS_OF)).toBe(expected);
  });
});

describe("the digest's lines", () => {
  it("counts, open and overdue, major matters, each complaint's follow-up, callbacks, the sign-off prompt", () => {
    const callbacks: CallbackLine[] = [
      { ticketNumber: "HG-0100", at: sh("2026-11-22 15:00"), rating: "satisfied", by: "owner", byName: "王先生", note: null },
      { ticketNumber: "HG-0101", at: sh("2026-11-22 16:00"), rating: "dissatisfied", by: "staff", byName: "陈主任", note: "仍有噪音" },
    ];
    const text = render(
      view(
        figures({
          major: [ticket({ kind: "repair", category: "engineering", weight: "major", description: "电梯困人" })],
          complaints: [
            ticket({ number: "HG-0002", status: "in_progress", assigneeName: "小王", firstResponseAt: sh("2026-11-22 11:00"), nextReplyDueAt: null }),
            ticket({ number: "HG-0003", status: "new", nextReplyDueAt: sh("2026-11-22 14:00") }),
            ticket({ number: "HG-0004", status: "closed", nextReplyDueAt: null }),
          ],
          callbacks,
        }),
      ),
    );
    expect(text).toContain("📋 主任晨报 · 虹港家园 · 2026-11-22");
    expect(text).toContain("新增工单 10 单(投诉 3、报修 5、咨询 1、求助 0、建议 0、表扬 1);当天处理完成 4 单");
    expect(text).toContain("截至 11月23日 08:30:仍未完成 7 单,其中超时未回复业主 2 单");
    expect(text).toContain("🚨 重大事项 1 件:");
    expect(text).toContain("报修·工程维修 3-1201 电梯困人 —— 无人受理");
    expect(text).toContain("当天登记投诉 3 件,跟进情况如下(需督办 1 件):");
    expect(text).toContain("· HG-0002 投诉·护卫秩序 3-1201 保安态度太差, 我要投诉 —— 小王 跟进中,已回复业主");
    expect(text).toContain("⚠️ HG-0003 投诉·护卫秩序 3-1201 保安态度太差, 我要投诉 —— 超时未回复业主(应于 11月22日 14:00 前回复)");
    expect(text).toContain("—— 已处理");
    expect(text).toContain("回访及业主评价 2 次:满意 1、较满意 0、不满意 1");
    expect(text).toContain("· HG-0100 满意(业主 王先生 评价)");
    expect(text).toContain("· HG-0101 不满意(陈主任 回访) 仍有噪音");
    expect(text.split("\n").at(-1)).toBe("请于 11月23日 09:00 前阅毕并点「已阅」签署。");
  });

  it("masks phone numbers the owner typed into the description, as the card does (issue 10 §5)", () => {
    const x = ticket({ description: "电话13812345678找我" });
    const text = render(view(figures({ complaints: [x], major: [x] })));
    expect(text).not.toContain("13812345678");
    expect(text).toContain("电话138****5678找我");
  });

  it("says when nothing happened, when it is late, and who signed", () => {
    const text = render(view(figures(), { lateSince: sh("2026-11-23 08:30"), signed: { name: "刘主任", at: sh("2026-11-23 08:47") } }));
    expect(text).toContain("(此消息本应在 11月23日 08:30 发出");
    expect(text).toContain("重大事项:无");
    expect(text).toContain("当天没有登记投诉。");
    expect(text).toContain("当天没有回访或业主评价。");
    expect(text.split("\n").at(-1)).toBe("✅ 已由 刘主任 于 11月23日 08:47 签阅。");
    expect(text).not.toContain("请于");
  });

  it("lists at most twenty complaints and says how many more there are", () => {
    const complaints = Array.from({ length: 25 }, () => ticket());
    const text = render(view(figures({ complaints })));
    // Unclaimed complaints are the ones to push (督办): each is marked.
    expect(text.match(/^⚠️ HG-.* —— 无人受理$/gm)).toHaveLength(20);
    expect(text).toContain("需督办 25 件");
    expect(text).toContain("……另有 5 件未列出");
  });

  it("reads in English too", () => {
    const text = render(view(figures({ complaints: [ticket({ status: "claimed", assigneeName: "Wang" })] })), "en");
    expect(text).toContain("📋 Director's digest · 虹港家园 · 2026-11-22");
    expect(text).toContain("claimed by Wang, owner not answered yet");
    expect(text).toContain("before 23 Nov 09:00");
  });
});

describe("days, deadlines and the button", () => {
  it("covers the local day and wants the signature by 09:00 the next morning", () => {
    expect(digestDay("2026-11-22", ZONE)).toEqual({ from: new Date("2026-11-21T16:00:00Z"), to: new Date("2026-11-22T16:00:00Z"), key: "2026-11-22" });
    expect(signDeadline("2026-11-22", ZONE)).toEqual(new Date("2026-11-23T01:00:00Z"));
    expect(signDeadline("2026-12-31", ZONE)).toEqual(new Date("2027-01-01T01:00:00Z"));
    expect(yesterday(sh("2026-11-23 00:00"), ZONE)).toBe("2026-11-22");
    expect(yesterday(sh("2026-11-22 23:59"), ZONE)).toBe("2026-11-21");
    expect(isFuture("2026-11-23", sh("2026-11-23 08:30"), ZONE)).toBe(false);
    expect(isFuture("2026-11-24", sh("2026-11-23 23:59"), ZONE)).toBe(true);
  });

  it("has 23- and 25-hour days where clocks change", () => {
    const hours = (d: { from: Date; to: Date }) => (d.to.getTime() - d.from.getTime()) / 3_600_000;
    expect(hours(digestDay("2026-03-08", "America/New_York"))).toBe(23);
    expect(hours(digestDay("2026-11-01", "America/New_York"))).toBe(25);
    expect(digestDay("2026-11-01", "America/New_York").from).toEqual(new Date("2026-11-01T04:00:00Z"));
  });

  it("reads typed dates and button values strictly", () => {
    expect(parseDate("2026-1-5")).toBe("2026-01-05");
    expect(parseDate(" 2026-11-22 ")).toBe("2026-11-22");
    for (const bad of ["2026-02-30", "2026-13-01", "22-11-2026", "yesterday", ""]) expect(parseDate(bad), bad).toBeNull();
    const choice = signChoice("p-1", "2026-11-22");
    expect(choice.value).toBe("digest:sign:p-1:2026-11-22");
    expect(parseSignArgs(choice.value.slice("digest:".length))).toEqual({ propertyId: "p-1", date: "2026-11-22" });
    expect(parseSignArgs("sign:p-1:2026-02-30")).toBeNull();
    expect(parseSignArgs("sign:p-1")).toBeNull();
    // Telegram's callback data holds 64 bytes: a UUID property id fits.
    expect(Buffer.byteLength(signChoice("0193566c-ef40-7ca0-95bd-9c8e08243003", "2026-11-22").value)).toBeLessThanOrEqual(64);
  });
});
