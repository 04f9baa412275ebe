/**
 * A cheap first look at a minute before node-cron's matcher decides (cron.ts): does its local
 * hour and minute fit the expression's hour and minute fields at all?
 *
 * Why: node-cron's `match` converts every date to the time zone anew (about 45 µs a call), and
 * finding the monthly report's next slot tries every minute of 32 days. That was 0.65 s of CPU
 * at every start, while the first owners after a restart waited for their answers. The local
 * time is read once per UTC hour here (minutes within an hour follow by arithmetic, unless the
 * zone's offset changes inside it, where each minute is read), and only the minutes whose hour
 * and minute fit reach node-cron. A field this does not read (names, `?`, `L`) lets every minute
 * through, so node-cron always has the last word and a slot is never skipped here.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Hours remembered before the cache starts over (a month's lookahead is ~770). */
const CACHE_HOURS = 4_000;

export interface MinuteFilter {
  /** False only if the minute cannot match. */
  mayMatch(at: number): boolean;
}

export function minuteFilter(expression: string, timeZone: string): MinuteFilter {
  const fields = expression.trim().split(/\s+/);
  // node-cron takes an optional seconds field first.
  const [minuteField, hourField] = fields.length === 6 ? [fields[1], fields[2]] : [fields[0], fields[1]];
  const minutes = valuesOf(minuteField ?? "", 59);
  const hours = valuesOf(hourField ?? "", 23);
  if (!minutes && !hours) return { mayMatch: () => true };
  const local = localClock(timeZone);
  return {
    mayMatch(at) {
      const { hour, minute } = local(at);
      return (!minutes || minutes.has(minute)) && (!hours || hours.has(hour));
    },
  };
}

/** The values a plain cron field allows (`*`, `*\/n`, `a`, `a-b`, `a-b/n`, `a/n`, lists of them); null if it is anything else. */
export function valuesOf(field: string, max: number): Set<number> | null {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    const from = m[1] === "*" ? 0 : Number(m[2]);
    const to = m[1] === "*" ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (step < 1 || from > to || to > max) return null;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

interface LocalTime {
  readonly hour: number;
  readonly minute: number;
}

/** The local hour and minute of an instant in `timeZone`, read once per UTC hour. */
function localClock(timeZone: string): (at: number) => LocalTime {
  const format = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "numeric", hourCycle: "h23" });
  const read = (at: number): LocalTime => {
    let hour = 0;
    let minute = 0;
    for (const p of format.formatToParts(new Date(at))) {
      if (p.type === "hour") hour = Number(p.value) % 24;
      else if (p.type === "minute") minute = Number(p.value);
    }
    return { hour, minute };
  };
  const atHour = new Map<number, LocalTime>();
  const startOf = (hourStart: number): LocalTime => {
    let t = atHour.get(hourStart);
    if (!t) {
      if (atHour.size >= CACHE_HOURS) atHour.clear();
      t = read(hourStart);
      atHour.set(hourStart, t);
    }
    return t;
  };
  return (at) => {
    const hourStart = Math.floor(at / HOUR) * HOUR;
    const start = startOf(hourStart);
    const end = startOf(hourStart + HOUR);
    // The offset held for the whole hour: the next hour starts 60 local minutes later.
    const steady = (start.hour * 60 + start.minute + 60) % 1440 === end.hour * 60 + end.minute;
    if (!steady) return read(at);
    const total = start.hour * 60 + start.minute + Math.floor((at - hourStart) / MINUTE);
    return { hour: Math.floor(total / 60) % 24, minute: total % 60 };
  };
}
