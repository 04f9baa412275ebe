/**
 * Outbound messages as data. They are stored in the same transaction as the change that caused
 * them (a claim, a resolution...), then sent by the outbox sender, which throttles to the
 * platform's limits, honours 429s, retries and survives restarts: a change is never committed
 * while its message is lost, nor a message sent for a change that rolled back.
 */
import type { ChatRef, Choice } from "./messages.js";
import type { Locale, Text } from "./text.js";

export interface OutboxText {
  readonly locale: Locale;
  readonly text: readonly Text[];
  readonly choices?: readonly Choice[];
}

/**
 * A file to deliver (the monthly statistics workbook, its CSV), built when the message is made
 * so the file and the figures posted beside it are of the same moment.
 */
export interface OutboxDocument {
  readonly locale: Locale;
  /** The caption, rendered at send time like a message's text; empty for none. */
  readonly text: readonly Text[];
  readonly filename: string;
  /** The file's media type, e.g. "text/csv; charset=utf-8". */
  readonly mediaType: string;
  /** The file's bytes, base64: the outbox keeps messages as JSON text on both databases. */
  readonly base64: string;
}

export type NewOutboxMessage =
  /** A message, rendered at send time in `locale`; in the ticket card's thread when `ticketId` is set (Slack). */
  | { readonly kind: "message"; readonly to: ChatRef; readonly ticketId?: string; readonly body: OutboxText }
  /** Post the ticket's staff card, or edit it in place if it was posted to this chat before. */
  | { readonly kind: "card"; readonly to: ChatRef; readonly ticketId: string }
  /** Send a file. No ticket: a document belongs to a report, not to one ticket's thread. */
  | { readonly kind: "document"; readonly to: ChatRef; readonly ticketId?: undefined; readonly body: OutboxDocument };

export interface OutboxRecord {
  readonly id: string;
  readonly message: NewOutboxMessage;
  /** Failed tries so far; a 429 is not the message's fault and does not count. */
  readonly attempts: number;
  readonly createdAt: Date;
  /** When it may be tried; a lease moves it past the lease's end. Given back to `lease` as proof of what was read. */
  readonly nextAttemptAt: Date;
}

export interface OutboxStore {
  /** Pending messages whose time has come, oldest first. */
  due(now: Date, limit: number): Promise<OutboxRecord[]>;
  /**
   * The first pending message of each chat, if its time has come; oldest first. A message never
   * goes before an earlier one to the same chat that is still pending (waiting out a 429 or a
   * backoff, or leased by another sender), so each chat reads its messages in the order made.
   */
  heads(now: Date, limit: number): Promise<OutboxRecord[]>;
  /**
   * Take a message for sending until `until`: true only if it is still pending and nobody moved
   * it since it was read with `expectedNextAttemptAt`. Of two senders sharing the database, one
   * gets it; a sender that dies holding it leaves it to be taken again once `until` has passed.
   * Also how a sender sets aside a message the platform will not take before `until` (a group
   * past its 20 a minute), so that it is not found due at every poll meanwhile.
   */
  lease(id: string, expectedNextAttemptAt: Date, until: Date): Promise<boolean>;
  /**
   * At the start of the only instance (SQLite; on PostgreSQL when no other instance runs, see
   * src/infra/prisma/presence.ts): leases a killed sender held, on messages it had not tried yet,
   * end now rather than up to `leaseMs` later, so an owner's reply it was about to send does not
   * wait a minute (issue 10, item 2). Postponed and retried messages keep their time. Returns how
   * many. Never with other instances alive: their leases are live.
   */
  releaseLeases(at: Date, leaseMs: number): Promise<number>;
  markSent(id: string, at: Date): Promise<void>;
  /** Try again at `next` (after a 429's retry_after, or a backoff). Counts an attempt. */
  markRetry(id: string, next: Date, error: string): Promise<void>;
  /** Try again at `next` without counting an attempt: the platform asked us to slow down. */
  postpone(id: string, next: Date, reason: string): Promise<void>;
  /** Give up: the chat is gone, or the message failed too often. Kept for the admin to see. */
  markDead(id: string, error: string): Promise<void>;
  /** The chat is gone: give up every message still pending to it. Returns how many. */
  markChatDead(to: ChatRef, error: string): Promise<number>;
  /** Where a ticket's card was posted in a chat, to edit it in place. */
  /** Queue messages that no ticket change causes (telling an admin the bot left a group). */
  enqueue(messages: readonly NewOutboxMessage[], at: Date): Promise<void>;
  cardMessage(ticketId: string, to: ChatRef): Promise<string | null>;
  saveCardMessage(ticketId: string, to: ChatRef, messageId: string, at: Date): Promise<void>;
}
