/**
 * The HotlineFiles port (src/core/hotline/forms.ts): seed 002 §7's four forms as sheets of one
 * workbook, headers in the reader's language (Chinese by default), one row per case or step, and
 * the month's KPIs with the ranking. Times are the company's wall clock, as the paper forms show.
 */
import type ExcelJS from "exceljs";
import type { HotlineFiles, HotlineFormsRequest } from "../../core/hotline/forms.js";
import type { CaseHistory } from "../../core/hotline/kpis.js";
import type { HotlineEventRecord } from "../../core/hotline/case.js";
import { rateValue } from "../../core/reports/figures.js";
import { TARGETED_RATES } from "../../core/reports/monthly.js";
import { t, type MessageKey, type Text } from "../../core/text.js";
import type { Renderer } from "../../i18n/render.js";
import { wallClock, type Cell } from "./columns.js";
import { newWorkbook, XLSX_MEDIA_TYPE } from "./workbook.js";
import { writtenReportFile } from "./hotline-report.js";

type Row = readonly Cell[];
const CALLBACK_EVENTS = new Set(["callback_first", "callback_second", "callback_closing", "callback_stage", "feedback"]);
const BOLD: Partial<ExcelJS.Font> = { bold: true };

export function createHotlineFiles(deps: { readonly renderer: Pick<Renderer, "text">; readonly timeZone: string }): HotlineFiles {
  return {
    async forms(req) {
      const say = (x: Text) => deps.renderer.text(x, req.locale);
      const when = (d: Date | null) => wallClock(d, deps.timeZone);
      const name = (id: string | null) => (id ? (req.names.get(id) ?? "") : "");
      const note = (e: HotlineEventRecord) => String(e.data.note ?? e.data.measures ?? "");
      const rating = (e: HotlineEventRecord) => (typeof e.data.rating === "string" ? say(t(`rating.${e.data.rating}` as MessageKey)) : "");
      const cases = req.histories.map((h) => h.case);
      const steps = req.histories.flatMap((h: CaseHistory) => h.events.map((e) => ({ c: h.case, e })));

      const wb = await newWorkbook();
      wb.creator = "Guanjia";
      const sheet = (tab: MessageKey, title: MessageKey, headers: readonly MessageKey[], rows: readonly Row[]) => {
        const ws = wb.addWorksheet(say(t(tab)));
        ws.addRow([say(t(title, { month: req.month }))]).font = { bold: true, size: 14 };
        ws.addRow(headers.map((h) => say(t(h)))).font = BOLD;
        for (const r of rows) {
          ws.addRow([...r]).eachCell((cell) => {
            if (cell.value instanceof Date) cell.numFmt = "yyyy-mm-dd hh:mm";
          });
        }
        ws.columns.forEach((col, i) => {
          col.width = i === 0 ? 14 : 18;
        });
      };
      sheet("hotline.sheet.record", "hotline.form.record",
        ["hotline.col.number", "hotline.col.filed_at", "hotline.col.source", "hotline.col.property", "hotline.col.room", "hotline.col.name", "hotline.col.phone", "hotline.col.matter", "hotline.col.tickets", "hotline.col.major", "hotline.col.recorded_by"],
        cases.map((c) => [c.number, when(c.createdAt), say(t(`hotline.source.${c.source}`)), name(c.propertyId), c.roomLabel, c.contactName, c.contactPhone, c.matter, c.tickets.join(", "), say(t(c.major ? "hotline.yes" : "hotline.no")), name(c.recordedById)]));
      sheet("hotline.sheet.followup", "hotline.form.followup",
        ["hotline.col.number", "hotline.col.property", "hotline.col.at", "hotline.col.step", "hotline.col.by", "hotline.col.note"],
        steps.map(({ c, e }) => [c.number, name(c.propertyId), when(e.at), say(t(`hotline.event.${e.type}`)), name(e.actorId), note(e)]));
      sheet("hotline.sheet.callbacks", "hotline.form.callbacks",
        ["hotline.col.number", "hotline.col.property", "hotline.col.kind", "hotline.col.at", "hotline.col.by", "hotline.col.rating", "hotline.col.note"],
        steps.filter(({ e }) => CALLBACK_EVENTS.has(e.type)).map(({ c, e }) => [c.number, name(c.propertyId), say(t(`hotline.event.${e.type}`)), when(e.at), name(e.actorId), rating(e), note(e)]));
      sheet("hotline.sheet.files", "hotline.form.files",
        ["hotline.col.number", "hotline.col.property", "hotline.col.matter", "hotline.col.measures", "hotline.col.department_head", "hotline.col.measures_at", "hotline.col.status", "hotline.col.closed_at"],
        cases.map((c) => [c.number, name(c.propertyId), c.matter, c.measures, name(c.departmentHeadId), when(c.measuresAt), say(t(`hotline.status.${c.status}`)), when(c.closedAt)]));
      sheet("hotline.sheet.kpis", "hotline.form.kpis",
        ["hotline.col.rank", "hotline.col.property", "hotline.col.cases", ...TARGETED_RATES.map((r) => `hotline.col.${r}` as const)],
        req.kpis.map((k) => [k.rank, name(k.propertyId), k.cases, ...TARGETED_RATES.map((r) => rateValue(k[r]))]));
      const buffer = Buffer.from(await wb.xlsx.writeBuffer());
      return { kind: "workbook", filename: `${say(t("hotline.export.filename", { month: req.month }))}.xlsx`, mediaType: XLSX_MEDIA_TYPE, base64: buffer.toString("base64") };
    },
    writtenReport: async (req) => writtenReportFile(deps, req),
  };
}
