/**
 * The sent-replies journal: a note, made in the same tick as the platform's answer to a direct
 * send, of the owner replies it accepted (issue 10, item 2).
 *
 * Why: a reply sent directly is marked sent in the database only after the send, behind other
 * store calls (one at a time on SQLite) and batched with other turns' marks. A process killed in
 * that gap left a reply the owner had seen but the database still held, and the next start sent
 * it again (the crash soak counted 5 such doubles in 30 kills). The journal is a synchronous
 * append to a local file: it survives kill -9 (the page cache outlives the process), and the
 * start-up reads it before anything is sent again.
 *
 * A card (the staff group's ticket card) is noted with where it was posted: its message id must
 * reach the database for the card's later edits, and a card noted but not saved was posted twice
 * after a kill (1 in 100 kills in the loaded soak).
 */
import type { ChatRef } from "../messages.js";

/** A card the platform accepted: the outbox message it was, and the message id to edit it by. */
export interface NotedCard {
  readonly outboxId: string;
  readonly ticketId: string;
  readonly to: ChatRef;
  readonly messageId: string;
}

export interface SentJournal {
  /** These replies reached the chat. Synchronous on purpose: nothing may run between the send's answer and this. */
  note(ids: readonly string[]): void;
  /** This card reached the chat as `messageId`; synchronous for the same reason. */
  noteCard(card: NotedCard): void;
  /** Their marks are in the database now: the journal need not keep them. */
  settled(ids: readonly string[]): void;
  /** At start-up: what an earlier process noted (some may be marked in the database already). */
  noted(): string[];
  /** At start-up: the cards among `noted()`, with their message ids to save before anything is sent. */
  notedCards(): NotedCard[];
  /** At start-up, once `noted()` is marked in the database. */
  clear(): void;
}
