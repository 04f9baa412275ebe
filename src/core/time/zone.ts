/**
 * Wall-clock time in an IANA time zone, with Intl only (the core reads no clock and loads no
 * time library): local dates of instants, and instants of local dates. Properties are in
 * Asia/Shanghai by default, which has no daylight saving; other zones are handled too.
 */

export interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localParts(d: Date, timeZone: string): LocalParts {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(d).map((x) => [x.type, x.value]));
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour!, minute: +p.minute!, second: +p.second! };
}

/** The zone's offset from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function offsetMs(d: Date, timeZone: string): number {
  const p = localParts(d, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(d.getTime() / 1000) * 1000;
}

/** The instant of a local date and time; days and months out of range roll over (day 32 → next month). */
export function zonedInstant(timeZone: string, year: number, month: number, day: number, hour = 0, minute = 0): Date {
  // Guess the instant as if the zone were UTC, then correct by the zone's offset at that instant;
  // a second pass settles instants next to a daylight-saving change.
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = new Date(guess - offsetMs(new Date(guess), timeZone));
  return new Date(guess - offsetMs(first, timeZone));
}

/** "2026-11-22": the local date of an instant. */
export function localDateKey(d: Date, timeZone: string): string {
  const p = localParts(d, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** The local day [00:00, next 00:00) that `d` falls in, `offsetDays` days later (-1: yesterday). */
export function localDay(d: Date, timeZone: string, offsetDays = 0): { from: Date; to: Date; key: string } {
  const p = localParts(d, timeZone);
  const from = zonedInstant(timeZone, p.year, p.month, p.day + offsetDays);
  const to = zonedInstant(timeZone, p.year, p.month, p.day + offsetDays + 1);
  return { from, to, key: localDateKey(from, timeZone) };
}

/** The calendar month "2026-10" as [from, to) in the zone; null when the text is not a month. */
export function monthRange(month: string, timeZone: string): { from: Date; to: Date } | null {
  const m = /^(\d{4})-(\d{1,2})$/.exec(month.trim());
  if (!m || +m[2]! < 1 || +m[2]! > 12) return null;
  return { from: zonedInstant(timeZone, +m[1]!, +m[2]!, 1), to: zonedInstant(timeZone, +m[1]!, +m[2]! + 1, 1) };
}

/** "2026-10": the local month `offsetMonths` months from the one `d` falls in (-1: last month). */
export function localMonthKey(d: Date, timeZone: string, offsetMonths = 0): string {
  const p = localParts(d, timeZone);
  const first = new Date(Date.UTC(p.year, p.month - 1 + offsetMonths, 1));
  return `${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, "0")}`;
}
