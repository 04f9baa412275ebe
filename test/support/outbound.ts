/**
 * What the outbound suites with the sliding-window fake share (throttle.test.ts, pace.test.ts):
 * plain Telegram messages carrying a label, their rendering, and a drain that moves a test clock.
 */
import type { NewOutboxMessage, OutboxStore } from "../../src/core/outbox.js";
import type { RenderedReply } from "../../src/i18n/render.js";
import type { OutboxSender } from "../../src/infra/outbox/sender.js";

export const WITHIN_EVERY_LIMIT = { "bot 30/s": 0, "chat 1/s": 0, "group 20/min": 0 };

const FAR = new Date("3000-01-01T00:00:00Z");

export const msg = (chatId: string, label: string): NewOutboxMessage => ({
  kind: "message",
  to: { platform: "telegram", chatId },
  body: { locale: "zh-CN", text: [{ key: "common.raw", params: { text: label } }] },
});

/** A message's label as its text. */
export async function render(m: NewOutboxMessage): Promise<RenderedReply | null> {
  return m.kind === "message" ? { text: m.body.text.map((t) => String(t.params?.["text"])).join(" "), choices: [] } : null;
}

/** Drain; move the clock to the next pending message's time; again, until nothing is pending. */
export async function settle(s: OutboxSender, outbox: OutboxStore, clock: { now(): number; set(t: number): void }): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    await s.drainOnce();
    const [next] = await outbox.due(FAR, 1);
    if (!next) return;
    clock.set(Math.max(clock.now() + 250, next.nextAttemptAt.getTime()));
  }
  throw new Error("the outbox never emptied");
}
