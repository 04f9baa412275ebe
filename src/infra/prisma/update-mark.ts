/**
 * A staff action's update marked processed in the transaction of the action's own write (issue
 * 10, item 1): a process killed after a note, a reply or a callback was stored, and before the
 * adapter marked the update, would otherwise record it again when the platform sent the update
 * again. Each staff action stores its effect in one ticket write (`appendEvent` or
 * `applyTransition`, src/core/staff/workflow.ts), so that write is where the mark goes.
 *
 * The core knows nothing of transactions, so the mark travels beside the call: the desk wrapper
 * below holds it in an AsyncLocalStorage for the turn, and the ticket writes (tickets.ts) take it
 * into their transaction with `markWithin`. An action that writes no ticket (a list, a refusal) is
 * marked by the adapter after it, as before.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { StaffDeskPort } from "../../core/desk/inbound.js";
import type { Channel, Outcome } from "../../core/messages.js";
import { localeFromLanguageCode } from "../../core/text.js";
import type { Clock } from "../../core/time/clock.js";
import { isUniqueViolation, type Tx } from "./db.js";

interface PendingMark {
  readonly platform: Channel;
  readonly updateId: string;
  readonly at: Date;
}

const pending = new AsyncLocalStorage<PendingMark>();
/**
 * Staff actions running under `pending`. On Node 20 an enabled AsyncLocalStorage installs promise
 * hooks that every promise of the process pays for (issue 16, item 2: ~3 % of the Telegram bench's
 * CPU, owners' turns included); once none runs it is disabled, and the next `run` enables it again.
 */
let running = 0;

/** Thrown out of a ticket write whose update another process (or a redelivery) already handled: nothing is written. */
class UpdateAlreadyHandled extends Error {
  constructor(readonly mark: PendingMark) {
    super(`update ${mark.platform}:${mark.updateId} was already handled`);
  }
}

/** Inside a ticket write's transaction: stores the turn's update mark with it, if the turn has one. */
export async function markWithin(tx: Tx): Promise<void> {
  const mark = pending.getStore();
  if (!mark) return;
  try {
    await tx.processedUpdate.create({ data: { platform: mark.platform, updateId: mark.updateId, at: mark.at } });
  } catch (e) {
    if (isUniqueViolation(e)) throw new UpdateAlreadyHandled(mark);
    throw e;
  }
}

/**
 * The staff desk with its writes marking the update. An update found handled when the write
 * tried to mark it (a redelivery raced the first delivery) answers nothing: the first answered.
 */
export function markingStaffDesk(desk: StaffDeskPort, clock: Clock): StaffDeskPort {
  return {
    ...(desk.addressed ? { addressed: desk.addressed.bind(desk) } : {}),
    ...(desk.attach ? { attach: desk.attach.bind(desk) } : {}),
    async handle(inbound, update) {
      if (update === undefined) return desk.handle(inbound);
      const mark: PendingMark = { platform: inbound.channel, updateId: update, at: clock.now() };
      running++;
      try {
        return await pending.run(mark, () => desk.handle(inbound, update));
      } catch (e) {
        if (e instanceof UpdateAlreadyHandled) return { locale: localeFromLanguageCode(inbound.sender.languageCode), replies: [] } satisfies Outcome;
        throw e;
      } finally {
        if (--running === 0) pending.disable();
      }
    },
  };
}
