/**
 * The scheduled jobs' ledger: what makes a scheduled post happen exactly once. A post is named
 * by its job, its period and its target (the digest of 2026-11-22 for property HG; the overdue
 * reminder of one ticket's deadline at one level). Its ledger row and its outbox messages are
 * written in one transaction under a unique key, so a run repeated after a crash, a late catch-up
 * and a second instance on the same database all find the post made and make nothing.
 */
import type { NewOutboxMessage } from "../outbox.js";

export interface PostKey {
  /** The job's name: "director_digest", "overdue", ... */
  readonly job: string;
  /** What the post covers: "2026-11-22", "2026-10", "<ticketId>:reply:<due ISO>" ... */
  readonly period: string;
  /** Whom it is for: a property id, a person id, a level ... */
  readonly target: string;
}

export interface NewPost {
  /** When the post was meant to be made (its schedule slot or deadline). */
  readonly scheduledFor: Date;
  readonly at: Date;
  /** Made later than its slot allows (caught up after downtime): the post says so. */
  readonly late: boolean;
  /** Figures the post showed, kept for the sign-off and for audit. */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly outbox: readonly NewOutboxMessage[];
  /**
   * A report rather than ticket traffic: its messages wait while a card, a reminder or an owner's
   * notice is due in the same chat, and never crowd them out of the platform's send limits.
   */
  readonly bulk?: boolean;
}

export interface PostRecord extends PostKey {
  readonly id: string;
  readonly scheduledFor: Date;
  readonly at: Date;
  readonly late: boolean;
  readonly data: Readonly<Record<string, unknown>>;
  /** 已阅: when and by whom a digest was signed off. */
  readonly signedAt: Date | null;
  readonly signedById: string | null;
}

export type PostResult = { readonly posted: true; readonly id: string } | { readonly posted: false; readonly existing: PostRecord };

export type SignResult =
  | { readonly ok: true; readonly post: PostRecord }
  | { readonly ok: false; readonly code: "not_found" }
  | { readonly ok: false; readonly code: "already_signed"; readonly post: PostRecord };

/** Where a job has got to: the last slot that ran to the end, and a failing slot's retries. */
export interface JobRunState {
  readonly job: string;
  readonly lastSlotAt: Date;
  readonly failures: number;
  readonly lastError: string | null;
  readonly nextRetryAt: Date | null;
}

export interface JobLedger {
  /** Make the post unless its key was posted already; the row and its messages commit together. */
  post(key: PostKey, post: NewPost): Promise<PostResult>;
  find(key: PostKey): Promise<PostRecord | null>;
  /** Posts of a job made in [from, to), oldest first (for tests, audits and the admin). */
  postsOf(job: string, from: Date, to: Date): Promise<PostRecord[]>;
  /** Record the sign-off once; a second press is told who signed and when. */
  sign(key: PostKey, personId: string, at: Date): Promise<SignResult>;
  runState(job: string): Promise<JobRunState | null>;
  saveRunState(state: JobRunState, at: Date): Promise<void>;
}
