/**
 * One owner's full repair intake, and an owner desk that counts what went wrong: shared by the
 * intake bench and the test that holds PostgreSQL to 1,000 owners in flight (issue 16, item 4),
 * so the test drives exactly what the bench measures.
 */
import { OwnerDesk } from "../src/core/desk/owner-desk.js";
import type { InboundBody } from "../src/core/messages.js";
import type { Stores } from "../src/infra/prisma/store.js";
import { systemClock, uuidIds } from "../src/infra/system.js";

/** Owner `i`'s messages, from the first complaint to the confirmation that files the ticket (11, one photo). */
export function intakeScript(i: number): InboundBody[] {
  const text = (t: string): InboundBody => ({ type: "text", text: t });
  return [
    text("楼上漏水,我家天花板都泡了,墙皮也掉了"),
    text("1"),
    text(`${1 + (i % 30)}-${1000 + i}`),
    text("张三"),
    text(`138${String(i).padStart(8, "0")}`),
    text("1"),
    text("昨天晚上"),
    { type: "photo", fileRef: `bench:${i}` },
    text("1"),
    text("明天上午"),
    text("1"),
  ];
}

export const MESSAGES_PER_OWNER = intakeScript(0).length;

export interface CountingDesk {
  /** One owner message through the desk, on the console channel. */
  send(owner: string, body: InboundBody): Promise<void>;
  /** Turns whose reply was the internal-error text. */
  readonly failedTurns: number;
  /** Errors and warnings logged, with their causes: the desk logs a failed turn as an error first. */
  readonly logged: readonly string[];
}

/**
 * The owner desk as main.ts builds it for the console (system clock, uuids), with a logger that
 * keeps errors and warnings: anything logged means a turn left the path being measured.
 */
export function countingDesk(store: Stores): CountingDesk {
  const logged: string[] = [];
  const keep = (message: string, error?: unknown) => void logged.push(error === undefined ? message : `${message}: ${String(error)}`);
  const desk = new OwnerDesk({
    store,
    clock: systemClock,
    ids: uuidIds,
    logger: { error: keep, warn: keep, info: () => undefined, debug: () => undefined },
  });
  let failedTurns = 0;
  return {
    async send(owner, body) {
      const outcome = await desk.handle({ channel: "console", conversationKey: `bench:${owner}`, sender: { platformUserId: owner }, body });
      if (outcome.replies.some((r) => r.text.some((t) => t.key === "error.internal"))) failedTurns++;
    },
    get failedTurns() {
      return failedTurns;
    },
    logged,
  };
}

/** `owners` owners through `run`, `count` of them in flight: a new one starts whenever one has finished. */
export async function inFlight(count: number, owners: number, run: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: count }, async () => {
      for (let i = next++; i < owners; i = next++) await run(i);
    }),
  );
}

/**
 * Owners arriving steadily, `rate` messages a second offered in all, each answering a second after
 * the previous question: each move has a due time (its owner's arrival plus a second per earlier
 * move), and `answered` is told it with the moment the reply came. An owner never sends before
 * their reply came, so a late reply makes every later move late. Returns when it started.
 */
export async function pacedOwners(o: {
  readonly owners: number;
  readonly rate: number;
  readonly script: (i: number) => readonly InboundBody[];
  readonly send: (i: number, body: InboundBody) => Promise<void>;
  readonly answered: (move: number, due: number, done: number) => void;
}): Promise<number> {
  const arrivalGapMs = arrivalGap(o.rate);
  const t0 = performance.now();
  const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
  await Promise.all(
    Array.from({ length: o.owners }, async (_, i) => {
      const arrival = t0 + i * arrivalGapMs;
      for (const [k, body] of o.script(i).entries()) {
        const due = arrival + k * ANSWER_GAP_MS;
        await sleepUntil(due);
        await o.send(i, body);
        o.answered(k, due, performance.now());
      }
    }),
  );
  return t0;
}

/** How long a paced owner takes to answer each question. */
export const ANSWER_GAP_MS = 1000;

/** Milliseconds between paced owners' arrivals, for `rate` messages a second offered in all. */
export const arrivalGap = (rate: number): number => (1000 * MESSAGES_PER_OWNER) / rate;
