/**
 * Where an owner's conversation is kept between messages (persisted and versioned, so a restart
 * or a second instance picks it up where it was), and the owner's replies queued with it (the
 * durable fast path). Implemented in src/infra/prisma/conversations.ts.
 */
import type { ChatRef } from "../messages.js";
import type { OutboxText } from "../outbox.js";
import type { PersonIdentity, PersonRecord } from "../people/store.js";

export interface StoredConversation {
  readonly state: unknown;
  readonly revision: number;
}

export type SaveConversationResult = { ok: true; revision: number } | { ok: false; code: "conflict" };

export interface ConversationStore {
  /**
   * What every message starts with, read together: the person behind the identity (created on
   * first contact, as `PersonStore.person`) and their stored conversation.
   */
  beginTurn(
    identity: PersonIdentity,
    conversationKey: string,
  ): Promise<{ person: PersonRecord; conversation: StoredConversation | null }>;
  loadConversation(key: string): Promise<StoredConversation | null>;
  /** Save only if nobody else saved since `expectedRevision` (0 = not stored yet). */
  saveConversation(...save: ConversationSave): Promise<SaveConversationResult>;
}

/** One save of a conversation, as both stores below take it. */
export type ConversationSave = [key: string, personId: string, state: unknown, expectedRevision: number, at: Date];

/**
 * An owner's replies to one message, queued in the same transaction as the conversation save
 * they answer (the durable fast path): the adapter delivers them at once the usual way, and the
 * sender leaves them alone until `holdUntil`. Delivered directly, they are marked sent; not
 * delivered (a failed send, a process that died before sending), the sender sends them, in the
 * chat's order, as soon as they are released or the hold runs out.
 */
export interface HeldReplies {
  readonly to: ChatRef;
  readonly bodies: readonly OutboxText[];
  readonly holdUntil: Date;
  /**
   * The platform update (on `to`'s platform) the turn answers, marked processed in the same
   * transaction; one that already is makes the save write nothing (`code: "processed"`).
   */
  readonly update?: string;
  /**
   * Earlier turns' replies the adapter delivered whose marks still wait (the desk gathers them):
   * marked sent in the same transaction, so a busy desk writes no commit of its own for them
   * (`delivered` says they were; a store that did not leave them to `markDelivered`).
   */
  readonly delivered?: readonly string[];
}

export type SavedWithReplies =
  /**
   * `ids`: the replies' rows, in order. `held` false: earlier messages to the chat were still
   * pending, so these are due now and left to the sender, which keeps the chat's order; the
   * adapter must not send them itself.
   */
  | { readonly ok: true; readonly revision: number; readonly ids: readonly string[]; readonly held: boolean; readonly delivered?: true }
  | { readonly ok: false; readonly code: "conflict" }
  /** The update was handled before (a redelivery, or a second instance got it too): nothing written. */
  | { readonly ok: false; readonly code: "processed" };

/** The durable fast path's side of the store: `ConversationStore.saveConversation` with the turn's replies. */
export interface ReplyOutbox {
  /** As `ConversationStore.saveConversation`; on success the replies are queued in the same transaction. */
  saveConversation(...save: [...ConversationSave, replies: HeldReplies]): Promise<SavedWithReplies>;
  /** The adapter delivered these itself: the sender must never send them. One UPDATE for them all. */
  markDelivered(ids: readonly string[], at: Date): Promise<void>;
  /**
   * The adapter could not deliver these: the sender may send them from `at` on instead of
   * waiting out the hold. Only rows still under the hold `holdUntil` move, so a row the sender
   * has meanwhile leased is not handed out twice.
   */
  release(ids: readonly string[], holdUntil: Date, at: Date): Promise<void>;
  /**
   * At start-up: replies still under a hold of at most `holdMs` were held by a process that is
   * gone (sent or not, it cannot say), so the sender may send them from `at` on rather than when
   * the hold ends, and an owner's next answer does not wait behind them (issue 10, item 2).
   * Returns how many. Rows the sender postponed or leased are left alone.
   */
  releaseOrphans(at: Date, holdMs: number): Promise<number>;
}
