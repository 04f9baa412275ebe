import { randomUUID } from "node:crypto";
import type { Clock, IdGenerator } from "../core/ports.js";

/** The real clock and ids; only `main.ts` and benchmarks use these, tests inject their own. */
export const systemClock: Clock = { now: () => new Date() };
export const uuidIds: IdGenerator = { next: () => randomUUID() };
