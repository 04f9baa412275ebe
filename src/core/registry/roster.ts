/**
 * The owner roster (业主档案) a property company keeps in a spreadsheet: one row per room, with
 * its zone, its owner's name and phone, whether the owner is important (VIP, seed 001 §三.3: "将重要
 * 业主及相关领导备案…做到认识、知道如何接待") and notes. Each row is read with the same rules as an
 * owner's typing (property/room.ts, people/phone.ts, people/name.ts), so every room in the registry
 * is one an owner can name; a bad row is reported by its line and reason, never half-imported.
 */
import { parseName } from "../people/name.js";
import { parsePhone } from "../people/phone.js";
import type { ZoneRecord } from "../property/store.js";
import { parseRoom } from "../property/room.js";
import { t, type Text } from "../text.js";
import { normalizeInput } from "../util/input.js";

/** The columns, in the order the template and the export write them. */
export const ROSTER_COLUMNS = ["building", "unit", "room", "zone", "owner_name", "phone", "vip", "vip_note", "notes"] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

/**
 * Headers people write, compared after normalising (half-width, lower case, no spaces, "_" or
 * "-"). The first of each list is not special: the template's own headers come from the locales.
 */
const HEADER_ALIASES: Readonly<Record<RosterColumn, readonly string[]>> = {
  building: ["楼栋", "楼号", "栋", "楼", "楼栋号", "building", "bldg", "block", "tower"],
  unit: ["单元", "单元号", "unit", "entrance"],
  room: ["房号", "房间", "房间号", "室", "门牌", "门牌号", "room", "roomno", "roomnumber", "flat", "apartment"],
  zone: ["区域", "分区", "区", "管辖区域", "zone", "area", "section"],
  owner_name: ["业主姓名", "业主", "姓名", "户主", "owner", "ownername", "name"],
  phone: ["电话", "手机", "手机号", "联系电话", "联系方式", "phone", "mobile", "tel", "telephone"],
  vip: ["vip", "重要业主", "是否vip", "isvip"],
  vip_note: ["vip备注", "vip说明", "接待要求", "vipnote", "vipnotes"],
  notes: ["备注", "说明", "notes", "note", "remarks", "remark", "comments"],
};

const headerKey = (cell: string): string => normalizeInput(cell).toLowerCase().replace(/[\s_\-:：()（）]/g, "");

const ALIAS_INDEX = new Map<string, RosterColumn>(
  ROSTER_COLUMNS.flatMap((c) => HEADER_ALIASES[c].map((a) => [headerKey(a), c] as const)),
);

export type HeaderResult =
  | { ok: true; columns: readonly (RosterColumn | null)[]; ignored: readonly string[] }
  | { ok: false; text: Text };

/** Which column each header cell names; a file needs at least the room column. */
export function readHeaders(cells: readonly string[]): HeaderResult {
  const seen = new Set<RosterColumn>();
  const ignored: string[] = [];
  const columns = cells.map((cell) => {
    const column = ALIAS_INDEX.get(headerKey(cell)) ?? null;
    if (column === null && normalizeInput(cell)) ignored.push(normalizeInput(cell));
    return column;
  });
  for (const c of columns) {
    if (c === null) continue;
    if (seen.has(c)) return { ok: false, text: t("registry.header_twice", { column: t(`registry.column.${c}`) }) };
    seen.add(c);
  }
  if (!seen.has("room")) return { ok: false, text: t("registry.no_room_column") };
  return { ok: true, columns, ignored };
}

/**
 * A room as the roster describes it. A field is undefined when the file has no such column:
 * importing a file without a VIP column leaves every room's VIP flag as it was.
 */
export interface RosterEntry {
  readonly label: string;
  readonly zoneId: string | null;
  readonly ownerName?: string | null;
  readonly ownerPhone?: string | null;
  readonly vip?: boolean;
  readonly vipNote?: string | null;
  readonly notes?: string | null;
}

export const ROW_REASONS = [
  "room_missing",
  "room_format",
  "zone_unknown",
  "zone_mismatch",
  "name_format",
  "phone_format",
  "vip_value",
  "too_long",
  "duplicate_room",
] as const;
export type RowReason = (typeof ROW_REASONS)[number];

/** A bad row: its line in the file (the header is line 1) and why. */
export interface RowProblem {
  readonly line: number;
  readonly reason: RowReason;
  /** What the reason is about, as the file has it (shortened). */
  readonly value: string;
  /** For a repeated room: the line that named it first. */
  readonly firstLine?: number;
}

export const problemText = (p: RowProblem): Text =>
  t(`registry.reason.${p.reason}`, { line: p.line, value: p.value, first: p.firstLine ?? 0 });

/** A line of the file, its cells in header order. */
export interface SheetLine {
  readonly line: number;
  readonly cells: readonly string[];
}

export interface RosterRead {
  readonly entries: readonly { readonly line: number; readonly entry: RosterEntry }[];
  readonly problems: readonly RowProblem[];
}

/** Free text longer than this belongs in a ticket, not in a roster cell. */
export const MAX_NOTE_CHARS = 200;

const YES = new Set(["是", "y", "yes", "true", "1", "√", "✓", "vip", "重要"]);
const NO = new Set(["", "否", "n", "no", "false", "0", "×", "-"]);

