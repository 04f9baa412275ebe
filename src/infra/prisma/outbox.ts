/** The outbox table: written inside the transactions that cause messages, read by the sender. */
import { z } from "zod";
import type { HeldReplies } from "../../core/conversation/store.js";
import type { NewOutboxMessage, OutboxRecord, OutboxStore } from "../../core/outbox.js";
import type { ChatRef } from "../../core/messages.js";
import { CHANNELS } from "../../core/messages.js";
import type { Booked, SendLedger } from "../outbox/ledger.js";
import type { Ctx, Tx } from "./db.js";
import { insertRows, placeholders, type HotSql, type Row } from "./hot-sql.js";
import { storedDate } from "./rows.js";

/**
 * Insert the messages a change causes, inside that change's transaction. They share one
 * `createdAt`, so their ids carry their order: a growing batch number, then a counter. Sorting
 * by (createdAt, id) keeps a transaction's messages in the order given, keeps transactions in
 * the order they wrote, and never interleaves them.
 */
let lastBatch = Date.now() * 1000;
function nextBatch(): number {
  lastBatch = Math.max(lastBatch + 1, Date.now() * 1000);
  return lastBatch;
}

/**
 * Ids for `count` rows written together, in the order given. Rows sort by (createdAt, id). Two
 * transactions in the same millisecond would otherwise fall back to a random id, and an owner
 * could read reply 2 before reply 1: the batch prefix is a counter that only grows within the
 * process, started from the wall clock so it keeps growing across restarts. (Across instances,
 * writes in the same millisecond are concurrent anyway.)
 */
export function batchIds(newId: () => string, count: number): string[] {
  const batch = `${String(nextBatch()).padStart(17, "0")}-${newId()}`;
  return Array.from({ length: count }, (_, i) => `${batch}.${String(i).padStart(4, "0")}`);
}

/**
 * `bulk`: reports and broadcasts (群发), which yield to ticket traffic. A file is always one (the
 * monthly statistics); a scheduled job's post says so; everything a ticket change or an owner's
 * message causes is ticket traffic.
 */
export async function writeOutbox(
  tx: Tx,
  newId: () => string,
  messages: readonly NewOutboxMessage[] | undefined,
  at: Date,
  opts: { bulk?: boolean } = {},
): Promise<void> {
  for (const data of outboxRows(newId, messages, at, opts)) await tx.outboxMessage.create({ data });
}

/** `writeOutbox` as one hot statement (hot-sql.ts), inside a hot transaction: filing's (tickets.ts). */
export async function writeOutboxSql(sql: HotSql, newId: () => string, messages: readonly NewOutboxMessage[] | undefined, at: Date): Promise<void> {
  await insertRows(sql, "OutboxMessage", outboxRows(newId, messages, at, {}));
}

/** The rows of `messages`, as `writeOutbox` writes them. */
export function outboxRows(newId: () => string, messages: readonly NewOutboxMessage[] | undefined, at: Date, opts: { bulk?: boolean }) {
  if (!messages?.length) return [];
  const ids = batchIds(newId, messages.length);
  return messages.map((m, i) => ({
    id: ids[i]!,
    platform: m.to.platform,
    chatId: m.to.chatId,
    kind: m.kind,
    ticketId: m.ticketId ?? null,
    payload: JSON.stringify(m.kind === "card" ? {} : m.body),
    nextAttemptAt: at,
    createdAt: at,
    bulk: opts.bulk ?? m.kind === "document",
  }));
}

/**
 * An owner's replies, held for the adapter to deliver (see `HeldReplies`), written in the
 * transaction that saves their conversation. Hot statements (hot-sql.ts), because this runs on
 * every owner message: one read (does the chat still have messages pending?) and one INSERT for
 * all the rows. A chat with messages pending gets these due at once instead of held: sent
 * directly, they would overtake the earlier ones, so the sender sends them after those.
 */
