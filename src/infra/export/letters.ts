/**
 * The LetterFiles port (src/core/frontdesk/letters.ts): the printable written reply as one HTML
 * file (no PDF library is installed and nothing may be fetched: the browser prints it, A4, with
 * the property's letterhead line), and 收文登记簿 as a workbook with exceljs, one row per letter.
 */
import type ExcelJS from "exceljs";
import type { LetterFile, LetterFiles } from "../../core/frontdesk/letters.js";
import type { RegisterRow } from "../../core/frontdesk/register.js";
import { propertyLabel } from "../../core/property/store.js";
import { t, type Locale, type MessageKey, type Text } from "../../core/text.js";
import { localDateKey } from "../../core/time/zone.js";
import type { Renderer } from "../../i18n/render.js";
import { newWorkbook, XLSX_MEDIA_TYPE } from "./workbook.js";

export const HTML_MEDIA_TYPE = "text/html; charset=utf-8";

export interface LetterFilesDeps {
  readonly renderer: Pick<Renderer, "text">;
  /** The properties' time zone: dates are local. */
  readonly timeZone: string;
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export { escape as escapeHtml };
/** Paragraphs as typed: blank lines part them, single line breaks stay. */
const paragraphs = (s: string): string =>
  s
    .split(/\n\s*\n/)
    .map((p) => `<p>${escape(p.trim()).replace(/\n/g, "<br>")}</p>`)
    .join("\n");

/** How many characters of the reply the register shows. */
const REPLY_SUMMARY = 80;

export function createLetterFiles(deps: LetterFilesDeps): LetterFiles {
  const sayIn = (locale: Locale) => (text: Text) => deps.renderer.text(text, locale);
  const file = (filename: string, mediaType: string, bytes: Buffer): LetterFile => ({ filename, mediaType, base64: bytes.toString("base64") });

  return {
    async reply({ property, entry, ticket, reply, locale }) {
      const say = sayIn(locale);
      const label = (key: MessageKey) => escape(say(t(key)));
      const head = say(t("letters.doc.letterhead", { property: propertyLabel(property, locale) }));
      const rows: [MessageKey, string][] = [
        ["letters.doc.register", entry.number],
        ["letters.doc.ticket", ticket.number],
        ["letters.doc.owner", entry.sender || ticket.contactName || "—"],
        ["letters.doc.room", ticket.roomLabel ?? "—"],
        ["letters.doc.received", entry.receivedOn],
      ];
      const name = entry.sender || ticket.contactName;
      const html = `<!DOCTYPE html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${label("letters.doc.title")} ${escape(entry.number)}</title>
<style>
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.8; max-width: 170mm; margin: 0 auto; color: #000; }
.letterhead { text-align: center; font-size: 18pt; font-weight: bold; border-bottom: 2px solid #000; padding-bottom: 4mm; margin-bottom: 6mm; }
h1 { text-align: center; font-size: 16pt; letter-spacing: 0.5em; }
table { border-collapse: collapse; width: 100%; margin-bottom: 6mm; }
th, td { border: 1px solid #000; padding: 1.5mm 3mm; text-align: left; vertical-align: top; }
th { width: 28%; font-weight: normal; background: #f2f2f2; }
.matter { white-space: pre-wrap; }
.sign { text-align: right; margin-top: 12mm; }
</style>
</head>
<body>
<div class="letterhead">${escape(head)}</div>
<h1>${label("letters.doc.title")}</h1>
<table>
${rows.map(([key, value]) => `<tr><th>${label(key)}</th><td>${escape(value)}</td></tr>`).join("\n")}
<tr><th>${label("letters.doc.matter")}</th><td class="matter">${escape(ticket.description)}</td></tr>
</table>
<p>${escape(say(name ? t("letters.doc.salutation", { name }) : t("letters.doc.salutation_none")))}</p>
<section class="reply">
${paragraphs(reply.text)}
</section>
<p>${label("letters.doc.closing")}</p>
<div class="sign"><p>${escape(head)}</p><p>${escape(localDateKey(reply.at, deps.timeZone))}</p></div>
</body>
</html>
`;
      return file(`${say(t("letters.filename.reply", { register: entry.number }))}.html`, HTML_MEDIA_TYPE, Buffer.from(html, "utf8"));
    },

    async register({ property, year, rows, locale }) {
      const say = sayIn(locale);
      const bytes = await registerWorkbook(rows, say, propertyLabel(property, locale), year, deps.timeZone);
      return file(`${say(t("letters.filename.register", { code: property.code, year }))}.xlsx`, XLSX_MEDIA_TYPE, bytes);
    },
  };
}

type Cell = string | null;

const LINE: Partial<ExcelJS.Border> = { style: "thin" };
const THIN: Partial<ExcelJS.Borders> = { top: LINE, left: LINE, bottom: LINE, right: LINE };

/** 收文登记簿's columns, in the order of the paper book. */
const COLUMNS: readonly { header: MessageKey; width: number; value(r: RegisterRow, say: (x: Text) => string, timeZone: string): Cell }[] = [
  { header: "letters.col.number", width: 16, value: (r) => r.entry.number },
  { header: "letters.col.received", width: 12, value: (r) => r.entry.receivedOn },
  { header: "letters.col.sender", width: 12, value: (r) => r.entry.sender || null },
  { header: "letters.col.summary", width: 40, value: (r) => r.entry.summary },
  { header: "letters.col.room", width: 12, value: (r) => r.roomLabel },
  { header: "letters.col.ticket", width: 11, value: (r) => r.ticketNumber },
  { header: "letters.col.replied", width: 12, value: (r, _, tz) => (r.reply ? localDateKey(r.reply.at, tz) : null) },
  { header: "letters.col.reply", width: 40, value: (r) => (r.reply ? truncated(r.reply.text) : null) },
  { header: "letters.col.status", width: 10, value: (r, say) => say(r.status ? t(`status.${r.status}` as MessageKey) : t("letters.status.none")) },
];

/** One line of the reply, its paragraphs run together, cut to the column. */
function truncated(text: string): string {
  const s = text.replace(/\s+/g, " ").trim();
  return s.length > REPLY_SUMMARY ? `${s.slice(0, REPLY_SUMMARY - 1)}…` : s;
}

async function registerWorkbook(rows: readonly RegisterRow[], say: (x: Text) => string, property: string, year: number, timeZone: string): Promise<Buffer> {
  const wb = await newWorkbook();
  wb.creator = "Guanjia";
  const ws = wb.addWorksheet(say(t("letters.sheet")), { pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
  ws.columns = COLUMNS.map((c) => ({ width: c.width }));
  const title = ws.addRow([say(t("letters.sheet_title", { property, year }))]);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(title.number, 1, title.number, COLUMNS.length);
  const header = ws.addRow(COLUMNS.map((c) => say(t(c.header))));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.border = THIN;
  });
  ws.views = [{ state: "frozen", ySplit: 2 }];
  for (const r of rows) {
    ws.addRow(COLUMNS.map((c) => c.value(r, say, timeZone))).eachCell({ includeEmpty: true }, (cell) => {
      cell.border = THIN;
      cell.alignment = { vertical: "top", wrapText: true };
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
