import type { ReplyOutbox, SavedWithReplies } from "../../core/outbox.js";
import type { PersonIdentity, PersonRecord } from "../../core/people/store.js";
import type { ConversationStore, SaveConversationResult, StoredConversation } from "../../core/conversation/store.js";
import type { Ctx } from "./db.js";
import type { HotSql } from "./hot-sql.js";
import { markDelivered, releaseHeld, writeHeldReplies } from "./outbox.js";
import { person } from "./people.js";
import { jsonColumn, toConversation, toPerson } from "./rows.js";

/*
 * The per-message read and save are hot statements (hot-sql.ts): portable SQL, straight to the
 * SQLite connection or as Prisma raw queries on PostgreSQL. Through the model API each query
 * cost ~0.3–0.6 ms in Prisma's query compiler. Everything off the hot path stays on the model API.
 */

/** Person and conversation in one read; a first-time person goes through `person` to be created. */
export async function beginTurn(
  ctx: Ctx,
  identity: PersonIdentity,
  key: string,
): Promise<{ person: PersonRecord; conversation: StoredConversation | null }> {
  const rows = await ctx.sql.all(
    `SELECT p."id", p."platform", p."platformUserId", p."displayName", p."username", p."name", p."phone", p."locale",
            p."localeExplicit", c."state" AS "conversationState", c."revision" AS "conversationRevision"
     FROM "Person" p LEFT JOIN "Conversation" c ON c."key" = ?
     WHERE p."platform" = ? AND p."platformUserId" = ?`,
    [key, identity.platform, identity.platformUserId],
  );
  const row = rows[0];
  // A changed handle is rare; it goes through `person`, which stores it.
  if (!row || (identity.username !== undefined && identity.username !== row.username)) {
    return { person: await person(ctx, identity), conversation: await loadConversation(ctx, key) };
  }
  const conversation =
    row.conversationState === null || row.conversationState === undefined
      ? null
      : toConversation({ state: row.conversationState, revision: Number(row.conversationRevision) });
  // SQLite has no boolean type: a raw read gives 0/1 where the model API gives false/true.
  return { person: toPerson({ ...row, localeExplicit: Boolean(row.localeExplicit) }), conversation };
}

export async function loadConversation({ db }: Ctx, key: string): Promise<StoredConversation | null> {
  const row = await db.conversation.findUnique({ where: { key }, select: { state: true, revision: true } });
  return row ? toConversation(row) : null;
}

/**
 * Optimistic concurrency without a transaction: the write itself is the check. Revision 0 means
 * "never stored", which only an insert can satisfy; otherwise the row must still be at
 * `expectedRevision`.
 */
export function saveConversation(
  { sql, newId }: Ctx,
  key: string,
  personId: string,
  state: unknown,
  expectedRevision: number,
  at: Date,
): Promise<SaveConversationResult> {
  return writeConversation(sql, newId, key, personId, jsonColumn(state), expectedRevision, at);
}

/**
 * The durable fast path (see `ReplyOutbox`): the conversation and its replies in one
 * transaction, so neither is stored without the other. A conflict writes nothing: the desk runs
 * the turn again on the fresh state and queues that turn's replies instead.
 */
export function createReplyOutbox({ sql, newId }: Ctx): ReplyOutbox {
  return {
    saveConversation: (key, personId, state, expectedRevision, at, replies) =>
      sql.transaction(async (tx): Promise<SavedWithReplies> => {
        const saved = await writeConversation(tx, newId, key, personId, jsonColumn(state), expectedRevision, at);
        if (!saved.ok) return saved;
        return { ...saved, ...(await writeHeldReplies(tx, newId, replies, at)) };
      }),
    markDelivered: (ids, at) => markDelivered(sql, ids, at),
    release: (ids, holdUntil, at) => releaseHeld(sql, ids, holdUntil, at),
  };
}

const CONFLICT = { ok: false, code: "conflict" } as const;

/**
 * One statement either way. A first save (revision 0) inserts unless the key is there already;
 * a later one changes the row only if nobody saved since `expectedRevision`. No row written is
 * the conflict, on both databases, with no error to catch (PostgreSQL would abort the
 * transaction around a failed INSERT).
 */
async function writeConversation(
  sql: HotSql,
  newId: () => string,
  key: string,
  personId: string,
  text: string,
  expectedRevision: number,
  at: Date,
): Promise<SaveConversationResult> {
  const written =
    expectedRevision === 0
      ? await sql.run(
          `INSERT INTO "Conversation" ("id", "key", "personId", "state", "revision", "updatedAt") VALUES (?, ?, ?, ?, 1, ?)
           ON CONFLICT ("key") DO NOTHING`,
          [newId(), key, personId, text, at],
        )
      : await sql.run(
          `UPDATE "Conversation" SET "personId" = ?, "state" = ?, "revision" = ?, "updatedAt" = ?
           WHERE "key" = ? AND "revision" = ?`,
          [personId, text, expectedRevision + 1, at, key, expectedRevision],
        );
  return written === 1 ? { ok: true, revision: expectedRevision + 1 } : CONFLICT;
}

/** The ConversationStore port over Prisma and the hot statements. */
export function conversationStore(ctx: Ctx): ConversationStore {
  return {
    beginTurn: (identity, key) => beginTurn(ctx, identity, key),
    loadConversation: (key) => loadConversation(ctx, key),
    saveConversation: (key, personId, state, expected, at) => saveConversation(ctx, key, personId, state, expected, at),
  };
}
