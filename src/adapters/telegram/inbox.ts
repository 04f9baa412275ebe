/**
 * Telegram's updates kept before Telegram is told they arrived, and handled at the next start
 * when a crash stopped them (issue 10, item 1).
 *
 * Why: Telegram forgets an update once a getUpdates asks for a later offset, and
 * @grammyjs/runner asks again as soon as it has handed a batch on, while that batch is still
 * being handled (that is what lets one slow chat not hold up the others). A process killed then
 * lost the batch: Telegram would not send it again. The transformer below stores every fetched
 * batch before the runner sees it, so before its next poll can confirm it; `replayUnfinished`
 * hands a start the kept updates no mark says were handled. The mark (`RedeliveryGuard`) is
 * written with each update's effect, so an update is handled to the end once, whether it comes
 * from Telegram again or from here.
 *
 * Telegraf needs none of this: its polling asks for the next batch only once the last one was
 * handled. A webhook needs none either: Telegram sends again what was not answered with 200.
 */
import type { Transformer } from "grammy";
import type { Update } from "grammy/types";
import type { UpdateInbox } from "../../core/desk/inbound.js";
import type { Logger } from "../../core/logger.js";
import type { Clock } from "../../core/time/clock.js";

/** Telegram keeps an update it could not deliver for 24 hours; one older than that is not replayed. */
const REPLAY_WITHIN_MS = 24 * 3_600_000;

/**
 * A grammY API transformer: a getUpdates result is stored before it is returned. If storing
 * fails the poll fails with it, and the runner polls again at the same offset: Telegram sends
 * the batch again rather than it being handled unkept.
 */
export function keepFetchedUpdates(inbox: UpdateInbox, clock: Clock): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (method === "getUpdates" && result.ok) {
      const updates = result.result as Update[];
      if (updates.length > 0) {
        await inbox.keep("telegram", updates.map((u) => ({ id: String(u.update_id), body: JSON.stringify(u) })), clock.now());
      }
    }
    return result;
  };
}

/**
 * Handles, one after another and oldest first, the kept updates of the last 24 hours that no
 * mark says were handled; then forgets them, so a failing one is tried once more, not at every
 * start. Runs before polling starts: Telegram may send some of them again, and the mark each
 * gets here makes that redelivery a no-op. Returns how many it handed on.
 */
export async function replayUnfinished(
  inbox: UpdateInbox,
  clock: Clock,
  handle: (update: Update) => Promise<void>,
  logger: Logger,
): Promise<number> {
  const now = clock.now();
  const kept = await inbox.unfinished("telegram", new Date(now.getTime() - REPLAY_WITHIN_MS), now);
  for (const { id, body } of kept) {
    try {
      await handle(JSON.parse(body) as Update);
    } catch (e) {
      logger.error(`update ${id} failed again after a restart; given up`, e);
    }
  }
  if (kept.length > 0) {
    await inbox.forget("telegram", kept.map((u) => u.id));
    logger.info(`handled ${kept.length} update(s) a stopped process had fetched and not finished`);
  }
  return kept.length;
}
