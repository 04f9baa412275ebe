/**
 * Runs the scheduled jobs: on each tick, every slot of every job that has come since the job
 * last ran to the end. The ledger (JobRun) remembers where each job got to, so a slot missed while
 * the process was down is caught up at the next start, and a slot whose run failed is retried
 * with a growing pause and reported to the admins once, never dropped. Posts themselves are made
 * through the ledger's unique keys, so two instances ticking together, or a run repeated after a
 * crash, post once.
 */
import cron, { type ScheduledTask } from "node-cron";
import type { Clock } from "../core/time/clock.js";
import type { JobLedger, JobRunState } from "../core/scheduled/ledger.js";
import type { Logger } from "../core/logger.js";
import { cronSlots, type CronSlots } from "./cron.js";
import type { Job, JobDeps } from "./job.js";
import type { JobResult } from "../core/scheduled/run.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How far ahead the next slot is looked for (a monthly job's is at most 31 days away). */
const LOOKAHEAD_MS = 32 * DAY;

export interface ScheduledJob {
  readonly name: string;
  readonly cron: string;
  readonly job: Job;
  /**
   * "every": each missed slot is run (a digest per missed day); "latest": only the last one (a
   * sweep looks at the present anyway).
   */
  readonly catchUp: "every" | "latest";
  /** How far back missed slots are still caught up. */
  readonly catchUpWindowMs?: number;
}

export interface SchedulerDeps {
  readonly jobDeps: JobDeps;
  readonly ledger: JobLedger;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly logger: Logger;
  /** Tell the admins a job failed (once per failing slot); the scheduler keeps retrying it. */
  readonly reportFailure: (job: string, slot: Date, error: unknown, now: Date) => Promise<void>;
  /** A run made posts: their messages are in the outbox now (wake the sender). */
  readonly onPosted?: () => void;
}

export interface SlotRun {
  readonly job: string;
  readonly slot: Date;
  readonly outcome: { ok: true; result: JobResult } | { ok: false; error: string };
}

export interface Scheduler {
  /** Run everything due at `now`; returns what ran (for tests and logs). */
  tick(now?: Date): Promise<SlotRun[]>;
  /** Fire ticks on each job's cron (node-cron, in the time zone), after one catch-up tick now. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Retry pauses after a failure: 1, 2, 4 ... minutes, at most 30. */
export const retryDelayMs = (failures: number): number => Math.min(30, 2 ** Math.max(0, failures - 1)) * MINUTE;

export function createScheduler(deps: SchedulerDeps, jobs: readonly ScheduledJob[]): Scheduler {
  const slotsOf = new Map<string, CronSlots>(jobs.map((j) => [j.name, cronSlots(j.cron, deps.timeZone)]));
  const tasks: ScheduledTask[] = [];
  const known = new Map<string, JobRunState>();
  const upcoming = new Map<string, number>();

  async function runJob(spec: ScheduledJob, now: Date): Promise<SlotRun[]> {
    const runs: SlotRun[] = [];
    // Read once, then kept here: another instance's progress only makes us re-run a slot whose
    // posts the ledger then finds made, so a tick with nothing due costs no query at all.
    let state: JobRunState | null = known.get(spec.name) ?? (await deps.ledger.runState(spec.name));
    if (!state) {
      // First start ever: nothing was missed yet. A slot exactly at this moment still runs.
      state = { job: spec.name, lastSlotAt: new Date(now.getTime() - 1), failures: 0, lastError: null, nextRetryAt: null };
      await deps.ledger.saveRunState(state, now);
    }
    known.set(spec.name, state);
    if (state.nextRetryAt && state.nextRetryAt > now) return runs;
    const window = spec.catchUpWindowMs ?? DAY;
    // Matching minutes against a cron costs; once every slot up to now has run, the next one is
    // looked up once and every tick before it returns at once.
    if (state.failures === 0 && (upcoming.get(spec.name) ?? 0) > now.getTime()) return runs;
    const after = new Date(Math.max(state.lastSlotAt.getTime(), now.getTime() - window));
    const cron = slotsOf.get(spec.name)!;
    const slots = cron.between(after, now, spec.catchUp === "latest" ? 1 : 1000);
    for (const slot of slots) {
      try {
        const result = await spec.job(deps.jobDeps, now, slot);
        state = { job: spec.name, lastSlotAt: slot, failures: 0, lastError: null, nextRetryAt: null };
        known.set(spec.name, state);
        await deps.ledger.saveRunState(state, now);
        runs.push({ job: spec.name, slot, outcome: { ok: true, result } });
        deps.logger.info(`job ${spec.name} ran for ${slot.toISOString()}: ${result.posted} posted`, { job: spec.name, slot: slot.toISOString(), ...result });
        if (result.posted > 0) deps.onPosted?.();
      } catch (error) {
        const failures = state.failures + 1;
        const message = error instanceof Error ? error.message : String(error);
        // lastSlotAt stays put: this slot (and the ones after it) run again after the pause.
        state = { ...state, failures, lastError: message.slice(0, 500), nextRetryAt: new Date(now.getTime() + retryDelayMs(failures)) };
        known.set(spec.name, state);
        await deps.ledger.saveRunState(state, now);
        deps.logger.error(`job ${spec.name} failed for ${slot.toISOString()} (attempt ${failures})`, error);
        if (failures === 1) await deps.reportFailure(spec.name, slot, error, now).catch((e) => deps.logger.error("could not report a job failure", e));
        runs.push({ job: spec.name, slot, outcome: { ok: false, error: message } });
        return runs;
      }
    }
    upcoming.set(spec.name, cron.next(now, LOOKAHEAD_MS)?.getTime() ?? now.getTime() + LOOKAHEAD_MS);
    return runs;
  }

  async function tickOnce(now: Date): Promise<SlotRun[]> {
    const runs: SlotRun[] = [];
    for (const spec of jobs) {
      try {
        runs.push(...(await runJob(spec, now)));
      } catch (error) {
        // The ledger itself failed (database down): the next tick tries again from the same state.
        deps.logger.error(`scheduler could not run ${spec.name}`, error);
      }
    }
    return runs;
  }

  // Ticks run one after another. Live firings (no `now`) that pile up while one waits are
  // coalesced: all jobs' crons firing at 08:30 make one tick, which runs every due job.
  let chain: Promise<unknown> = Promise.resolve();
  let queued: Promise<SlotRun[]> | null = null;
  const tick = (now?: Date): Promise<SlotRun[]> => {
    if (now === undefined && queued) return queued;
    const run: Promise<SlotRun[]> = chain.then(() => {
      if (queued === run) queued = null;
      return tickOnce(now ?? deps.clock.now());
    });
    chain = run.catch(() => undefined);
    if (now === undefined) queued = run;
    return run;
  };

  return {
    tick,
    async start() {
      await tick();
      for (const spec of jobs) {
        const task = cron.schedule(spec.cron, () => void tick().catch((e) => deps.logger.error("scheduler tick failed", e)), {
          timezone: deps.timeZone,
          name: spec.name,
        });
        tasks.push(task);
      }
    },
    async stop() {
      for (const task of tasks.splice(0)) await task.destroy();
      await chain;
    },
  };
}
