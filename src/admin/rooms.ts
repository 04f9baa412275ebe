/**
 * `rooms template|import|export`: the owner roster (业主档案) as a spreadsheet. Import is all or
 * nothing: one bad row and nothing is written, every bad row listed by line and reason; with
 * `--skip-bad` the good rows go in and the bad ones are written to a file beside the input,
 * with their line and reason, to fix and import again. Importing the same file twice changes
 * nothing; the export is the template's shape, so it imports back as it is.
 */
import { basename, dirname, extname, join } from "node:path";
import type { PropertyRecord } from "../core/property/store.js";
import { planImport } from "../core/registry/plan.js";
import { problemText, readHeaders, readRoster, ROSTER_COLUMNS, type RosterColumn } from "../core/registry/roster.js";
import type { RosterRoom } from "../core/registry/store.js";
import { t, type Text } from "../core/text.js";
import { propertyNamed, usageOf, type AdminCommand, type AdminDeps } from "./deps.js";
import { table } from "./table.js";

/** exceljs takes a few hundred milliseconds to load: only the commands that read or write files pay for it. */
const files = () => import("../infra/registry/roster-file.js");

const headerOf = (d: Pick<AdminDeps, "text">) => ROSTER_COLUMNS.map((c) => d.text(t(`registry.column.${c}`)));

export const roomsCommands: readonly AdminCommand[] = [
  {
    name: "rooms template",
    usage: "admin.help.rooms_template",
    async run([code, path], _values, d) {
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      const out = path ?? `${property.code}-roster-template.xlsx`;
      const { formatOf, writeRosterFile } = await files();
      if (!formatOf(out)) return usageOf(d, "admin.help.rooms_template");
      await writeRosterFile(out, { ...sheetNames(d), header: headerOf(d), rows: [], help: helpSheet(d, property) });
      d.say(t("admin.rooms.template_written", { path: out, property: property.name }));
      return 0;
    },
  },
  {
    name: "rooms export",
    usage: "admin.help.rooms_export",
    async run([code, path], _values, d) {
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      const out = path ?? `${property.code}-roster.xlsx`;
      const { formatOf, writeRosterFile } = await files();
      if (!formatOf(out)) return usageOf(d, "admin.help.rooms_export");
      const rooms = await d.registry.roster(property.id);
      await writeRosterFile(out, { ...sheetNames(d), header: headerOf(d), rows: rooms.map((r) => rowOf(r, property, d)), help: helpSheet(d, property) });
      d.say(t("admin.rooms.exported", { path: out, count: rooms.length, property: property.name }));
      return 0;
    },
  },
  {
    name: "rooms import",
    usage: "admin.help.rooms_import",
    async run([code, path], values, d) {
      const property = await propertyNamed(d, code);
      if (!property) return 1;
      if (!path) return usageOf(d, "admin.help.rooms_import");
      const { readRosterFile, writeRosterFile } = await files();
      const file = await readRosterFile(path);
      if (!file.ok) {
        d.say(t(`admin.rooms.file_${file.reason}`, { path }));
        return 1;
      }
      const headers = readHeaders(file.header);
      if (!headers.ok) {
        d.say(headers.text);
        return 1;
      }
      if (headers.ignored.length) d.say(t("admin.rooms.ignored_columns", { columns: headers.ignored.join(", ") }));
      const read = readRoster(headers.columns, file.lines, property.zones);
      if (read.problems.length > 0) {
        d.print(table([d.text(t("admin.col.line")), d.text(t("admin.col.reason"))], read.problems.map((p) => [String(p.line), d.text(problemText(p))])).join("\n"));
        if (!values["skip-bad"]) {
          d.say(t("admin.rooms.nothing_imported", { bad: read.problems.length, total: read.problems.length + read.entries.length }));
          return 1;
        }
        const badPath = values.bad ?? join(dirname(path), `${basename(path, extname(path))}.bad${extname(path)}`);
        const bad = new Map(read.problems.map((p) => [p.line, p]));
        const rows = file.lines.filter((l) => bad.has(l.line)).map((l) => [...file.header.map((_, i) => l.cells[i] ?? ""), String(l.line), d.text(problemText(bad.get(l.line)!))]);
        await writeRosterFile(badPath, { ...sheetNames(d), header: [...file.header, d.text(t("admin.col.line")), d.text(t("admin.col.reason"))], rows });
        d.say(t("admin.rooms.bad_written", { count: read.problems.length, path: badPath }));
      }
      const plan = planImport(await d.registry.roster(property.id), read.entries.map((e) => e.entry));
      if (plan.added.length + plan.changed.length > 0) {
        await d.registry.applyRoster(property.id, plan, {
          propertyId: property.id,
          at: d.clock.now(),
          actor: "cli",
          action: "rooms_imported",
          subject: basename(path),
          data: { added: plan.added.length, changed: plan.changed.length, unchanged: plan.unchanged, bad: read.problems.length },
        });
      }
      const summary: [Text, number][] = [
        [t("admin.rooms.added"), plan.added.length],
        [t("admin.rooms.changed"), plan.changed.length],
        [t("admin.rooms.unchanged"), plan.unchanged],
        [t("admin.rooms.skipped"), read.problems.length],
      ];
      d.say(t("admin.rooms.imported", { property: property.name, path: basename(path) }));
      d.print(table([d.text(t("admin.col.rooms_result")), d.text(t("admin.col.count"))], summary.map(([k, n]) => [d.text(k), String(n)])).join("\n"));
      return 0;
    },
  },
];

function sheetNames(d: Pick<AdminDeps, "text">) {
  return { sheetName: d.text(t("admin.rooms.sheet")) };
}

/** The second sheet: what each column takes and the property's zone codes. */
function helpSheet(d: Pick<AdminDeps, "text">, property: PropertyRecord) {
  const zones = property.zones.map((z) => `${z.code} = ${z.name}`).join(", ") || "-";
  return {
    sheetName: d.text(t("admin.rooms.help_sheet")),
    lines: [d.text(t("admin.rooms.help_title", { property: property.name })), ...ROSTER_COLUMNS.map((c) => `${d.text(t(`registry.column.${c}`))}: ${d.text(t(`registry.column_help.${c}`))}`), d.text(t("admin.rooms.help_zones", { zones }))],
  };
}

/** A room as the template's columns: the label's parts back in building, unit and room. */
function rowOf(r: RosterRoom, property: PropertyRecord, d: Pick<AdminDeps, "text">): string[] {
  const zone = property.zones.find((z) => z.id === r.zoneId);
  const parts = r.label.split("-");
  // The zone's letter is its own column; the label keeps it only so owners' full forms match.
  if (zone && parts[0]?.toUpperCase() === zone.code.toUpperCase()) parts.shift();
  const [building, unit, room] = parts.length >= 3 ? [parts[0]!, parts[1]!, parts.slice(2).join("-")] : parts.length === 2 ? [parts[0]!, "", parts[1]!] : ["", "", r.label];
  const yes = d.text(t("admin.rooms.yes"));
  const cells: Record<RosterColumn, string> = {
    building,
    unit,
    room,
    zone: zone?.code ?? "",
    owner_name: r.ownerName ?? "",
    phone: r.ownerPhone ?? "",
    vip: r.vip ? yes : "",
    vip_note: r.vipNote ?? "",
    notes: r.notes ?? "",
  };
  return ROSTER_COLUMNS.map((c) => cells[c]);
}
