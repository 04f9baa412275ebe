/**
 * 用户意见受理表 as CSV (RFC 4180): UTF-8 with a byte-order mark, which is how Excel knows to
 * read Chinese text as UTF-8 rather than the system code page; CRLF line ends; every field that
 * needs it quoted.
 */
import type { IntakeRow } from "../../core/reports/figures.js";
import { t } from "../../core/text.js";
import { formatWallClock, INTAKE_COLUMNS, type Cell, type Say } from "./columns.js";

const BOM = "\ufeff";
export const CSV_MEDIA_TYPE = "text/csv; charset=utf-8";

/**
 * Owners' own words are in the list. A field a spreadsheet would read as a formula (=, +, -, @,
 * or a tab or CR before one) gets a leading apostrophe, so opening the file runs nothing (OWASP
 * "CSV injection"). Numbers are ours and are left alone.
 */
export function defused(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function field(cell: Cell): string {
  if (cell === null) return "";
  const text = typeof cell === "number" ? String(cell) : cell instanceof Date ? formatWallClock(cell) : defused(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function intakeCsv(rows: readonly IntakeRow[], say: Say, timeZone: string): Buffer {
  const lines = [INTAKE_COLUMNS.map((c) => field(say(t(c.header)))).join(",")];
  rows.forEach((row, i) => lines.push(INTAKE_COLUMNS.map((c) => field(c.value(row, i, say, timeZone))).join(",")));
  return Buffer.from(`${BOM}${lines.join("\r\n")}\r\n`, "utf8");
}
