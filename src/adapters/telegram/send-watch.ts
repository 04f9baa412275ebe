/**
 * Carries a send's watch (src/core/desk/journal.ts `SendWatch`) from whoever sends an owner's
 * reply, through grammY's transformers, to the HTTP request that writes it (bot-api-fetch.ts),
 * so the journal notes the send at the moment its bytes leave the process: not before, while it
 * waits for the throttle's slot, nor after, while its answer waits behind a synced commit.
 *
 * grammY hands its fetch no per-call context but the body it has already serialised, so the
 * watch rides in the payload under a symbol (JSON leaves symbol keys out of the body) and the
 * innermost transformer hands it to the fetch through one variable. That is sound because
 * nothing awaits between: grammY's client runs synchronously from the innermost transformer's
 * `prev` to its fetch, and the fetch takes the watch as it starts.
 */
import type { Transformer } from "grammy";
import type { SendWatch } from "../../core/desk/journal.js";

/** The payload key a watched call carries its watch under (grammY copies it from `other`). */
export const SEND_WATCH = Symbol("guanjia.sendWatch");

/** The watch of the call now between the innermost transformer and the fetch; null otherwise. */
let handed: SendWatch | null = null;

/** Installed first, so innermost: the last thing before grammY's client. */
export function watchedSends(): Transformer {
  return (prev, method, payload, signal) => {
    const watch = (payload as { [SEND_WATCH]?: SendWatch } | undefined)?.[SEND_WATCH];
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

/** `options` with `watch` under SEND_WATCH, for a grammY call's `other`. */
export function watched<T extends object>(options: T, watch: SendWatch | undefined): T {
  return watch ? { ...options, [SEND_WATCH]: watch } : options;
}
