/**
 * Reads the time a staff member promises the owner (跟清楚: "fix the next reply time"), as they
 * type it in a group: "2h", "30分钟", "18:00", "明天 10:00", "tomorrow 9:30", "2026-11-24 10:00".
 * Clock times are in the property's time zone.
 */

import { localParts, zonedInstant } from "../time/zone.js";

export type WhenResult = { ok: true; at: Date } | { ok: false };

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000, min: 60_000, mins: 60_000, 分: 60_000, 分钟: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000, 小时: 3_600_000, 个小时: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000, 天: 86_400_000,
};

export function parseWhen(input: string, now: Date, timeZone: string): WhenResult {
  const s = input.trim().toLowerCase().replace(/：/g, ":").replace(/\s+/g, " ");
  const rel = /^(\d{1,3}(?:\.\d)?) ?(m|min|mins|分钟?|h|hr|hrs|hours?|个?小时|d|days?|天)(?:后|later)?$/.exec(s);
  if (rel) {
    const ms = Number(rel[1]) * (UNIT_MS[rel[2]!] ?? NaN);
    return ms > 0 ? { ok: true, at: new Date(now.getTime() + ms) } : { ok: false };
  }
  const today = localParts(now, timeZone);
  const full = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2})$/.exec(s);
  if (full) return at(timeZone, +full[1]!, +full[2]!, +full[3]!, +full[4]!, +full[5]!);
  const clock = /^(今天|明天|后天|today|tomorrow)? ?(\d{1,2}):(\d{2})$/.exec(s) ?? /^(今天|明天|后天)(\d{1,2})点(半)?$/.exec(s);
  if (!clock) return { ok: false };
  const hour = +clock[2]!;
  const minute = clock[3] === "半" ? 30 : clock[3] === undefined ? 0 : +clock[3];
  const dayWord = clock[1];
  const plus = dayWord === "明天" || dayWord === "tomorrow" ? 1 : dayWord === "后天" ? 2 : 0;
  let result = at(timeZone, today.year, today.month, today.day + plus, hour, minute);
  // A bare "18:00" that has passed today means tomorrow.
  if (result.ok && !dayWord && result.at.getTime() <= now.getTime()) {
    result = at(timeZone, today.year, today.month, today.day + 1, hour, minute);
  }
  return result;
}

function at(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): WhenResult {
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || day < 1 || day > 33) return { ok: false };
  return { ok: true, at: zonedInstant(timeZone, year, month, day, hour, minute) };
}

/**
 * A callback's record and the next callback time typed after it: "门口仍渗水 next 明天 10:00" is the
 * note "门口仍渗水" and the time "明天 10:00" (read by parseWhen in the property's zone).
 */
export function splitNext(text: string): { note: string; next?: string } {
  const m = /^(.*?)(?:^|\s)(?:next|下次回访)\s+(\S.*)$/is.exec(text.trim());
  return m ? { note: m[1]!.trim(), next: m[2]!.trim() } : { note: text.trim() };
}
