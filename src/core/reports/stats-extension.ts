/**
 * `/stats 2026-10` and `/export 2026-10`: the monthly statistics on demand, for the property's
 * leads only (seed 000 §3 item 12 makes the monthly figures the director's; seed 002 §4.8 keeps
 * complaint files from people not involved). `/stats` answers with the figures; `/export` sends
 * the workbook and the CSV through the outbox to the requester's private chat only: they hold
 * owners' full names and phones, so a group is only told where they went (issue 10 §5). Without
 * a month: last month.
 */
import { privateChatOf, type Outcome } from "../messages.js";
import type { OutboxStore } from "../outbox.js";
import type { StaffContext, StaffExtension } from "../staff/extension.js";
import { LEAD_ROLES } from "../staff/roles.js";
import { t, type Text } from "../text.js";
import { localMonthKey, monthRange } from "../time/zone.js";
import type { ReportStore } from "./figures.js";
import type { ReportFiles } from "./files.js";
import { documentMessages, monthlyTexts } from "./monthly.js";
import { propertyLabel } from "../property/store.js";
import type { PropertyStore } from "../property/store.js";

export interface StatsExtensionDeps {
  readonly store: Pick<PropertyStore, "properties">;
  readonly reports: Pick<ReportStore, "monthly" | "breakdown">;
  readonly files: ReportFiles;
  readonly outbox: Pick<OutboxStore, "enqueue">;
  /** The properties' time zone: a month is a local calendar month. */
  readonly timeZone: string;
}

/** Platforms the outbox can upload a file to. */
const FILE_PLATFORMS: ReadonlySet<string> = new Set(["telegram", "slack"]);

export type MonthArg = { readonly ok: true; readonly month: string; readonly from: Date; readonly to: Date } | { readonly ok: false };

/** "2026-10" or "2026-1" as a local month; empty means the month before `now`'s. */
export function parseMonthArg(args: string, now: Date, timeZone: string): MonthArg {
  const typed = args.trim();
  const m = typed === "" ? /^(\d{4})-(\d{2})$/.exec(localMonthKey(now, timeZone, -1)) : /^(\d{4})-(\d{1,2})$/.exec(typed);
  if (!m) return { ok: false };
  const month = `${m[1]}-${m[2]!.padStart(2, "0")}`;
  const range = monthRange(month, timeZone);
  return range ? { ok: true, month, ...range } : { ok: false };
}

export function statsExtension(deps: StatsExtensionDeps): StaffExtension {
  return {
    names: ["stats", "export"],
    async handle(ctx: StaffContext): Promise<Outcome> {
      const say = (...text: Text[]): Outcome => ({ locale: ctx.locale, replies: [{ text }] });
      const leadOf = new Set(ctx.roles.filter((r) => LEAD_ROLES.includes(r.role)).map((r) => r.propertyId));
      const allowed = ctx.propertyIds.filter((id) => leadOf.has(id));
      if (allowed.length === 0) return say(t("export.not_allowed"));
      const month = parseMonthArg(ctx.args, ctx.now, deps.timeZone);
      if (!month.ok) return say(t("export.usage"));
      if (month.from > ctx.now) return say(t("export.future_month", { month: month.month }));
      const exporting = ctx.command === "export";
      if (exporting && !FILE_PLATFORMS.has(ctx.inbound.channel)) return say(t("export.no_files_here"));
      const inGroup = ctx.inbound.chat.kind === "group";
      const to = inGroup ? privateChatOf(ctx.person) : { platform: ctx.inbound.channel, chatId: ctx.inbound.chat.id };
      if (exporting && !to) return say(t("export.no_files_here"));

      const properties = (await deps.store.properties()).filter((p) => allowed.includes(p.id));
      const replies = [];
      for (const property of properties) {
        const label = propertyLabel(property, ctx.locale);
        // A month still running is counted up to now; a past one as of now (late callbacks included).
        const figures = await deps.reports.monthly(property.id, month.month, month.from, month.to, ctx.now);
        if (!exporting) {
          replies.push({ text: monthlyTexts(label, figures, null, await deps.reports.breakdown(property.id, month.from, month.to)) });
          continue;
        }
        const files = await deps.files.monthly({ property, figures, locale: ctx.locale });
        await deps.outbox.enqueue(documentMessages(to!, ctx.locale, files, { property: label, month: month.month }), ctx.now);
        replies.push({ text: [t(inGroup ? "authz.export_private" : "export.queued", { property: label, month: month.month })] });
      }
      return { locale: ctx.locale, replies };
    },
  };
}
