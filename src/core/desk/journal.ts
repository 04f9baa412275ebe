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
 *
 * A send is also noted the moment its request is written to the platform (`sending`), and again
 * if the platform refuses it or the request fails (`notSent`). A send the journal last saw being
 * written counts as delivered at the next start: the process died with the request out and its
 * answer not yet read (the soak's remaining doubles, 19 to 22 in 100 kills, were all such sends), and
 * the platform finishes a request whose client has gone: that is why a client that retries a
 * timed-out sendMessage posts it twice (python-telegram-bot issue 1045: a message delivered three
 * times, each try "timed out"). Telegram has no idempotency key to do better with. The cost,
 * chosen over a double: a send the platform refused in the same milliseconds the process died,
 * or one lost on a dead connection in the seconds before, is not sent again. Those seconds are
 * bounded: a send unanswered for a few seconds is told failed (the Telegram fetch's
 * IN_FLIGHT_TRUST_MS), so a process killed while a request hangs sends it again after the start.
 */
import type { ChatRef } from "../messages.js";

/** A card the platform accepted: the outbox message it was, and the message id to edit it by. */
export interface NotedCard {
  readonly outboxId: string;
  readonly ticketId: string;
  readonly to: ChatRef;
  readonly messageId: string;
}

/**
 * What a platform's send tells the journal about one request, synchronously: its bytes are
 * leaving the process now (a retry writes again), or it failed (an error answer, a broken
 * connection, a timeout). An adapter that cannot tell the moment of the write calls neither,
 * and its sends stay at least once.
 */
export interface SendWatch {
  writing(): void;
  failed(): void;
}

/** For a send no journal watches. */
export const UNWATCHED: SendWatch = { writing() {}, failed() {} };

/** The watch of the send that carries `ids`: the journal notes its write and its failure. */
export function watchIn(journal: SentJournal, ids: readonly string[]): SendWatch {
  return { writing: () => journal.sending(ids), failed: () => journal.notSent(ids) };
}

export interface SentJournal {
  /** These replies reached the chat. Synchronous on purpose: nothing may run between the send's answer and this. */
  note(ids: readonly string[]): void;
  /** These replies' request is being written to the platform (see `SendWatch`). */
  sending(ids: readonly string[]): void;
  /** Their request failed: not delivered, whatever `sending` said. */
  notSent(ids: readonly string[]): void;
  /** This card reached the chat as `messageId`; synchronous for the same reason. */
  noteCard(card: NotedCard): void;
  /** Their marks are in the database now: the journal need not keep them. */
  settled(ids: readonly string[]): void;
  /**
   * At start-up: what an earlier process noted as delivered (some may be marked in the database
   * already), the sends it died with in flight among them.
   */
  noted(): string[];
  /** At start-up: of `noted()`, the sends an earlier process died with in flight (for the log). */
  inFlight(): string[];
  /** At start-up: the cards among `noted()`, with their message ids to save before anything is sent. */
  notedCards(): NotedCard[];
  /** At start-up, once `noted()` is marked in the database. */
  clear(): void;
}
