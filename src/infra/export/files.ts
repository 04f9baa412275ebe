/**
 * The ReportFiles port (src/core/reports/files.ts): reads the month's rows from the ReportStore
 * (the intake list page by page) and renders the workbook and the CSV in the reader's language.
 */
import type { IntakeRow, ReportStore } from "../../core/reports/figures.js";
import type { ReportFile, ReportFiles } from "../../core/reports/files.js";
import { propertyLabel } from "../../core/property/store.js";
import { t } from "../../core/text.js";
import type { Renderer } from "../../i18n/render.js";
import { CSV_MEDIA_TYPE, intakeCsv } from "./csv.js";
import { monthlyWorkbook, XLSX_MEDIA_TYPE } from "./workbook.js";

export interface ReportFilesDeps {
  readonly reports: Pick<ReportStore, "intakeRows" | "callbackRows" | "breakdown">;
  readonly renderer: Pick<Renderer, "text">;
  /** The properties' time zone: the sheets show local times. */
  readonly timeZone: string;
  /** Rows read per query of the intake list. */
  readonly pageSize?: number;
}

export function createReportFiles(deps: ReportFilesDeps): ReportFiles {
  const pageSize = deps.pageSize ?? 1_000;

  async function intake(propertyId: string, from: Date, to: Date): Promise<IntakeRow[]> {
    const rows: IntakeRow[] = [];
    for (;;) {
      const page = await deps.reports.intakeRows(propertyId, from, to, { ...(rows.length > 0 ? { after: rows[rows.length - 1]!.number } : {}), limit: pageSize });
      rows.push(...page);
      if (page.length < pageSize) return rows;
    }
  }

  return {
    async monthly({ property, figures, locale }): Promise<ReportFile[]> {
      const say = (text: Parameters<Renderer["text"]>[0]) => deps.renderer.text(text, locale);
      const [rows, callbacks, breakdown] = await Promise.all([
        intake(property.id, figures.from, figures.to),
        deps.reports.callbackRows(property.id, figures.from, figures.to),
        deps.reports.breakdown(property.id, figures.from, figures.to),
      ]);
      const workbook = await monthlyWorkbook({ property: propertyLabel(property, locale), figures, intake: rows, callbacks, breakdown, say, timeZone: deps.timeZone });
      const csv = intakeCsv(rows, say, deps.timeZone);
      const name = { code: property.code, month: figures.month };
      return [
        { kind: "workbook", filename: `${say(t("export.filename.workbook", name))}.xlsx`, mediaType: XLSX_MEDIA_TYPE, base64: workbook.toString("base64") },
        { kind: "csv", filename: `${say(t("export.filename.csv", name))}.csv`, mediaType: CSV_MEDIA_TYPE, base64: csv.toString("base64") },
      ];
    },
  };
}
