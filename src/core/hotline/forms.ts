/**
 * The hotline's forms (seed 002 §7) as one workbook: 热线记录 (QR-8.2.1-01-09, one row per case),
 * 跟进情况表 (-10, one row per step), 处理回访表 (-11, one row per callback or 回访表 returned)
 * and 处理档案 (-12, one row per case), with the month's KPIs and ranking beside them. Building
 * it needs a spreadsheet library: the port is implemented in src/infra/export/hotline-workbook.ts.
 */
import { meetsTarget, percent, TARGETED_RATES } from "../reports/monthly.js";
import { rateValue, RATE_TARGETS } from "../reports/figures.js";
import type { ReportFile } from "../reports/files.js";
import { t, type Locale, type Text } from "../text.js";
import type { CaseHistory, PropertyKpis } from "./kpis.js";
import type { HotlineCaseRecord, HotlineEventType } from "./case.js";
import type { HotlineDeadlineKind } from "./deadlines.js";

export interface HotlineFormsRequest {
  /** "2026-11". */
  readonly month: string;
  readonly histories: readonly CaseHistory[];
  readonly kpis: readonly PropertyKpis[];
  /** Property ids and person ids to the names the forms show. */
  readonly names: ReadonlyMap<string, string>;
  readonly locale: Locale;
}

/**
 * §4.3.3's written report (书面上报), generated from the case file: the case, the property, the
 * owner, the matter, the measures, the history and what is overdue, as one printable document.
 */
export interface WrittenReportRequest {
  readonly case: HotlineCaseRecord;
  readonly property: string;
  readonly departmentHead: string | null;
  /** Why it is reported: no measures set, or set but unsolved after 7 days. */
  readonly reason: "no_measures" | "unsolved";
  /** The case's history, oldest first, with who took each step. */
  readonly history: readonly { readonly at: Date; readonly type: HotlineEventType; readonly by: string | null; readonly note: string }[];
  readonly overdue: readonly { readonly kind: Exclude<HotlineDeadlineKind, "written_report">; readonly due: Date }[];
  /** When it is reported: the document's date. */
  readonly at: Date;
  readonly locale: Locale;
}

export interface HotlineFiles {
  forms(request: HotlineFormsRequest): Promise<ReportFile>;
  writtenReport(request: WrittenReportRequest): Promise<Omit<ReportFile, "kind">>;
}

/** The KPIs as a message: each property in rank order, each rate against its target (§5.4-§5.6). */
export function kpiTexts(month: string, kpis: readonly PropertyKpis[], names: ReadonlyMap<string, string>): Text[] {
  if (kpis.length === 0) return [t("hotline.kpi.title", { month }), t("hotline.kpi.none")];
  return [
    t("hotline.kpi.title", { month }),
    ...kpis.map((k) =>
      t("hotline.kpi.line", {
        rank: k.rank,
        property: names.get(k.propertyId) ?? "?",
        cases: k.cases,
        rates: TARGETED_RATES.map((name) => {
          const value = rateValue(k[name]);
          return `${value === null ? "—" : percent(value)}${meetsTarget(name, k[name]) === false ? "✗" : ""}`;
        }).join(" / "),
      }),
    ),
    t("hotline.kpi.legend", { targets: TARGETED_RATES.map((name) => percent(RATE_TARGETS[name])).join(" / ") }),
  ];
}
