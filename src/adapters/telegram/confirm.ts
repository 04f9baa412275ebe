/**
 * Telegram forgets an update once a getUpdates asks for an offset past it. @grammyjs/runner
 * fetches the next batch while the last one is still being handled, so a process killed
 * mid-turn had already told Telegram it was done with the updates in flight, and they were never
 * delivered again (issue 10, item 1). This keeps the offset at the first update still being
 * handled: the ones in flight stay with Telegram until they are done, and a restarted bot gets
 * them again (the redelivery guard in handle.ts skips those whose effect was stored).
 *
 * Updates a poll returns that are already in hand are not handed out twice. A poll that brings
 * only those waits for one of them to finish (briefly) before asking again, so the fetch loop
 * does not spin while a slow update is being handled.
 */
import type { Context, NextFunction, Transformer } from "grammy";
import type { Update } from "grammy/types";

/** How long a poll that brought nothing new waits for an update in hand to finish before asking again. */
const RECHECK_MS = 200;

export class ConfirmWhenHandled {
  /** Handed out and not finished. */
  private readonly inFlight = new Set<number>();
  /** The highest update id handed out: everything up to it is in flight or done. */
  private highest = -1;
  private wake: (() => void) | null = null;

  /** The middleware that tells when an update's handling is over, whatever its outcome. */
  readonly track = async (ctx: Context, next: NextFunction): Promise<void> => {
    try {
      await next();
    } finally {
      this.inFlight.delete(ctx.update.update_id);
      this.wake?.();
    }
  };

  /** The API transformer: getUpdates asks only past what is done, and returns only what is new. */
  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    if (method !== "getUpdates") return prev(method, payload, signal);
    for (;;) {
      const asked = payload as { offset?: number };
      const offset = this.inFlight.size > 0 ? Math.min(...this.inFlight) : Math.max(asked.offset ?? 0, this.highest + 1);
      const result = await prev(method, { ...payload, offset } as typeof payload, signal);
      if (!result.ok) return result;
      const updates = result.result as unknown as Update[];
      const fresh = updates.filter((u) => u.update_id > this.highest);
      if (fresh.length > 0 || updates.length === 0) {
        for (const u of fresh) this.inFlight.add(u.update_id);
        this.highest = Math.max(this.highest, ...fresh.map((u) => u.update_id));
        return { ...result, result: fresh as unknown as typeof result.result };
      }
      await this.somethingFinished(signal);
    }
  };

  /** grammY's signal type is its own (an abort-controller polyfill's); this is all that is used of it. */
  private somethingFinished(signal: Pick<AbortSignal, "addEventListener" | "removeEventListener"> | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, RECHECK_MS);
      signal?.addEventListener("abort", done);
      this.wake = done;
    });
  }
}
