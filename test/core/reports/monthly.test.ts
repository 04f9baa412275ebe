/**
 * The monthly statistics as the director reads them in chat, rendered with the real catalogs:
 * counts, and each rate as a percentage with its numerator and denominator beside seed 002's target.
 */
import { describe, expect, it } from "vitest";
import type { MonthlyFigures } from "../../../src/core/reports/figures.js";
import { monthlyMessages, monthlyTexts, percent } from "../../../src/core/reports/monthly.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { FIGURES } from "../../support/sample.js";

const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
const render = (f: MonthlyFigures, locale: "zh-CN" | "en" = "zh-CN", late: Date | null = null) =>
  monthlyTexts(locale === "en" ? "Honggang Garden" : "虹港家园", f, late).map((x) => renderer.text(x, locale));

describe("monthly statistics in chat", () => {
  it("counts the month by kind, category, zone and staff member, and the ratings", () => {
    const lines = render(FIGURES);
    expect(lines.slice(0, 3)).toEqual(["📊 月度统计 · 虹港家园 · 2026-10", "统计截至 11月1日 00:05", "本月受理 5 件:投诉 3,报修 1,咨询 1,求助 0,建议 0,表扬 0"]);
    // Categories with nothing in them are left out.
    expect(lines.slice(3, 9)).toEqual(["按类别:", "  · 清洁:1 件", "  · 工程维修:1 件", "  · 护卫秩序:1 件", "  · 停车场:1 件", "  · 物业费/车位费:1 件"]);
    expect(lines.slice(9, 12)).toEqual(["按区域:", "  · A区:3 件", "  · 未分区:2 件"]);
    expect(lines.slice(12, 15)).toEqual(["按员工(受理 / 处理完成):", "  · 小王:受理 3,处理完成 3", "  · 陈主管:受理 1,处理完成 0"]);
    expect(lines[15]).toBe("回访与评价:满意 2,较满意 1,不满意 1");
    expect(lines[16]).toBe("其中再次回访(同一工单第二次及以后的回访或评价):1");
  });

  it("puts each rate beside its target with numerator and denominator, marking the ones missed", () => {
    expect(render(FIGURES).slice(17)).toEqual([
      "指标(公司目标:《总经理热线工作规范》5.4–5.6):",
      "⚠️ 投诉反馈及时率:66.7%(2/3),目标 100%",
      "✅ 投诉回访率:100%(2/2),目标 100%",
      "⚠️ 回访满意率:66.7%(2/3),目标 98%",
      "⚠️ 投诉结案率:66.7%(2/3),目标 80% 以上",
      "• 重新处理率:0%(0/3),无公司指标,越低越好",
    ]);
  });

  it("meets a target exactly at it, and says so when a month had nothing to count", () => {
    const f: MonthlyFigures = {
      ...FIGURES,
      rates: {
        feedbackOnTime: { numerator: 0, denominator: 0 },
        callback: { numerator: 0, denominator: 0 },
        callbackSatisfaction: { numerator: 49, denominator: 50 },
        closure: { numerator: 4, denominator: 5 },
        reopen: { numerator: 0, denominator: 0 },
      },
    };
    const rates = render(f).slice(18);
    expect(rates[0]).toBe("➖ 投诉反馈及时率:本月无可计数的事项(0/0),目标 100%");
    expect(rates[2]).toBe("✅ 回访满意率:98%(49/50),目标 98%");
    expect(rates[3]).toBe("✅ 投诉结案率:80%(4/5),目标 80% 以上");
    expect(render({ ...f, rates: { ...f.rates, closure: { numerator: 79, denominator: 100 } } }).slice(18)[3]).toBe("⚠️ 投诉结案率:79%(79/100),目标 80% 以上");
  });

  it("reads in English, and says when it was caught up late", () => {
    const lines = render(FIGURES, "en", new Date("2026-11-01T00:00:00Z"));
    expect(lines[0]).toBe("📊 Monthly statistics · Honggang Garden · 2026-10");
    expect(lines[1]).toContain("08:00");
    expect(lines).toContain("✅ Complaint callback rate: 100% (2/2), target 100%");
    expect(lines).toContain("⚠️ Complaint closure rate: 66.7% (2/3), target at least 80%");
  });

  it("rounds percentages to one decimal", () => {
    expect([percent(1), percent(0.98), percent(2 / 3), percent(0.0005), percent(0)]).toEqual(["100%", "98%", "66.7%", "0.1%", "0%"]);
  });

  it("sends a chat the figures first, then each file with its caption", () => {
    const files = [
      { kind: "workbook" as const, filename: "a.xlsx", mediaType: "x", base64: "AA==" },
      { kind: "csv" as const, filename: "a.csv", mediaType: "y", base64: "AQ==" },
    ];
    const to = { platform: "telegram" as const, chatId: "-1" };
    const messages = monthlyMessages(to, "zh-CN", monthlyTexts("虹港家园", FIGURES, null), files, { property: "虹港家园", month: "2026-10" });
    expect(messages.map((m) => m.kind)).toEqual(["message", "document", "document"]);
    const [post, workbook, csv] = messages.map((m) => (m.kind === "card" ? [] : m.body.text.map((x) => renderer.text(x, "zh-CN"))));
    expect(post!.at(-1)).toBe("📎 附件:月度统计工作簿(Excel)和用户意见受理表(CSV)。");
    expect(workbook).toEqual(["📎 虹港家园 2026-10 月度统计工作簿"]);
    expect(csv).toEqual(["📎 虹港家园 2026-10 用户意见受理表(CSV)"]);
    expect(messages[1]).toMatchObject({ to, body: { filename: "a.xlsx", base64: "AA==" } });
  });
});
