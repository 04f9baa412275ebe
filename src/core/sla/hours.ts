/**
 * Business-hours arithmetic in an IANA time zone, with Intl only. A clock that runs only in
 * business hours (the time to claim a ticket, the first reply to the owner) pauses at closing
 * and resumes at the next opening. Default: 08:30-18:00 every day, as the hotline is on duty
 * 365 days a year (seed 002 §5.1). Local dates and instants come from src/core/time/zone.ts.
 */
import { localParts, zonedInstant } from "../time/zone.js";

const MINUTE = 60_000;
/** More local days than any SLA clock can span; a bound that stops a bad policy from looping. */
const MAX_DAYS = 3_700;

/** 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const ALL_WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

export interface BusinessHours {
  readonly timeZone: string;
  /** Minutes after local midnight the desk opens (08:30 → 510). */
  readonly open: number;
  /** Minutes after local midnight it closes (18:00 → 1080); up to 1440, after `open`. */
  readonly close: number;
  /** The weekdays that have hours. */
  readonly days: readonly IsoWeekday[];
}

/** A calendar date in some zone. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** True for a zone Intl knows (Asia/Shanghai, UTC); false for anything else. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function weekdayOf(date: LocalDate): IsoWeekday {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7) as IsoWeekday;
}

const nextDate = (date: LocalDate): LocalDate => {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};

/** The day's business window as instants, or null on a day without hours. */
function windowOf(date: LocalDate, hours: BusinessHours): { open: number; close: number } | null {
  if (!hours.days.includes(weekdayOf(date))) return null;
  const at = (minute: number) => zonedInstant(hours.timeZone, date.year, date.month, date.day, 0, minute).getTime();
  return { open: at(hours.open), close: at(hours.close) };
}

/** Open at `at`: a business day, at or after opening and before closing. */
export function isWithinHours(at: Date, hours: BusinessHours): boolean {
  const window = windowOf(localParts(at, hours.timeZone), hours);
  return window !== null && window.open <= at.getTime() && at.getTime() < window.close;
}

/**
 * When `minutes` business minutes have run from `from`. Started outside hours, the clock waits
 * for the next opening; a duration that ends exactly at closing ends at closing, not the next
 * morning. Zero or fewer minutes is `from` itself.
 */
export function addBusinessMinutes(from: Date, minutes: number, hours: BusinessHours): Date {
  if (minutes <= 0) return from;
  let remaining = minutes * MINUTE;
  let date: LocalDate = localParts(from, hours.timeZone);
  for (let i = 0; i < MAX_DAYS; i++, date = nextDate(date)) {
    const window = windowOf(date, hours);
    if (!window) continue;
    const start = Math.max(from.getTime(), window.open);
    if (start >= window.close) continue;
    if (remaining <= window.close - start) return new Date(start + remaining);
    remaining -= window.close - start;
  }
  throw new Error(`addBusinessMinutes: ${minutes} business minutes do not fit in ${MAX_DAYS} days`);
}

/** "08:30" for 510; "24:00" for 1440. */
export function clockText(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
}
