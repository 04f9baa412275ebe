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
 */
export interface SentJournal {
  /** These replies reached the chat. Synchronous on purpose: nothing may run between the send's answer and this. */
  note(ids: readonly string[]): void;
  /** Their marks are in the database now: the journal need not keep them. */
  settled(ids: readonly string[]): void;
  /** At start-up: what an earlier process noted (some may be marked in the database already). */
  noted(): string[];
  /** At start-up, once `noted()` is marked in the database. */
  clear(): void;
}
