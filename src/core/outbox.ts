/**
 * Outbound messages as data. They are stored in the same transaction as the change that caused
 * them (a claim, a resolution...), then sent by the outbox sender, which throttles to the
 * platform's limits, honours 429s, retries and survives restarts: a change is never committed
 * while its message is lost, nor a message sent for a change that rolled back.
 */
import type { Choice } from "./messages.js";
import type { ChatRef } from "./staff/chats.js";
import type { Locale, Text } from "./text.js";

export interface OutboxText {
  readonly locale: Locale;
  readonly text: readonly Text[];
  readonly choices?: readonly Choice[];
}

export type NewOutboxMessage =
  /** A message, rendered at send time in `locale`; in the ticket card's thread when `ticketId` is set (Slack). */
  | { readonly kind: "message"; readonly to: ChatRef; readonly ticketId?: string; readonly body: OutboxText }
  /** Post the ticket's staff card, or edit it in place if it was posted to this chat before. */
  | { readonly kind: "card"; readonly to: ChatRef; readonly ticketId: string };

export interface OutboxRecord {
  readonly id: string;
  readonly message: NewOutboxMessage;
  readonly attempts: number;
  readonly createdAt: Date;
}

export interface OutboxStore {
  /** Pending messages whose time has come, oldest first. */
  due(now: Date, limit: number): Promise<OutboxRecord[]>;
  markSent(id: string, at: Date): Promise<void>;
  /** Try again at `next` (after a 429's retry_after, or a backoff). */
  markRetry(id: string, next: Date, error: string): Promise<void>;
  /** Give up: the chat is gone, or the message failed too often. Kept for the admin to see. */
  markDead(id: string, error: string): Promise<void>;
  /** Where a ticket's card was posted in a chat, to edit it in place. */
  cardMessage(ticketId: string, to: ChatRef): Promise<string | null>;
  saveCardMessage(ticketId: string, to: ChatRef, messageId: string, at: Date): Promise<void>;
}
