/**
 * The monthly workbook and CSV, built from an October written out by hand and opened again with
 * exceljs as a spreadsheet program would: its sheets, its Chinese (or English) headers, and
 * totals that equal the figures the chat post shows.
 */
import { breakdownOf } from "../../../src/core/reports/breakdown.js";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { IntakeRow, ReportStore } from "../../../src/core/reports/figures.js";
import type { Locale } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { intakeCsv } from "../../../src/infra/export/csv.js";
import { createReportFiles } from "../../../src/infra/export/files.js";
import { monthlyWorkbook } from "../../../src/infra/export/workbook.js";
import { CALLBACKS, FIGURES, INTAKE, PROPERTY } from "../../support/sample.js";

const ZONE = "Asia/Shanghai";
const renderer = createRenderer(await loadCatalog(), ZONE);
const sayIn = (locale: Locale) => (text: Parameters<typeof renderer.text>[0]) => renderer.text(text, locale);

async function open(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

async function workbook(locale: Locale = "zh-CN"): Promise<ExcelJS.Workbook> {
  return open(await monthlyWorkbook({ property: PROPERTY.name, figures: FIGURES, intake: INTAKE, callbacks: CALLBACKS, say: sayIn(locale), timeZone: ZONE }));
}

/**
 * A cell's value as a reader shows it: a formula's cached result, or the value itself. exceljs
 * reads a cached 0 back as no result, though the file holds <v>0</v>: that reads as 0 here.
 */
function shown(cell: ExcelJS.Cell): unknown {
  const v = cell.value;
  return v !== null && typeof v === "object" && "formula" in v ? (v.result ?? 0) : v;
}

function rows(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => out.push(Array.from({ length: ws.columnCount }, (_, i) => shown(row.getCell(i + 1)))));
  return out;
}

/** The number in a list sheet's closing 合计 row. */
function listTotal(ws: ExcelJS.Worksheet, total = "合计"): unknown {
  return rows(ws).find((r) => r[0] === total)?.[1];
}

/** The rows of a section of label/number rows, from its header to its 合计 row, as [label, ...numbers]. */
function section(ws: ExcelJS.Worksheet, title: string, total = "合计"): { items: unknown[][]; total: unknown[] } {
  const all = rows(ws);
  const start = all.findIndex((r) => r[0] === title);
  expect(start, `section ${title}`).toBeGreaterThan(-1);
  const end = all.findIndex((r, i) => i > start && r[0] === total);
  return { items: all.slice(start + 1, end), total: all[end]! };
}

