/**
 * An owner turn's two writes on PostgreSQL as one statement each (issue 16, item 4): the save
 * (the conversation, the update marked processed, the held replies) here, and the replies marked
 * sent with their booking in the send ledger (outbox.ts, `markDelivered`). As transactions they were BEGIN, four statements and
 * COMMIT, then BEGIN, two and COMMIT: eleven round trips a turn with the read, each one CPU in
 * this process and in a server that shares the machine. A data-modifying WITH does the same
 * writes atomically in one round trip; SQLite has no such statement, and needs none in-process.
 *
 * The save's statement does not decide anything: it writes everything, and when the
 * conversation moved on (a conflict) or the update was already marked (a redelivery), it fails
 * on purpose (a division by zero over what it wrote), which undoes all of it. The caller then
 * runs the transaction of before, which tells the two apart. Both are rare: a conflict needs two
 * turns of one conversation at once, a redelivery a crash or a second instance.
 */
import type { HeldReplies, SavedWithReplies } from "../../core/conversation/store.js";
import type { HotSql } from "./hot-sql.js";
import { batchIds } from "./outbox.js";

/** SQLSTATE division_by_zero: the save's own refusal (see the header), nothing else divides. */
const REFUSED = "22012";

/**
 * The save in one statement, or null when it refused: then nothing was written and the caller
 * must take the transaction's way to learn why. `personId`…`at` are as `writeConversation`'s.
 */
export async function saveTurnInOne(
  sql: HotSql,
  newId: () => string,
  save: { key: string; personId: string; state: string; expectedRevision: number; at: Date; holder: number },
  replies: HeldReplies,
): Promise<SavedWithReplies | null> {
  const { key, personId, state, expectedRevision, at, holder } = save;
  const params: unknown[] = [];
  const p = (value: unknown, cast = ""): string => {
    params.push(value);
    return `?${cast}`;
  };
  const parts: string[] = [];
  const checks: string[] = [];
  parts.push(
    expectedRevision === 0
      ? `conv AS (INSERT INTO "Conversation" ("id", "key", "personId", "state", "revision", "updatedAt")
           VALUES (${p(newId())}, ${p(key)}, ${p(personId)}, ${p(state)}, 1, ${p(at)}) ON CONFLICT ("key") DO NOTHING RETURNING 1)`
      : `conv AS (UPDATE "Conversation" SET "personId" = ${p(personId)}, "state" = ${p(state)}, "revision" = ${p(expectedRevision + 1)}, "updatedAt" = ${p(at)}
           WHERE "key" = ${p(key)} AND "revision" = ${p(expectedRevision)} RETURNING 1)`,
  );
  checks.push(`1 / (SELECT count(*) FROM conv)::int`);
  if (replies.update !== undefined) {
    parts.push(
      `mark AS (INSERT INTO "ProcessedUpdate" ("platform", "updateId", "at") VALUES (${p(replies.to.platform)}, ${p(replies.update)}, ${p(at)})
         ON CONFLICT ("platform", "updateId") DO NOTHING RETURNING 1)`,
    );
    checks.push(`1 / (SELECT count(*) FROM mark)::int`);
  }
  const { bodies, to } = replies;
  const ids = batchIds(newId, bodies.length);
  // Held only when nothing earlier waits for the chat, as writeHeldReplies decides; on the
  // statement's snapshot, which does not see the rows it inserts itself.
  parts.push(`earlier AS (SELECT EXISTS (SELECT 1 FROM "OutboxMessage" WHERE "status" = 'pending' AND "platform" = ${p(to.platform)} AND "chatId" = ${p(to.chatId)}) AS "e")`);
  if (bodies.length > 0) {
    // Casts: in a CASE a parameter has no column to take its type from.
    // Held (nothing earlier waits): due when the hold ends, and this instance's (Ctx.holder).
    parts.push(
      `due AS (SELECT CASE WHEN "e" THEN ${p(at, "::timestamp(3)")} ELSE ${p(replies.holdUntil, "::timestamp(3)")} END AS "at",
         CASE WHEN "e" THEN NULL ELSE ${p(holder, "::int")} END AS "holder" FROM earlier)`,
    );
    const rows = bodies.map(
      (body, i) => `(${p(ids[i])}, ${p(to.platform)}, ${p(to.chatId)}, 'message', ${p(JSON.stringify(body))}, 'pending', 0, (SELECT "at" FROM due), ${p(at)}, (SELECT "holder" FROM due))`,
    );
    parts.push(
      `outbox AS (INSERT INTO "OutboxMessage" ("id", "platform", "chatId", "kind", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "holder")
         VALUES ${rows.join(", ")} RETURNING 1)`,
    );
  }
  try {
    const [row] = await sql.all(`WITH ${parts.join(",\n")}\nSELECT ${checks.join(" + ")} AS "ok", (SELECT "e" FROM earlier) AS "earlier"`, params);
    return { ok: true, revision: expectedRevision + 1, ids, held: bodies.length === 0 || row?.["earlier"] !== true };
  } catch (e) {
    if ((e as { code?: unknown }).code === REFUSED) return null;
    throw e;
  }
}
