/**
 * A chat platform that only counts: every call it receives (send, edit, document) is timestamped
 * and accepted, and afterwards it says how many sliding windows held more than a limit allows,
 * the way the platform itself would see it. Windows are closed intervals: a window of 1 s holds
 * every call from t to t + 1000 ms inclusive, so two calls exactly 1 s apart share one.
 *
 * Telegram-like chat ids: a negative id is a group. Several transports may share one `calls` log,
 * as the senders of several instances share one bot.
 */
import type { Channel } from "../../src/core/messages.js";
import type { NewOutboxMessage } from "../../src/core/outbox.js";
import type { RenderedReply } from "../../src/i18n/render.js";
import type { DocumentFile, SendResult, Transport } from "../../src/infra/outbox/transport.js";

export interface CountedCall {
  readonly chatId: string;
  readonly at: number;
  readonly text: string;
}

/** A limit as the platform enforces it: at most `count` calls in any `perMs`. */
export interface Limit {
  readonly name: string;
  readonly count: number;
  readonly perMs: number;
  /** All calls of the bot, or each chat (of a kind) on its own. */
  readonly per: "bot" | "private" | "group" | "chat";
}

/** Telegram's documented limits (about 30/s for the bot, 1/s in a chat, 20/min in a group). */
export const TELEGRAM_LIMITS: readonly Limit[] = [
  { name: "bot 30/s", count: 30, perMs: 1_000, per: "bot" },
  { name: "chat 1/s", count: 1, perMs: 1_000, per: "chat" },
  { name: "group 20/min", count: 20, perMs: 60_000, per: "group" },
];

export const isGroup = (chatId: string): boolean => chatId.startsWith("-");

/** A Telegram message whose text is `label`, so the log tells the calls apart. */
export const labelled = (chatId: string, label: string): NewOutboxMessage => ({
  kind: "message",
  to: { platform: "telegram", chatId },
  body: { locale: "zh-CN", text: [{ key: "common.raw", params: { text: label } }] },
});

/** The sender's `render` for `labelled` messages: their label, no buttons. */
export async function renderLabel(m: NewOutboxMessage): Promise<RenderedReply | null> {
  return m.kind === "message" ? { text: m.body.text.map((t) => String(t.params?.["text"])).join(" "), choices: [] } : null;
}

export class SlidingWindowTransport implements Transport {
  private ids = 0;

  constructor(
    readonly platform: Channel,
    private readonly now: () => number,
    readonly calls: CountedCall[] = [],
  ) {}

  chatKind(chatId: string): "private" | "group" {
    return isGroup(chatId) ? "group" : "private";
  }

  send(chatId: string, message: RenderedReply): Promise<SendResult> {
    return this.count(chatId, message.text);
  }

  edit(chatId: string, _messageId: string, message: RenderedReply): Promise<SendResult> {
    return this.count(chatId, message.text);
  }

  sendDocument(chatId: string, file: DocumentFile): Promise<SendResult> {
    return this.count(chatId, file.filename);
  }

  private async count(chatId: string, text: string): Promise<SendResult> {
    this.calls.push({ chatId, at: this.now(), text });
    return { ok: true, messageId: String(++this.ids) };
  }
}

/**
 * How many windows hold more than `count` of `times`: each call that opens a window (from it,
 * `perMs` long) with `count` more calls in it counts once.
 */
export function windowsOver(times: readonly number[], count: number, perMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let over = 0;
  for (let i = 0; i + count < sorted.length; i++) if (sorted[i + count]! - sorted[i]! <= perMs) over++;
  return over;
}

/** The most calls any one window of `perMs` holds. */
export function fullestWindow(times: readonly number[], perMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! > perMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

/** The windows over each limit, by the limit's name; 0 everywhere is what a sender must achieve. */
export function overLimits(calls: readonly CountedCall[], limits: readonly Limit[] = TELEGRAM_LIMITS): Record<string, number> {
  const byChat = new Map<string, number[]>();
  for (const c of calls) byChat.set(c.chatId, [...(byChat.get(c.chatId) ?? []), c.at]);
  const result: Record<string, number> = {};
  for (const limit of limits) {
    if (limit.per === "bot") {
      result[limit.name] = windowsOver(calls.map((c) => c.at), limit.count, limit.perMs);
      continue;
    }
    let over = 0;
    for (const [chatId, times] of byChat) {
      if (limit.per === "group" && !isGroup(chatId)) continue;
      if (limit.per === "private" && isGroup(chatId)) continue;
      over += windowsOver(times, limit.count, limit.perMs);
    }
    result[limit.name] = over;
  }
  return result;
}

/** The most calls in one calendar second (what per-second bookkeeping sees). */
export function fullestCalendarSecond(calls: readonly CountedCall[]): number {
  const perSecond = new Map<number, number>();
  for (const c of calls) perSecond.set(Math.floor(c.at / 1000), (perSecond.get(Math.floor(c.at / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}
