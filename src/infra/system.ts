import { randomUUID } from "node:crypto";
import type { Clock } from "../core/time/clock.js";
import type { IdGenerator } from "../core/util/ids.js";

/** The real clock and ids; only `main.ts` and benchmarks use these, tests inject their own. */
export const systemClock: Clock = { now: () => new Date() };
export const uuidIds: IdGenerator = { next: () => randomUUID() };