describe("the monthly workbook", () => {
  it("has the three sheets, titled and headed in Chinese by default", async () => {
    const wb = await workbook();
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(["月度统计", "用户意见受理表", "回访用户月统计表"]);
    const [summary, intake, callbacks] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect(summary.getCell("A1").value).toBe("虹港家园 2026-10 月度统计");
    expect(summary.getCell("A2").value).toBe("统计截至:2026-11-01 00:05");
    expect(intake.getCell("A1").value).toBe("虹港家园 用户意见受理表(2026-10)");
    expect(rows(intake)[2]!.slice(0, 6)).toEqual(["序号", "工单号", "受理时间", "类型", "类别", "性质"]);
    expect(rows(callbacks)[2]).toEqual(["序号", "回访时间", "工单号", "房号", "业主姓名", "类型", "类别", "方式", "回访人", "满意度", "回访意见"]);
  });

  it("lists each ticket on 用户意见受理表 with local times, and counts them in 合计", async () => {
    const intake = (await workbook()).getWorksheet("用户意见受理表")!;
    const listed = rows(intake).slice(3, 3 + INTAKE.length);
    expect(listed.map((r) => r[1])).toEqual(INTAKE.map((r) => r.number));
    const first = listed[0]!;
    // 00:00 in Shanghai is a real date cell showing the local wall clock, not 16:00 UTC.
    expect(first[2]).toEqual(new Date("2026-10-01T00:00:00Z"));
    expect(intake.getRow(4).getCell(3).numFmt).toBe("yyyy-mm-dd hh:mm");
    expect(first.slice(3, 11)).toEqual(["投诉", "护卫秩序", "一般", "3-1201", "王先生", "13900001111", "A区", '保安态度差,说"不归我管",\n还摔门']);
    expect(first.slice(15)).toEqual(["已结案", new Date("2026-10-03T09:00:00Z"), "满意"]);
    expect(listed[2]![6]).toBeNull();
    expect(listTotal(intake)).toBe(FIGURES.total);
  });

  it("has summary totals equal to the figures: by kind, category, zone, staff, rating", async () => {
    const summary = (await workbook()).getWorksheet("月度统计")!;
    const kinds = section(summary, "按类型");
    expect(kinds.items).toEqual([["投诉", 3, null, null, null, null], ["报修", 1, null, null, null, null], ["咨询", 1, null, null, null, null], ["建议", 0, null, null, null, null], ["表扬", 0, null, null, null, null], ["求助", 0, null, null, null, null]]);
    expect(kinds.total[1]).toBe(FIGURES.total);
    expect(section(summary, "按类别").total[1]).toBe(FIGURES.total);
    const zones = section(summary, "按区域");
    expect(zones.items.map((r) => r.slice(0, 2))).toEqual([["A区", 3], ["未分区", 2]]);
    expect(zones.total[1]).toBe(FIGURES.total);
    const staff = section(summary, "按员工");
    expect(staff.items.map((r) => r.slice(0, 3))).toEqual([["小王", 3, 3], ["陈主管", 1, 0]]);
    expect(staff.total.slice(1, 3)).toEqual([4, 3]);
    const ratings = section(summary, "回访与评价");
    expect(ratings.items.map((r) => r.slice(0, 2))).toEqual([["满意", 2], ["较满意", 1], ["不满意", 1]]);
    expect(ratings.total[1]).toBe(4);
    // The repeat callbacks are "of which", under the total, not added into it.
    const all = rows(summary);
    const totalAt = all.findIndex((r, i) => i > all.findIndex((x) => x[0] === "回访与评价") && r[0] === "合计");
    expect(all[totalAt + 1]!.slice(0, 2)).toEqual(["其中再次回访", FIGURES.repeatCallbacks]);
  });

  it("shows each rate as numerator over denominator beside the seed's target, and whether it is met", async () => {
    const summary = (await workbook()).getWorksheet("月度统计")!;
    const all = rows(summary);
    const at = all.findIndex((r) => r[0] === "指标");
    expect(all[at]).toEqual(["指标", "实际", "分子", "分母", "目标", "是否达标"]);
    expect(all.slice(at + 1, at + 6)).toEqual([
      ["投诉反馈及时率", 2 / 3, 2, 3, 1, "未达标"],
      ["投诉回访率", 1, 2, 2, 1, "达标"],
      ["回访满意率", 2 / 3, 2, 3, 0.98, "未达标"],
      ["投诉结案率", 2 / 3, 2, 3, 0.8, "未达标"],
      ["重新处理率", 0, 0, 3, "无(越低越好)", null],
    ]);
    // The rate is a live formula over its own numerator and denominator, shown as a percentage.
    const rate = summary.getRow(at + 2).getCell(2);
    expect(rate.value).toMatchObject({ formula: `C${at + 2}/D${at + 2}` });
    expect(rate.numFmt).toBe("0.0%");
    expect(summary.getRow(at + 5).getCell(5).numFmt).toBe('"≥ "0%');
  });

  it("lists the callbacks on 回访用户月统计表 and totals them by rating as the figures do", async () => {
    const sheet = (await workbook()).getWorksheet("回访用户月统计表")!;
    expect(rows(sheet).slice(3, 3 + CALLBACKS.length).map((r) => [r[2], r[7], r[9]])).toEqual([
      ["HG-0001", "业主评价", "满意"],
      ["HG-0001", "电话/上门回访", "满意"],
      ["HG-0002", "业主评价", "较满意"],
      ["HG-0004", "电话/上门回访", "不满意"],
    ]);
    const totals = section(sheet, "回访结果统计");
    expect(totals.items.map((r) => r.slice(0, 2))).toEqual([["满意", FIGURES.ratings.satisfied], ["较满意", FIGURES.ratings.fairly], ["不满意", FIGURES.ratings.dissatisfied]]);
    expect(totals.total[1]).toBe(CALLBACKS.length);
    // Counted by the spreadsheet over the rating column, so an edited row changes the total.
    const satisfiedRow = rows(sheet).findIndex((r) => r[0] === "回访结果统计") + 2;
    expect(sheet.getRow(satisfiedRow).getCell(2).value).toMatchObject({ formula: 'COUNTIF(J4:J7,"满意")' });
  });

  it("is in English for an English reader", async () => {
    const wb = await workbook("en");
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(["Monthly statistics", "Intake list", "Monthly callbacks"]);
    const intake = wb.getWorksheet("Intake list")!;
    expect(rows(intake)[2]!.slice(0, 4)).toEqual(["No.", "Ticket", "Filed", "Kind"]);
    expect(rows(intake)[3]!.slice(3, 5)).toEqual(["complaint", "security and order"]);
    expect(section(wb.getWorksheet("Monthly statistics")!, "By kind", "Total").total[1]).toBe(FIGURES.total);
  });

  it("makes an empty month a valid workbook of zeros", async () => {
    const empty = { ...FIGURES, total: 0, byZone: [], byStaff: [] };
    const wb = await open(await monthlyWorkbook({ property: PROPERTY.name, figures: empty, intake: [], callbacks: [], say: sayIn("zh-CN"), timeZone: ZONE }));
    expect(listTotal(wb.getWorksheet("用户意见受理表")!)).toBe(0);
    expect(section(wb.getWorksheet("回访用户月统计表")!, "回访结果统计").total[1]).toBe(0);
    expect(section(wb.getWorksheet("月度统计")!, "按区域").items).toEqual([]);
  });
});

