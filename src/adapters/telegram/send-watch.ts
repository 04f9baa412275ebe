/**
 * Carries a send's watch (src/core/desk/journal.ts `SendWatch`) from whoever sends an owner's
 * reply, through grammY's transformers, to the HTTP request that writes it (bot-api-fetch.ts),
 * so the journal notes the send at the moment its bytes leave the process: not before, while it
 * waits for the throttle's slot, nor after, while its answer waits behind a synced commit.
 *
 * grammY hands its fetch no per-call context but the body it has already serialised. So the
 * sender registers the watch under the message's chat and text for the length of its call, the
 * innermost transformer finds it by the payload's, and hands it to the fetch through one
 * variable. That is sound because nothing awaits between: grammY's client runs synchronously
 * from the innermost transformer's `prev` to its fetch, and the fetch takes the watch as it
 * starts. (Not a symbol-keyed field in the payload: a payload of another shape than grammY's
 * other calls cost the Telegram bench a third more CPU a message, most of it recompiling.)
 */
import type { Transformer } from "grammy";
import type { SendWatch } from "../../core/desk/journal.js";

/** Watches of the sends under way, by chat and text: a chat's sends go one at a time. */
const registered = new Map<string, SendWatch>();
const keyOf = (chatId: unknown, text: unknown): string => `${String(chatId)}\n${String(text)}`;

/** The watch of the call now between the innermost transformer and the fetch; null otherwise. */
let handed: SendWatch | null = null;

/** Installed first, so innermost: the last thing before grammY's client. */
export function watchedSends(): Transformer {
  return (prev, method, payload, signal) => {
    if (registered.size === 0 || method !== "sendMessage") return prev(method, payload, signal);
    const p = payload as { chat_id?: unknown; text?: unknown };
    const watch = registered.get(keyOf(p.chat_id, p.text));
    if (!watch) return prev(method, payload, signal);
    handed = watch;
    try {
      return prev(method, payload, signal);
    } finally {
      handed = null;
    }
  };
}

/** For the fetch, synchronously as it starts: the watch of the call it makes, if any. */
export function takeSendWatch(): SendWatch | null {
  const watch = handed;
  handed = null;
  return watch;
}

/** Makes `send` (a sendMessage of `text` to `chatId`) with `watch` told of its request. */
export async function watchedSend<T>(chatId: number | string, text: string, watch: SendWatch | undefined, send: () => Promise<T>): Promise<T> {
  if (!watch) return send();
  const key = keyOf(chatId, text);
  registered.set(key, watch);
  try {
    return await send();
  } finally {
    if (registered.get(key) === watch) registered.delete(key);
  }
}
