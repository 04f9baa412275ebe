/**
 * What the throttle tests share (test/infra/outbox/throttle.test.ts, the one-throttle test of
 * test/adapters/telegram/pace.test.ts): a clock only the test moves, whose `sleep` moves it; the
 * outbox sender on that clock over a real store, sending into the sliding-window fake; and
 * `settle`, which drains and jumps the clock to the next pending message until none is left.
 */
import type { Clock } from "../../src/core/time/clock.js";
import { createOutboxSender, type OutboxSender, type OutboxSenderDeps } from "../../src/infra/outbox/sender.js";
import { createSendLedger } from "../../src/infra/prisma/outbox.js";
import { renderLabel, SlidingWindowTransport, type CountedCall } from "../fakes/sliding-window.js";
import type { TestStore } from "./db.js";
import { quietLogger } from "./logger.js";

const FAR = new Date("3000-01-01T00:00:00Z");

export class TestClockSender {
  /** The test's time, ms since the epoch: only the test and `sleep` move it. */
  t: number;
  readonly clock: Clock = { now: () => new Date(this.t) };
  readonly sleep = async (ms: number): Promise<void> => {
    this.t += ms;
  };

  constructor(
    private readonly opened: TestStore,
    start: number,
  ) {
    this.t = start;
  }

  /** A sender with the store's ledger, its Telegram transport logging each call into `calls`. */
  sender(calls: CountedCall[], over: Partial<OutboxSenderDeps> = {}): OutboxSender {
    const transport = new SlidingWindowTransport("telegram", () => this.t, calls);
    const { store, outbox } = this.opened;
    return createOutboxSender({ outbox, store, transports: [transport], render: renderLabel, clock: this.clock, sleep: this.sleep, logger: quietLogger, ledger: this.opened.use(createSendLedger), ...over });
  }

  /** Drain; move the clock to the next pending message's time; again, until nothing is pending. */
  async settle(s: OutboxSender): Promise<void> {
    for (let i = 0; i < 2_000; i++) {
      await s.drainOnce();
      const [next] = await this.opened.outbox.due(FAR, 1);
      if (!next) return;
      this.t = Math.max(this.t + 250, next.nextAttemptAt.getTime());
    }
    throw new Error("the outbox never emptied");
  }
}
