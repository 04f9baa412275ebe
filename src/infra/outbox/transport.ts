/**
 * What the outbox sender needs from a chat platform. Each adapter (Telegram, Slack...) implements
 * it over its SDK and sorts the platform's errors into these few kinds, which decide what the
 * sender does next; a transport never retries or sleeps itself.
 */
import type { SendWatch } from "../../core/desk/journal.js";
import type { Channel } from "../../core/messages.js";
import type { RenderedReply } from "../../i18n/render.js";

export type SendResult =
  | { ok: true; messageId: string }
  /** A 429: wait `retryAfterMs` (Telegram's retry_after, Slack's Retry-After, in ms). */
  | { ok: false; kind: "rate_limited"; retryAfterMs: number }
  /**
   * Sending there can never work again: the bot was removed from the group or blocked by the
   * user, the chat was not found (Slack channel_not_found, not_in_channel, is_archived).
   * From `edit`: the message to edit no longer exists; the sender then posts anew.
   */
  | { ok: false; kind: "gone"; error: string }
  /** Anything else (5xx, network, a 400 we did not expect): retried with backoff. */
  | { ok: false; kind: "failed"; error: string };

/** A file as a transport uploads it. */
export interface DocumentFile {
  readonly filename: string;
  readonly mediaType: string;
  readonly bytes: Uint8Array;
  /** Shown with the file; null for none. */
  readonly caption: string | null;
}

export interface SendOpts {
  /**
   * The id of the ticket's card in this chat, for a message about that ticket; a platform with
   * threads (Slack) replies in the card's thread, one without may ignore it.
   */
  readonly threadOf?: string;
  /**
   * The journal's watch (src/core/desk/journal.ts): told when the request that completes the
   * message is written and when one fails. A transport that cannot tell the moment ignores it,
   * and its messages stay at least once across a kill.
   */
  readonly watch?: SendWatch;
}

export interface Transport {
  readonly platform: Channel;
  send(chatId: string, message: RenderedReply, opts: SendOpts): Promise<SendResult>;
  /** Replace a message's text and buttons. "Not modified" (same content) is success, not failure. */
  edit(chatId: string, messageId: string, message: RenderedReply): Promise<SendResult>;
  /**
   * Upload a file to the chat. Optional so that a platform without files (and the tests' bare
   * transports) still sends messages; the sender gives a document up where it is missing.
   */
  sendDocument?(chatId: string, file: DocumentFile): Promise<SendResult>;
  /** private chat or group, for the per-chat limit */
  chatKind(chatId: string): "private" | "group";
}
