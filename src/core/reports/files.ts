/**
 * The files a report attaches: the monthly statistics workbook (月度统计, 用户意见受理表 and
 * 回访用户月统计表 as sheets) and the intake list as CSV. Building them needs a spreadsheet
 * library, which the core does not load: the port is implemented in src/infra/export and injected
 * into the monthly job and the /export command.
 */
import type { PropertyRecord } from "../property/store.js";
import type { Locale } from "../text.js";
import type { MonthlyFigures } from "./figures.js";

export interface ReportFile {
  /** Which caption the file gets. */
  readonly kind: "workbook" | "csv";
  readonly filename: string;
  readonly mediaType: string;
  /** The bytes, base64, as the outbox carries them. */
  readonly base64: string;
}

export interface MonthlyFilesRequest {
  readonly property: Pick<PropertyRecord, "id" | "code" | "name" | "nameEn">;
  /** The figures the post shows beside the files: the workbook's totals are these. */
  readonly figures: MonthlyFigures;
  /** Headers and labels in this language (Chinese by default). */
  readonly locale: Locale;
}

export interface ReportFiles {
  /** The month's workbook and CSV, in that order. */
  monthly(request: MonthlyFilesRequest): Promise<readonly ReportFile[]>;
}