describe("the intake list as CSV", () => {
  const text = intakeCsv(INTAKE, sayIn("zh-CN"), ZONE).toString("utf8");

  /** RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, quotes and line breaks. */
  function parse(csv: string): string[][] {
    const out: string[][] = [[]];
    let field = "";
    let quoted = false;
    for (let i = 0; i < csv.length; i++) {
      const c = csv[i]!;
      if (quoted) {
        if (c === '"' && csv[i + 1] === '"') (field += '"'), i++;
        else if (c === '"') quoted = false;
        else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") out[out.length - 1]!.push(field), (field = "");
      else if (c === "\r" && csv[i + 1] === "\n") out[out.length - 1]!.push(field), (field = ""), out.push([]), i++;
      else field += c;
    }
    return out.slice(0, -1);
  }

  it("starts with a byte-order mark so Excel reads it as UTF-8, and ends lines with CRLF", () => {
    expect(text.startsWith("\ufeff序号,工单号,受理时间")).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
  });

  it("holds a header and one row per ticket, with owners' words intact", () => {
    const table = parse(text.slice(1));
    expect(table).toHaveLength(1 + INTAKE.length);
    expect(table.every((r) => r.length === table[0]!.length)).toBe(true);
    expect(table[1]!.slice(0, 3)).toEqual(["1", "HG-0001", "2026-10-01 00:00"]);
    expect(table[1]![10]).toBe(INTAKE[0]!.description);
    expect(table[3]![6]).toBe("");
  });

  it("keeps a spreadsheet from running an owner's text as a formula", () => {
    const table = parse(text.slice(1));
    expect(table[2]![10]).toBe(`'${INTAKE[1]!.description}`);
    expect(table[4]![8]).toBe("'+8613700003333");
  });
});

describe("the ReportFiles port", () => {
  it("reads the whole intake list page by page and names the files in the reader's language", async () => {
    const pages: (string | undefined)[] = [];
    const reports: Pick<ReportStore, "intakeRows" | "callbackRows" | "breakdown"> = {
      breakdown: async () =>
        breakdownOf([
          { kind: "complaint", category: "security", source: "chat", count: 2 },
          { kind: "complaint", category: "engineering", source: "phone", count: 1 },
          { kind: "repair", category: "engineering", source: "patrol", count: 1 },
          { kind: "help", category: "other", source: "visit", count: 1 },
        ]),
      async intakeRows(_p, _f, _t, page) {
        pages.push(page.after);
        const start = page.after === undefined ? 0 : INTAKE.findIndex((r) => r.number === page.after) + 1;
        return INTAKE.slice(start, start + page.limit) as IntakeRow[];
      },
      callbackRows: async () => CALLBACKS,
    };
    const files = createReportFiles({ reports, renderer, timeZone: ZONE, pageSize: 2 });
    const zh = await files.monthly({ property: PROPERTY, figures: FIGURES, locale: "zh-CN" });
    expect(pages).toEqual([undefined, "HG-0002", "HG-0004"]);
    expect(zh.map((f) => [f.kind, f.filename, f.mediaType])).toEqual([
      ["workbook", "HG-2026-10-月度统计.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
      ["csv", "HG-2026-10-用户意见受理表.csv", "text/csv; charset=utf-8"],
    ]);
    const wb = await open(Buffer.from(zh[0]!.base64, "base64"));
    expect(listTotal(wb.getWorksheet("用户意见受理表")!)).toBe(INTAKE.length);
    // Issue 12: sources, service vs repair-type complaints and kind × category on the summary sheet.
    const summary = wb.getWorksheet("月度统计")!;
    expect(section(summary, "来源").items.map((r) => r.slice(0, 2))).toEqual([["聊天", 2], ["来电", 1], ["来访", 1], ["书面", 0], ["巡检发现", 1]]);
    expect(section(summary, "投诉分类").items.map((r) => r.slice(0, 2))).toEqual([["服务类", 2], ["维修类", 1]]);
    const table = section(summary, "类型 × 分类");
    expect(table.items[0]!.slice(0, 3)).toEqual(["投诉", 0, 1]); // 清洁 0, 工程维修 1
    expect(table.items[0]![4]).toBe(2); // 护卫秩序
    expect(table.items.find((r) => r[0] === "求助")![10]).toBe(1); // 其他
    expect(table.total.slice(1, 3)).toEqual([0, 2]);
    expect(Buffer.from(zh[1]!.base64, "base64").toString("utf8").split("\r\n")).toHaveLength(INTAKE.length + 2);

    const en = await files.monthly({ property: PROPERTY, figures: FIGURES, locale: "en" });
    expect(en.map((f) => f.filename)).toEqual(["HG-2026-10-monthly-statistics.xlsx", "HG-2026-10-intake-list.csv"]);
    expect((await open(Buffer.from(en[0]!.base64, "base64"))).getWorksheet("Monthly statistics")!.getCell("A1").value).toBe("Honggang Garden monthly statistics, 2026-10");
  });
});
