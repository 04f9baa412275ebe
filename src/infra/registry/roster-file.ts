/**
 * The owner roster as a file: .xlsx (exceljs, the first sheet) or .csv (UTF-8, with or without a
 * byte-order mark; what we write has one, so Excel reads the Chinese right). Reading gives the
 * header cells and every line after them with its line number as a spreadsheet shows it, so a
 * bad row is reported where the operator will look for it. Written files are formula-safe: a cell
 * that would start a formula gets an apostrophe (as export/csv.ts does), taken off again on import.
 */
import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import type ExcelJS from "exceljs";
import type { SheetLine } from "../../core/registry/roster.js";
import { defused, field } from "../export/csv.js";
import { newWorkbook } from "../export/workbook.js";

export type RosterFormat = "xlsx" | "csv";

export type RosterFileRead =
  | { ok: true; header: readonly string[]; lines: readonly SheetLine[] }
  | { ok: false; reason: "format" | "missing" | "unreadable" | "empty" };

export function formatOf(path: string): RosterFormat | null {
  const ext = extname(path).toLowerCase();
  return ext === ".xlsx" ? "xlsx" : ext === ".csv" ? "csv" : null;
}

export async function readRosterFile(path: string): Promise<RosterFileRead> {
  const format = formatOf(path);
  if (!format) return { ok: false, reason: "format" };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return { ok: false, reason: (e as { code?: string }).code === "ENOENT" ? "missing" : "unreadable" };
  }
  let rows: { line: number; cells: string[] }[];
  try {
    rows = format === "csv" ? parseCsv(bytes.toString("utf8")) : await xlsxRows(bytes);
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  const body = rows.map((r) => ({ line: r.line, cells: r.cells.map(undefused) }));
  const headAt = body.findIndex((r) => r.cells.some((c) => c.trim() !== ""));
  if (headAt < 0) return { ok: false, reason: "empty" };
  return { ok: true, header: body[headAt]!.cells, lines: body.slice(headAt + 1) };
}

/** What we wrote as `'=…` (export/csv.ts's defence) reads back as `=…`. */
function undefused(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

async function xlsxRows(bytes: Buffer): Promise<{ line: number; cells: string[] }[]> {
  const wb = await newWorkbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const rows: { line: number; cells: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c)));
    rows.push({ line, cells });
  });
  return rows;
}

/** A cell as the operator sees it: numbers as typed (13812345678, not 1.38E+10), formulas by their result. */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "1" : "0";
  return cell.text ?? "";
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF line ends. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const src = text.startsWith("\ufeff") ? text.slice(1) : text;
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = "";
      rowLine = ++line;
    } else cell += ch;
  }
  if (cell !== "" || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}

export interface RosterSheet {
  readonly sheetName: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** A second sheet of help lines (the zone codes, what each column takes); xlsx only. */
  readonly help?: { readonly sheetName: string; readonly lines: readonly string[] };
}

/** Every column is text: a room 0803 or a phone typed into it stays as typed, not a number. */
export async function writeRosterFile(path: string, sheet: RosterSheet): Promise<void> {
  await writeFile(path, formatOf(path) === "csv" ? rosterCsv(sheet) : await rosterXlsx(sheet));
}

function rosterCsv(sheet: RosterSheet): Buffer {
  const lines = [sheet.header, ...sheet.rows].map((r) => r.map((c) => field(c)).join(","));
  return Buffer.from(`\ufeff${lines.join("\r\n")}\r\n`, "utf8");
}

async function rosterXlsx(sheet: RosterSheet): Promise<Buffer> {
  const wb = await newWorkbook();
  wb.creator = "Guanjia";
  const ws = wb.addWorksheet(sheet.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = sheet.header.map((h) => ({ header: h, width: Math.max(10, Array.from(h).length * 2 + 4), style: { numFmt: "@" } }));
  ws.getRow(1).font = { bold: true };
  for (const r of sheet.rows) ws.addRow(r.map((c) => defused(c)));
  if (sheet.help) {
    const help = wb.addWorksheet(sheet.help.sheetName);
    help.getColumn(1).width = 80;
    for (const l of sheet.help.lines) help.addRow([l]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
