/**
 * Where an owner's conversation is kept between messages (persisted and versioned, so a restart
 * or a second instance picks it up where it was). Implemented in src/infra/prisma/conversations.ts.
 */
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
  saveConversation(
    key: string,
    personId: string,
    state: unknown,
    expectedRevision: number,
    at: Date,
  ): Promise<SaveConversationResult>;
}
