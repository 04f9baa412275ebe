/**
 * §4.3.3's written report (书面上报) as one printable HTML file, as the written reply to a letter
 * is (./letters.ts): no PDF library is installed, the browser prints it on A4. Generated from the
 * case file: number, property, owner, matter, measures, history and what is overdue.
 */
import type { WrittenReportRequest } from "../../core/hotline/forms.js";
import { t, type MessageKey, type Text } from "../../core/text.js";
import { localDateKey } from "../../core/time/zone.js";
import type { Renderer } from "../../i18n/render.js";
import { formatWallClock, wallClock } from "./columns.js";
import { escapeHtml as esc, HTML_MEDIA_TYPE } from "./letters.js";

/** "2026-11-30 10:00" in the company's time zone. */
const stamp = (at: Date, timeZone: string): string => formatWallClock(wallClock(at, timeZone)!);

export function writtenReportFile(deps: { readonly renderer: Pick<Renderer, "text">; readonly timeZone: string }, req: WrittenReportRequest): { filename: string; mediaType: string; base64: string } {
  const say = (x: Text) => deps.renderer.text(x, req.locale);
  const label = (key: MessageKey) => esc(say(t(key)));
  const c = req.case;
  const none = say(t("card.not_given"));
  const facts: [MessageKey, string][] = [
    ["hotline.col.number", c.number],
    ["hotline.col.property", req.property],
    ["hotline.col.filed_at", stamp(c.createdAt, deps.timeZone)],
    ["hotline.col.room", c.roomLabel ?? none],
    ["hotline.col.name", c.contactName ?? none],
    ["hotline.col.phone", c.contactPhone ?? none],
    ["hotline.col.tickets", c.tickets.join(", ") || none],
    ["hotline.col.status", say(t(`hotline.status.${c.status}`))],
    ["hotline.col.measures", c.measures ?? say(t("hotline.report.no_measures"))],
    ["hotline.col.department_head", req.departmentHead ?? none],
  ];
  const history = req.history
    .map((e) => `<tr><td>${esc(stamp(e.at, deps.timeZone))}</td><td>${label(`hotline.event.${e.type}`)}</td><td>${esc(e.by ?? "")}</td><td>${esc(e.note)}</td></tr>`)
    .join("\n");
  const overdue = req.overdue.length
    ? `<ul>\n${req.overdue.map((d) => `<li>${label(`hotline.deadline.${d.kind}`)}: ${esc(say(t("hotline.report.due", { due: stamp(d.due, deps.timeZone) })))}</li>`).join("\n")}\n</ul>`
    : `<p>${label("hotline.report.none_overdue")}</p>`;
  const title = say(t("hotline.written.title", { number: c.number, property: req.property }));
  const html = `<!DOCTYPE html>
<html lang="${req.locale}">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
@page { size: A4; margin: 20mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 11pt; line-height: 1.7; max-width: 175mm; margin: 0 auto; }
h1 { font-size: 15pt; text-align: center; }
h2 { font-size: 12pt; border-bottom: 1px solid #000; margin-top: 6mm; }
table.facts, table.history { width: 100%; border-collapse: collapse; }
table.facts th, table.facts td, table.history th, table.history td { border: 1px solid #000; padding: 1mm 2.5mm; vertical-align: top; text-align: left; }
table.facts th { width: 25%; background: #eee; font-weight: normal; }
.reason { font-weight: bold; }
.date { text-align: right; margin-top: 10mm; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="reason">${label(req.reason === "no_measures" ? "hotline.written.no_measures" : "hotline.written.unsolved")}</p>
<table class="facts">
${facts.map(([key, value]) => `<tr><th>${label(key)}</th><td>${esc(value)}</td></tr>`).join("\n")}
<tr><th>${label("hotline.col.matter")}</th><td>${esc(c.matter)}</td></tr>
</table>
<h2>${label("hotline.written.history")}</h2>
<table class="history">
<tr><th>${label("hotline.col.at")}</th><th>${label("hotline.col.step")}</th><th>${label("hotline.col.by")}</th><th>${label("hotline.col.note")}</th></tr>
${history}
</table>
<h2>${label("hotline.report.overdue")}</h2>
${overdue}
<p class="date">${esc(localDateKey(req.at, deps.timeZone))}</p>
</body>
</html>
`;
  const filename = `${say(t("hotline.report.filename", { number: c.number }))}.html`;
  return { filename, mediaType: HTML_MEDIA_TYPE, base64: Buffer.from(html, "utf8").toString("base64") };
}
