import type { ConversationStore, ReplyOutbox, SaveConversationResult, SavedWithReplies, StoredConversation } from "../../core/conversation/store.js";
import type { PersonIdentity, PersonRecord } from "../../core/people/store.js";
import type { Ctx } from "./db.js";
import type { HotSql } from "./hot-sql.js";
import { markProcessed } from "./chats.js";
import { markDelivered, releaseHeld, writeHeldReplies } from "./outbox.js";
import { LIVE_HOLDERS } from "./presence.js";
import { PERSON_COLUMNS, personOf, readOrCreatePerson } from "./people.js";
import { saveTurnInOne } from "./pg-turn.js";
import { jsonColumn, toConversation } from "./rows.js";

/*
 * The per-message read and save are hot statements (hot-sql.ts): portable SQL, straight to the
 * SQLite connection or as Prisma raw queries on PostgreSQL. Through the model API each query
 * cost ~0.3–0.6 ms in Prisma's query compiler. Everything off the hot path stays on the model API.
 */

/**
 * Person and conversation in one read. A first-time person is created and read again the same
 * way: two more hot statements, no model API on any turn.
 */
export async function beginTurn(
  ctx: Ctx,
  identity: PersonIdentity,
  key: string,
): Promise<{ person: PersonRecord; conversation: StoredConversation | null }> {
  const row = await readOrCreatePerson(ctx, identity, (sql) =>
    sql.all(
      `SELECT ${PERSON_COLUMNS}, c."state" AS "conversationState", c."revision" AS "conversationRevision"
       FROM "Person" p LEFT JOIN "Conversation" c ON c."key" = ?
       WHERE p."platform" = ? AND p."platformUserId" = ?`,
      [key, identity.platform, identity.platformUserId],
    ),
  );
  const { conversationState, conversationRevision, ...person } = row;
  const conversation =
    conversationState === null || conversationState === undefined ? null : toConversation({ state: conversationState, revision: Number(conversationRevision) });
  return { person: personOf(person), conversation };
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
 * The durable fast path (see `ReplyOutbox`): the conversation, its replies and the update it
 * answers marked processed, in one transaction, so none is stored without the others. A conflict
 * writes nothing: the desk runs the turn again on the fresh state and queues that turn's replies
 * instead; an update marked already (another delivery got there first) rolls the turn back.
 */
export function createReplyOutbox({ sql, newId, holder }: Ctx): ReplyOutbox {
  return {
    saveConversation: async (key, personId, state, expectedRevision, at, replies) => {
      // The one-statement save carries no marks; a save that carries some takes the transaction.
      if (sql.postgres && !replies.delivered?.length) {
        const saved = await saveTurnInOne(sql, newId, { key, personId, state: jsonColumn(state), expectedRevision, at, holder }, replies);
        if (saved) return saved;
      }
      try {
        return await sql.transaction(async (tx): Promise<SavedWithReplies> => {
          const saved = await writeConversation(tx, newId, key, personId, jsonColumn(state), expectedRevision, at);
          if (!saved.ok) return saved;
          if (replies.update !== undefined && !(await markProcessed(tx, replies.to.platform, replies.update, at))) throw ALREADY_PROCESSED;
          // Before the held replies: marked, they are no longer "pending ahead" of this turn's.
          const delivered = replies.delivered?.length ? (await markDelivered(tx, replies.delivered, at, true), { delivered: true as const }) : {};
          return { ...saved, ...(await writeHeldReplies(tx, newId, replies, at, holder)), ...delivered };
        });
      } catch (e) {
        if (e === ALREADY_PROCESSED) return PROCESSED;
        throw e;
      }
    },
    markDelivered: (ids, at) => markDelivered(sql, ids, at),
    release: (ids, holdUntil, at) => releaseHeld(sql, ids, holdUntil, at),
    releaseOrphans: (at, holdMs) => releaseOrphans(sql, at, holdMs),
  };
}

/** Thrown inside the save's transaction to roll the conversation back with it. */
const ALREADY_PROCESSED = new Error("update already processed");
const PROCESSED = { ok: false, code: "processed" } as const;

/**
 * Held replies are the only pending messages never tried (no attempt, no error) that are due
 * later than now but within one hold: a lease by a sender moves a message a whole lease (60 s)
 * past a hold that had already run out, and a 429 or a failure leaves an error behind.
 * A hold of `holdMs` and no more, so this is the same SQL on both databases without date
 * arithmetic. Rows made after `at` belong to turns of this process and are left to them. On
 * PostgreSQL, rows made before `at` may be a live instance's, held for its own send this very
 * moment: only those whose holder is not running are released (presence.ts), or a reply would
 * go twice, once by that instance and once by a sender.
 */
async function releaseOrphans(sql: HotSql, at: Date, holdMs: number): Promise<number> {
  const deadHolder = sql.postgres ? ` AND ("holder" IS NULL OR "holder" NOT IN (${LIVE_HOLDERS}))` : "";
  return sql.run(
    `UPDATE "OutboxMessage" SET "nextAttemptAt" = ?, "holder" = NULL
     WHERE "status" = 'pending' AND "kind" = 'message' AND "attempts" = 0 AND "lastError" IS NULL
       AND "nextAttemptAt" > ? AND "nextAttemptAt" <= ? AND "createdAt" < ?${deadHolder}`,
    [at, at, new Date(at.getTime() + holdMs), at],
  );
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
