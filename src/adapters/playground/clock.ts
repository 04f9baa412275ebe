/**
 * The playground's own time: the real clock plus an offset that only moves forward, so the
 * overdue ladder, the 08:30 digest and the month's report can be reached in a minute. It is
 * handed to this playground's desks, sender and jobs only; a real deployment's clock is never it.
 */
import type { Clock } from "../../core/time/clock.js";
import { localParts, zonedInstant } from "../../core/time/zone.js";

export const CLOCK_STEPS = ["hour", "morning", "month"] as const;
export type ClockStep = (typeof CLOCK_STEPS)[number];

export class MovableClock implements Clock {
  constructor(
    private readonly real: Clock,
    private offset = 0,
  ) {}

  now(): Date {
    return new Date(this.real.now().getTime() + this.offset);
  }

  /** How far ahead of the real time the playground is, in ms (kept across restarts). */
  offsetMs(): number {
    return this.offset;
  }

  /** Never backwards: tickets, deadlines and the jobs' ledger assume time only grows. */
  moveTo(at: Date): void {
    this.offset = Math.max(this.offset, at.getTime() - this.real.now().getTime());
  }
}

/**
 * Where a step lands: an hour on; 08:30 tomorrow (the digest and the shift handover, seed 000
 * §3 item 4); 09:00 on the 1st of next month (the monthly statistics), local to the property.
 */
export function stepTarget(step: ClockStep, now: Date, timeZone: string): Date {
  if (step === "hour") return new Date(now.getTime() + 3_600_000);
  const p = localParts(now, timeZone);
  if (step === "morning") return zonedInstant(timeZone, p.year, p.month, p.day + 1, 8, 30);
  return zonedInstant(timeZone, p.year, p.month + 1, 1, 9, 0);
}