export async function writeHeldReplies(sql: HotSql, newId: () => string, replies: HeldReplies, at: Date, holder: number): Promise<{ ids: string[]; held: boolean }> {
  const { to, bodies } = replies;
  if (bodies.length === 0) return { ids: [], held: true };
  const earlier = await sql.all(
    `SELECT 1 AS "x" FROM "OutboxMessage" WHERE "status" = 'pending' AND "platform" = ? AND "chatId" = ? LIMIT 1`,
    [to.platform, to.chatId],
  );
  const held = earlier.length === 0;
  const due = held ? replies.holdUntil : at;
  const ids = batchIds(newId, bodies.length);
  const rows = Array.from({ length: bodies.length }, () => `(?, ?, ?, 'message', ?, 'pending', 0, ?, ?, ?)`).join(", ");
  await sql.run(
    `INSERT INTO "OutboxMessage" ("id", "platform", "chatId", "kind", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "holder") VALUES ${rows}`,
    bodies.flatMap((body, i) => [ids[i], to.platform, to.chatId, JSON.stringify(body), due, at, held ? holder : null]),
  );
  return { ids, held };
}

/** Bound parameters per statement stay far below SQLite's and PostgreSQL's limits. */
const IDS_PER_UPDATE = 500;

/**
 * Held replies the adapter delivered itself: sent, so the sender never sends them. Those calls
 * count against the platform's limits like the sender's own: they are booked in the send ledger
 * (after the fact, at `at`), so the sender leaves the chat its second and the bot its budget.
 */
export async function markDelivered(sql: HotSql, ids: readonly string[], at: Date, inTransaction = false): Promise<void> {
  for (let i = 0; i < ids.length; i += IDS_PER_UPDATE) {
    const some = ids.slice(i, i + IDS_PER_UPDATE);
    if (sql.postgres) {
      // One round trip instead of four (pg-turn.ts); the ledger's rows take the time the outbox
      // rows were given, so no parameter needs a type PostgreSQL cannot infer.
      await sql.run(
        `WITH marked AS (UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ? WHERE "id" IN (${placeholders(some.length)}) AND "status" = 'pending'
           RETURNING "id", "platform", "chatId", "sentAt")
         INSERT INTO "OutboxSend" ("id", "platform", "chatId", "at") SELECT "id", "platform", "chatId", "sentAt" FROM marked ON CONFLICT ("id") DO NOTHING`,
        [at, ...some],
      );
      continue;
    }
    // One transaction: one commit (one WAL sync on SQLite) for both statements, as before the
    // booking; or the caller's (a turn's save that carries earlier turns' marks).
    const both = async (tx: HotSql) => {
      const marked = await tx.all(
        `UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ? WHERE "id" IN (${placeholders(some.length)}) AND "status" = 'pending'
         RETURNING "id", "platform", "chatId"`,
        [at, ...some],
      );
      if (marked.length === 0) return;
      // VALUES rather than INSERT … SELECT: PostgreSQL types a parameter by its column only there.
      await tx.run(
        `INSERT INTO "OutboxSend" ("id", "platform", "chatId", "at") VALUES ${marked.map(() => "(?, ?, ?, ?)").join(", ")} ON CONFLICT ("id") DO NOTHING`,
        marked.flatMap((r) => [r["id"], r["platform"], r["chatId"], at]),
      );
    };
    await (inTransaction ? both(sql) : sql.transaction(both));
  }
}

/** Held replies the adapter could not deliver: due from `at`, if still under their hold. */
export async function releaseHeld(sql: HotSql, ids: readonly string[], holdUntil: Date, at: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += IDS_PER_UPDATE) {
    const some = ids.slice(i, i + IDS_PER_UPDATE);
    await sql.run(
      `UPDATE "OutboxMessage" SET "nextAttemptAt" = ?, "holder" = NULL WHERE "id" IN (${placeholders(some.length)}) AND "status" = 'pending' AND "nextAttemptAt" = ?`,
      [at, ...some, holdUntil],
    );
  }
}

const row = z.object({
  id: z.string(),
  platform: z.enum(CHANNELS),
  chatId: z.string(),
  kind: z.enum(["message", "card", "document"]),
  ticketId: z.string().nullable(),
  payload: z.string(),
  attempts: z.number(),
  createdAt: storedDate,
  nextAttemptAt: storedDate,
});