/** Validate every data line; blank lines are skipped (their numbers are kept for the others). */
export function readRoster(columns: readonly (RosterColumn | null)[], lines: readonly SheetLine[], zones: readonly ZoneRecord[]): RosterRead {
  const present = new Set(columns.filter((c): c is RosterColumn => c !== null));
  const entries: { line: number; entry: RosterEntry }[] = [];
  const problems: RowProblem[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, cells } of lines) {
    const cell = (c: RosterColumn): string => {
      const i = columns.indexOf(c);
      return i < 0 ? "" : normalizeInput(cells[i] ?? "");
    };
    if (ROSTER_COLUMNS.every((c) => cell(c) === "")) continue;
    const read = readRow(cell, present, zones);
    if (!read.ok) {
      problems.push({ line, reason: read.reason, value: shorten(read.value) });
      continue;
    }
    const first = firstLineOf.get(read.entry.label);
    if (first !== undefined) {
      problems.push({ line, reason: "duplicate_room", value: read.entry.label, firstLine: first });
      continue;
    }
    firstLineOf.set(read.entry.label, line);
    entries.push({ line, entry: read.entry });
  }
  return { entries, problems };
}

type RowRead = { ok: true; entry: RosterEntry } | { ok: false; reason: RowReason; value: string };

function readRow(cell: (c: RosterColumn) => string, present: ReadonlySet<RosterColumn>, zones: readonly ZoneRecord[]): RowRead {
  const zoneCell = cell("zone");
  let zone: ZoneRecord | null = null;
  if (zoneCell) {
    zone = findZone(zones, zoneCell);
    if (!zone) return { ok: false, reason: "zone_unknown", value: zoneCell };
  }
  const room = roomLabel(cell("building"), cell("unit"), cell("room"), zone);
  if (!room.ok) return room;
  if (room.zoneCode && !zone) {
    zone = findZone(zones, room.zoneCode);
    if (!zone) return { ok: false, reason: "zone_unknown", value: room.zoneCode };
  }
  const entry: { -readonly [K in keyof RosterEntry]: RosterEntry[K] } = { label: room.label, zoneId: zone?.id ?? null };

  if (present.has("owner_name")) {
    const raw = cell("owner_name");
    const name = raw ? parseName(raw) : null;
    if (name && !name.ok) return { ok: false, reason: "name_format", value: raw };
    entry.ownerName = name?.ok ? name.name : null;
  }
  if (present.has("phone")) {
    const raw = cell("phone");
    const phone = raw ? parsePhone(raw) : null;
    if (phone && !phone.ok) return { ok: false, reason: "phone_format", value: raw };
    entry.ownerPhone = phone?.ok ? phone.phone : null;
  }
  if (present.has("vip")) {
    const raw = cell("vip");
    const key = raw.toLowerCase();
    if (YES.has(key)) entry.vip = true;
    else if (NO.has(key)) entry.vip = false;
    else return { ok: false, reason: "vip_value", value: raw };
  }
  for (const [column, field] of [["vip_note", "vipNote"], ["notes", "notes"]] as const) {
    if (!present.has(column)) continue;
    const raw = cell(column);
    if (Array.from(raw).length > MAX_NOTE_CHARS) return { ok: false, reason: "too_long", value: raw };
    entry[field] = raw || null;
  }
  return { ok: true, entry };
}

/** A zone by its code (A) or its name (A区), ignoring case and width. */
function findZone(zones: readonly ZoneRecord[], typed: string): ZoneRecord | null {
  const key = normalizeInput(typed).toUpperCase();
  return zones.find((z) => z.code.toUpperCase() === key || normalizeInput(z.name).toUpperCase() === key) ?? null;
}

const BUILDING_SUFFIX = /(?:号楼|栋|幢|座|号)$/;
const UNIT_SUFFIX = /单元$/;
const ROOM_SUFFIX = /(?:室|号|房)$/;

/**
 * The registry's label is the one an owner typing the room in full gets from parseRoom: with
 * the zone's letter first when the zone has a one-letter code (A-5-2-301), as owners of a zoned
 * property write it; property/store's findRoom also finds it from the short form (5-2-301).
 */
function roomLabel(
  building: string,
  unit: string,
  room: string,
  zone: ZoneRecord | null,
): { ok: true; label: string; zoneCode: string | null } | { ok: false; reason: RowReason; value: string } {
  if (!room) return { ok: false, reason: "room_missing", value: [building, unit].filter(Boolean).join("-") };
  const letter = zone && /^[A-Za-z]$/.test(zone.code) ? zone.code.toUpperCase() : null;
  const typed = building
    ? [building.replace(BUILDING_SUFFIX, ""), unit.replace(UNIT_SUFFIX, ""), room.replace(ROOM_SUFFIX, "")].filter(Boolean).join("-")
    : room;
  const parsed = parseRoom(typed);
  const shown = [building, unit, room].filter(Boolean).join(" ");
  if (!parsed.ok) return { ok: false, reason: "room_format", value: shown };
  if (parsed.zoneCode && zone && parsed.zoneCode !== zone.code.toUpperCase()) return { ok: false, reason: "zone_mismatch", value: shown };
  if (parsed.zoneCode || !letter) return { ok: true, label: parsed.label, zoneCode: parsed.zoneCode };
  return { ok: true, label: `${letter}-${parsed.label}`, zoneCode: letter };
}

function shorten(text: string): string {
  const chars = Array.from(text);
  return chars.length > 30 ? `${chars.slice(0, 29).join("")}…` : text;
}

/**
 * The forms one room goes by in a zoned property: A-5-301 is also 5-301 to an owner who leaves
 * the zone out, and 5-301 is A-5-301 (or B-5-301) in the registry. The first is the label as given.
 */
export function labelForms(label: string, zones: readonly ZoneRecord[]): string[] {
  const zoned = /^([A-Z])-(.+)$/.exec(label);
  if (zoned) return [label, zoned[2]!];
  return [label, ...zones.filter((z) => /^[A-Za-z]$/.test(z.code)).map((z) => `${z.code.toUpperCase()}-${label}`)];
}
