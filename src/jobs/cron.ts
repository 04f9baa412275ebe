/**
 * Cron expressions as node-cron reads them, for the scheduler: which slots of an expression fall
 * in a time range (to catch up runs missed while the process was down), in the configured time
 * zone. node-cron's own matcher decides, so a live firing and a caught-up slot always agree.
 */
import cron from "node-cron";
import { minuteFilter } from "./cron-prefilter.js";

const MINUTE = 60_000;

export interface CronSlots {
  /** Slots in (after, upTo], oldest first; at most `limit` of the latest. */
  between(after: Date, upTo: Date, limit: number): Date[];
  /** The first slot after `after`, looking no further than `withinMs`; null if none is that close. */
  next(after: Date, withinMs: number): Date | null;
  readonly expression: string;
}

export function cronSlots(expression: string, timeZone: string): CronSlots {
  if (!cron.validate(expression)) throw new Error(`not a cron expression: "${expression}"`);
  // A task that is never started: only its matcher is used (slots are whole minutes).
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
  const filter = minuteFilter(expression, timeZone);
  return {
    expression,
    between(after, upTo, limit) {
      const slots: Date[] = [];
      let m = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
      for (; m <= upTo.getTime(); m += MINUTE) {
        const d = new Date(m);
        if (filter.mayMatch(m) && task.match(d)) {
          slots.push(d);
          if (slots.length > limit) slots.shift();
        }
      }
      return slots;
    },
    next(after, withinMs) {
      const end = after.getTime() + withinMs;
      for (let m = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE; m <= end; m += MINUTE) {
        if (filter.mayMatch(m) && task.match(new Date(m))) return new Date(m);
      }
      return null;
    },
  };
}

/** For configuration: is this an expression node-cron accepts? */
export const isCronExpression = (expression: string): boolean => cron.validate(expression);
