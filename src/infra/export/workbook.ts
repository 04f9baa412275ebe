/**
 * The monthly statistics workbook (.xlsx, with exceljs), laid out like the company's paper forms
 * so it prints as they do: 月度统计 (the summary: counts and each rate beside its seed 002 target),
 * 用户意见受理表 (one row per ticket filed in the month) and 回访用户月统计表 (every callback and
 * rating of the month, then the totals by rating, seed 000 §3A(d)). Headers are in the reader's
 * language, Chinese by default. Totals are formulas, so they stay right if someone edits a row,
 * with their values cached so a reader that does not calculate still shows them; they equal
 * MonthlyFigures because they count the same rows the store counted.
 */
import type { Breakdown } from "../../core/reports/breakdown.js";
import type ExcelJS from "exceljs";
import type { CallbackRow, IntakeRow, MonthlyFigures, Rate } from "../../core/reports/figures.js";
import { rateValue, RATE_TARGETS } from "../../core/reports/figures.js";
import { AT_LEAST, meetsTarget, TARGETED_RATES } from "../../core/reports/monthly.js";
import { t, type MessageKey } from "../../core/text.js";
import { CATEGORIES, TICKET_KINDS, TICKET_SOURCES } from "../../core/ticket/kinds.js";
import { RATINGS } from "../../core/ticket/rating.js";
import { CALLBACK_COLUMNS, CALLBACK_RATING_COLUMN, formatWallClock, INTAKE_COLUMNS, wallClock, type Column, type Say } from "./columns.js";

export const XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export interface WorkbookInput {
  /** The property's name in the reader's language. */
  readonly property: string;
  readonly figures: MonthlyFigures;
  /** The month's tickets, in filing order (ReportStore.intakeRows, every page). */
  readonly intake: readonly IntakeRow[];
  /** The month's callbacks and ratings, in time order. */
  readonly callbacks: readonly CallbackRow[];
  /** By source, complaint type and kind × category (issue 12); absent, those sections are left out. */
  readonly breakdown?: Breakdown;
  readonly say: Say;
  readonly timeZone: string;
}

const DATE_FORMAT = "yyyy-mm-dd hh:mm";
const PERCENT_FORMAT = "0.0%";
const BOLD: Partial<ExcelJS.Font> = { bold: true };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
const THIN: Partial<ExcelJS.Borders> = { top: { style: "thin" }, left: { style: "thin" }, bottom: { style: "thin" }, right: { style: "thin" } };
/** Header rows of the list sheets: title, as-of line, column headers. */
const LIST_HEAD_ROWS = 3;

/**
 * A new workbook, exceljs loaded with the first: it costs ~25 MiB resident and is needed a few
 * times a month, not by a turn (issue 16 item 5).
 */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import("exceljs");
  return new excel.Workbook();
}