function toRecord(raw: unknown): OutboxRecord {
  const r = row.parse(raw);
  const to = { platform: r.platform, chatId: r.chatId };
  const base = { id: r.id, attempts: r.attempts, createdAt: r.createdAt, nextAttemptAt: r.nextAttemptAt };
  if (r.kind === "card") {
    if (!r.ticketId) throw new Error(`outbox ${r.id}: a card without a ticket`);
    return { ...base, message: { kind: "card", to, ticketId: r.ticketId } };
  }
  if (r.kind === "document") {
    return { ...base, message: { kind: "document", to, body: JSON.parse(r.payload) as Extract<NewOutboxMessage, { kind: "document" }>["body"] } };
  }
  const body = JSON.parse(r.payload) as Extract<NewOutboxMessage, { kind: "message" }>["body"];
  const message: NewOutboxMessage = r.ticketId ? { kind: "message", to, ticketId: r.ticketId, body } : { kind: "message", to, body };
  return { ...base, message };
}

const OLDEST_FIRST = [{ nextAttemptAt: "asc" }, { createdAt: "asc" }, { id: "asc" }] as const;

const RECORD_COLUMNS = `o."id", o."platform", o."chatId", o."kind", o."ticketId", o."payload", o."attempts", o."createdAt", o."nextAttemptAt"`;

/**
 * Each chat's first pending message (whether due or not: the first is found without dates, whose
 * storage differs between the two databases), of those the ones due, ticket traffic first: the
 * sender takes the chats in this order when the platform lets several go at once, so a broadcast
 * in progress never holds a ticket's card back behind its groups.
 */
const HEADS_SQL = `
  SELECT ${RECORD_COLUMNS}
  FROM "OutboxMessage" o
  WHERE o."status" = 'pending' AND o."nextAttemptAt" <= ? AND o."id" IN (
    SELECT MIN(f."id")
    FROM "OutboxMessage" f
    JOIN (
      SELECT "platform", "chatId", MIN("createdAt") AS "first"
      FROM "OutboxMessage" WHERE "status" = 'pending' GROUP BY "platform", "chatId"
    ) h ON f."platform" = h."platform" AND f."chatId" = h."chatId" AND f."createdAt" = h."first"
    WHERE f."status" = 'pending'
    GROUP BY f."platform", f."chatId"
  )
  ORDER BY o."bulk" ASC, o."nextAttemptAt" ASC, o."createdAt" ASC, o."id" ASC
  LIMIT ?`;

/**
 * Whether any pending message is due at all: one probe of the (status, nextAttemptAt) index.
 * The sender polls twice a second and is mostly idle, or waiting out a group's 20 a minute; the
 * heads query groups every pending row each time, measured at 1-2 ms of CPU a poll in the
 * Telegram bench's card phase, where this probe answers "none" in a tenth of that.
 */
const ANY_DUE_SQL = `SELECT 1 AS "due" FROM "OutboxMessage" WHERE "status" = 'pending' AND "nextAttemptAt" <= ? LIMIT 1`;

/**
 * The sender's reads and writes for each message it sends, and its poll every half second, are
 * hot statements (hot-sql.ts): through Prisma's query compiler its idle poll alone was two
 * compiled queries a poll, and a card about ten (issue 16, item 2). The rare rest stays on Prisma.
 */
