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