export async function monthlyWorkbook(input: WorkbookInput): Promise<Buffer> {
  const wb = await newWorkbook();
  wb.creator = "Guanjia";
  // The figures' moment, not the build's: the same figures make the same workbook.
  wb.created = input.figures.asOf;
  wb.modified = input.figures.asOf;
  summarySheet(wb, input);
  listSheet(wb, input, "export.sheet.intake", "export.title.intake", INTAKE_COLUMNS, input.intake);
  const callbacks = listSheet(wb, input, "export.sheet.callbacks", "export.title.callbacks", CALLBACK_COLUMNS, input.callbacks);
  ratingTotals(callbacks, input);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function sheet(wb: ExcelJS.Workbook, input: WorkbookInput, name: MessageKey, title: MessageKey, span: number): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(input.say(t(name)), { pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  const head = ws.addRow([input.say(t(title, { property: input.property, month: input.figures.month }))]);
  head.font = { bold: true, size: 14 };
  head.alignment = { horizontal: "center" };
  ws.mergeCells(head.number, 1, head.number, span);
  const asOf = ws.addRow([input.say(t("export.as_of", { at: formatWallClock(wallClock(input.figures.asOf, input.timeZone)!) }))]);
  ws.mergeCells(asOf.number, 1, asOf.number, span);
  return ws;
}

function headerRow(ws: ExcelJS.Worksheet, labels: readonly string[]): ExcelJS.Row {
  const row = ws.addRow([...labels]);
  row.eachCell((cell) => {
    cell.font = BOLD;
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { vertical: "middle", wrapText: true };
  });
  return row;
}

/** `SUM` of a column's cells in rows [first, last], with its value cached. */
function sum(column: string, first: number, last: number, result: number): ExcelJS.CellValue {
  return last < first ? 0 : { formula: `SUM(${column}${first}:${column}${last})`, result };
}

/** A section of label/number rows under a header, closed by a 合计 row of SUMs. */
function countSection(ws: ExcelJS.Worksheet, say: Say, title: MessageKey, columns: readonly MessageKey[], rows: readonly (readonly [string, ...number[]])[]): void {
  ws.addRow([]);
  headerRow(ws, [say(t(title)), ...columns.map((c) => say(t(c)))]);
  const first = ws.rowCount + 1;
  for (const r of rows) ws.addRow([...r]).eachCell((cell) => (cell.border = THIN));
  const last = ws.rowCount;
  const totals = columns.map((_, i) => sum(String.fromCharCode(66 + i), first, last, rows.reduce((n, r) => n + (r[i + 1] as number), 0)));
  const total = ws.addRow([say(t("export.total")), ...totals]);
  total.font = BOLD;
  total.eachCell((cell) => (cell.border = THIN));
}

function summarySheet(wb: ExcelJS.Workbook, input: WorkbookInput): void {
  const { say, figures: f } = input;
  const ws = sheet(wb, input, "export.sheet.summary", "export.title.summary", 6);
  ws.columns = [{ width: 28 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 14 }, { width: 12 }];
  const count: readonly MessageKey[] = ["export.col.count"];
  countSection(ws, say, "export.section.kind", count, TICKET_KINDS.map((k) => [say(t(`kind.${k}`)), f.byKind[k]] as const));
  countSection(ws, say, "export.section.category", count, CATEGORIES.map((c) => [say(t(`category.${c}`)), f.byCategory[c]] as const));
  countSection(ws, say, "export.section.zone", count, f.byZone.map((z) => [z.name ?? say(t("monthly_stats.no_zone")), z.count] as const));
  countSection(ws, say, "export.section.staff", ["export.col.claimed", "export.col.resolved"], f.byStaff.map((s) => [s.name, s.claimed, s.resolved] as const));
  countSection(ws, say, "export.section.ratings", count, RATINGS.map((r) => [say(t(`rating.${r}`)), f.ratings[r]] as const));
  // "Of which", under the total: not one more kind of answer to add up.
  ws.addRow([say(t("export.repeat_callbacks")), f.repeatCallbacks]).eachCell((cell) => (cell.border = THIN));
  if (input.breakdown) breakdownSections(ws, say, input.breakdown);

  ws.addRow([]);
  const cols: MessageKey[] = ["export.col.value", "export.col.numerator", "export.col.denominator", "export.col.target", "export.col.met"];
  headerRow(ws, [say(t("export.section.rates")), ...cols.map((c) => say(t(c)))]);
  for (const name of [...TARGETED_RATES, "reopen" as const]) rateRow(ws, say, name, f.rates[name]);
}

/** Issue 12: sources, 服务类 / 维修类 complaints (seed 003 §6.5.3) and the kind × category table. */
function breakdownSections(ws: ExcelJS.Worksheet, say: Say, b: Breakdown): void {
  const count: readonly MessageKey[] = ["export.col.count"];
  countSection(ws, say, "export.section.source", count, TICKET_SOURCES.map((s) => [say(t(`source.${s}`)), b.bySource[s]] as const));
  countSection(ws, say, "export.section.complaint_type", count, [
    [say(t("export.complaint_type.service")), b.complaintTypes.service],
    [say(t("export.complaint_type.repair")), b.complaintTypes.repair],
  ]);
  const columns = CATEGORIES.map((c) => `category.${c}` as MessageKey);
  countSection(ws, say, "export.section.kind_by_category", columns, TICKET_KINDS.map((k) => [say(t(`kind.${k}`)), ...CATEGORIES.map((c) => b.kindByCategory[k][c])] as const));
}

function rateRow(ws: ExcelJS.Worksheet, say: Say, name: (typeof TARGETED_RATES)[number] | "reopen", rate: Rate): void {
  const n = ws.rowCount + 1;
  const value = rateValue(rate);
  const met = name === "reopen" ? null : meetsTarget(name, rate);
  const row = ws.addRow([
    say(t(`monthly_stats.rate_name.${name}`)),
    value === null ? null : { formula: `C${n}/D${n}`, result: value },
    rate.numerator,
    rate.denominator,
    name === "reopen" ? say(t("export.target.none")) : RATE_TARGETS[name],
    name === "reopen" ? null : say(t(met === null ? "export.met.none" : met ? "export.met.yes" : "export.met.no")),
  ]);
  row.getCell(2).numFmt = PERCENT_FORMAT;
  // Seed 002's 80%以上 shows as "≥ 80%" and stays the number 0.8 for anyone who calculates with it.
  if (name !== "reopen") row.getCell(5).numFmt = AT_LEAST.has(name) ? '"≥ "0%' : "0%";
  if (met === false) row.getCell(6).font = { bold: true, color: { argb: "FFC00000" } };
  row.eachCell({ includeEmpty: true }, (cell) => (cell.border = THIN));
}

/** A form-like list: title, as-of line, headers with a filter, one bordered row per item, then 合计. */
function listSheet<R>(wb: ExcelJS.Workbook, input: WorkbookInput, name: MessageKey, title: MessageKey, columns: readonly Column<R>[], rows: readonly R[]): ExcelJS.Worksheet {
  const ws = sheet(wb, input, name, title, columns.length);
  ws.columns = columns.map((c) => ({ width: c.width }));
  headerRow(ws, columns.map((c) => input.say(t(c.header))));
  ws.views = [{ state: "frozen", ySplit: LIST_HEAD_ROWS }];
  ws.autoFilter = { from: { row: LIST_HEAD_ROWS, column: 1 }, to: { row: LIST_HEAD_ROWS, column: columns.length } };
  rows.forEach((item, i) => {
    const row = ws.addRow(columns.map((c) => c.value(item, i, input.say, input.timeZone)));
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = THIN;
      cell.alignment = { vertical: "top", wrapText: true };
      if (cell.value instanceof Date) cell.numFmt = DATE_FORMAT;
    });
  });
  ws.addRow([]);
  const first = LIST_HEAD_ROWS + 1;
  const last = LIST_HEAD_ROWS + rows.length;
  const total = ws.addRow([input.say(t("export.total")), rows.length === 0 ? 0 : { formula: `COUNTA(B${first}:B${last})`, result: rows.length }]);
  total.font = BOLD;
  return ws;
}

/** 回访用户月统计表's closing block: how many callbacks and ratings gave each answer. */
function ratingTotals(ws: ExcelJS.Worksheet, input: WorkbookInput): void {
  const { say, callbacks } = input;
  const column = String.fromCharCode(65 + CALLBACK_RATING_COLUMN);
  const [first, last] = [LIST_HEAD_ROWS + 1, LIST_HEAD_ROWS + callbacks.length];
  ws.addRow([]);
  headerRow(ws, [say(t("export.callback.totals")), say(t("export.col.count"))]);
  const start = ws.rowCount + 1;
  for (const rating of RATINGS) {
    const label = say(t(`rating.${rating}`));
    const n = callbacks.filter((c) => c.rating === rating).length;
    ws.addRow([label, callbacks.length === 0 ? 0 : { formula: `COUNTIF(${column}${first}:${column}${last},"${label}")`, result: n }]).eachCell((cell) => (cell.border = THIN));
  }
  const total = ws.addRow([say(t("export.total")), sum("B", start, start + RATINGS.length - 1, callbacks.length)]);
  total.font = BOLD;
  total.eachCell((cell) => (cell.border = THIN));
}