export function createOutboxStore({ db, newId, sql, holder }: Ctx): OutboxStore {
  return {
    async due(now, limit) {
      const rows = await db.outboxMessage.findMany({
        where: { status: "pending", nextAttemptAt: { lte: now } },
        orderBy: [...OLDEST_FIRST],
        take: limit,
      });
      return rows.map(toRecord);
    },
    async heads(now, limit) {
      // Heads are due messages only, so none due means none; the two reads need not agree on a moment.
      if ((await sql.all(ANY_DUE_SQL, [now])).length === 0) return [];
      return (await sql.all(HEADS_SQL, [now, limit])).map(toRecord);
    },
    async releaseLeases(at, leaseMs) {
      const { count } = await db.outboxMessage.updateMany({
        where: { status: "pending", attempts: 0, lastError: null, nextAttemptAt: { gt: at, lte: new Date(at.getTime() + leaseMs) } },
        data: { nextAttemptAt: at, holder: null },
      });
      return count;
    },
    async lease(id, expectedNextAttemptAt, until) {
      const count = await sql.run(
        `UPDATE "OutboxMessage" SET "nextAttemptAt" = ?, "holder" = ? WHERE "id" = ? AND "status" = 'pending' AND "nextAttemptAt" = ?`,
        [until, holder, id, expectedNextAttemptAt],
      );
      return count === 1;
    },
    async markSent(id, at) {
      const count = await sql.run(`UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ?, "attempts" = "attempts" + 1 WHERE "id" = ?`, [at, id]);
      // As Prisma's update did: a message gone from under the sender is an error, not a silent no-op.
      if (count !== 1) throw new Error(`outbox: no message ${id} to mark sent`);
    },
    async markRetry(id, next, error) {
      await db.outboxMessage.update({
        where: { id },
        data: { nextAttemptAt: next, lastError: error.slice(0, 500), attempts: { increment: 1 }, holder: null },
      });
    },
    async postpone(id, next, reason) {
      await db.outboxMessage.update({ where: { id }, data: { nextAttemptAt: next, lastError: reason.slice(0, 500), holder: null } });
    },
    async markDead(id, error) {
      await db.outboxMessage.update({ where: { id }, data: { status: "dead", lastError: error.slice(0, 500), attempts: { increment: 1 } } });
    },
    async markChatDead(to, error) {
      const { count } = await db.outboxMessage.updateMany({
        where: { platform: to.platform, chatId: to.chatId, status: "pending" },
        data: { status: "dead", lastError: error.slice(0, 500) },
      });
      return count;
    },
    async enqueue(messages, at) {
      await db.$transaction((tx) => writeOutbox(tx, newId, messages, at));
    },
    async cardMessage(ticketId, to: ChatRef) {
      const [card] = await sql.all(`SELECT "messageId" FROM "TicketCard" WHERE "ticketId" = ? AND "platform" = ? AND "chatId" = ?`, [ticketId, to.platform, to.chatId]);
      return card ? String(card["messageId"]) : null;
    },
    async saveCardMessage(ticketId, to, messageId, at) {
      await sql.run(
        `INSERT INTO "TicketCard" ("id", "ticketId", "platform", "chatId", "messageId", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT ("ticketId", "platform", "chatId") DO UPDATE SET "messageId" = excluded."messageId", "updatedAt" = excluded."updatedAt"`,
        [newId(), ticketId, to.platform, to.chatId, messageId, at],
      );
    },
  };
}

/** Bookings older than this are deleted, about once a minute: far past every platform's longest window. */
const KEEP_BOOKINGS_MS = 10 * 60_000;
const PRUNE_EVERY_MS = 60_000;

/**
 * The SendLedger on the OutboxSend table. A booking first bumps its platform's OutboxSendLock
 * row: on PostgreSQL that row lock makes bookings of every instance take turns, and under READ
 * COMMITTED the reads after it see every booking committed before; on SQLite the write takes the
 * database's write lock at once (and in one process the store's queue already runs one call at
 * a time). So no two senders ever both take the last slot of a window. Hot statements (hot-sql.ts):
 * through Prisma a booking, one per platform call the sender makes, was four compiled queries.
 */
export function createSendLedger({ sql, newId }: Ctx): SendLedger {
  let prunedAt = -Infinity;
  const times = (rows: Row[]) => rows.map((r) => storedDate.parse(r["at"]).getTime());
  return {
    async book(request, decide) {
      const { platform, chatId } = request;
      const prune = request.globalSince - prunedAt >= PRUNE_EVERY_MS;
      if (prune) prunedAt = request.globalSince;
      return sql.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO "OutboxSendLock" ("platform", "bookings") VALUES (?, 1)
           ON CONFLICT ("platform") DO UPDATE SET "bookings" = "OutboxSendLock"."bookings" + 1`,
          [platform],
        );
        const global = await tx.all(`SELECT "at" FROM "OutboxSend" WHERE "platform" = ? AND "at" > ?`, [platform, new Date(request.globalSince)]);
        const chat = await tx.all(`SELECT "at" FROM "OutboxSend" WHERE "platform" = ? AND "chatId" = ? AND "at" > ?`, [platform, chatId, new Date(request.chatSince)]);
        const booked: Booked = { global: times(global), chat: times(chat) };
        const decision = decide(booked);
        if (decision.book) {
          await tx.run(`INSERT INTO "OutboxSend" ("id", "platform", "chatId", "at") VALUES (?, ?, ?, ?)`, [newId(), platform, chatId, new Date(decision.at)]);
        }
        // Every platform's: the adapters' own replies are booked too (markDelivered), sender or not.
        if (prune) await tx.run(`DELETE FROM "OutboxSend" WHERE "at" < ?`, [new Date(request.globalSince - KEEP_BOOKINGS_MS)]);
        return decision;
      });
    },
  };
}
