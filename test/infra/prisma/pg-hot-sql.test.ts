/**
 * The hot statements on PostgreSQL as named prepared statements on Prisma's own pool
 * (src/infra/prisma/pg-hot-sql.ts): the repositories write through them exactly the rows they
 * wrote through Prisma's raw queries, dates included in any process time zone; they never go
 * through Prisma; an owner's save and the mark of its replies are one statement each
 * (pg-turn.ts); a transaction waits for a connection, never fails for want of one. Needs
 * TEST_DATABASE_URL.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import type { HeldReplies } from "../../../src/core/conversation/store.js";
import { beginTurn, createReplyOutbox } from "../../../src/infra/prisma/conversations.js";
import { TX_OPTIONS, type Ctx } from "../../../src/infra/prisma/db.js";
import { prismaHotSql } from "../../../src/infra/prisma/hot-sql.js";
import { updateInbox } from "../../../src/infra/prisma/inbox.js";
import { freshPgStore, type TestStore } from "../../support/db.js";

const url = inject("testDatabaseUrl");
const T0 = new Date("2026-11-23T02:00:00.123Z");
const HOLD = new Date("2026-11-23T02:00:20.000Z");
const SENT = new Date("2026-11-23T02:00:01.500Z");

describe.skipIf(!url)("hot SQL on PostgreSQL's pool", () => {
  let opened: TestStore | undefined;
  const open = async (pool?: { size: number; txWaitMs: number }): Promise<Ctx> => {
    opened = await freshPgStore(pool ? { pool } : {});
    return opened.use((c) => ({ ctx: async () => c })).ctx();
  };
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  /** One owner's turn through the repositories, on chat and update ids of its own. */
  async function turn(ctx: Ctx, n: string) {
    const identity = { platform: "telegram", platformUserId: `u${n}`, locale: "zh-CN" } as const;
    const owner = await opened!.store.person(identity);
    const replies: HeldReplies = {
      to: { platform: "telegram", chatId: `c${n}` },
      holdUntil: HOLD,
      bodies: [{ locale: "zh-CN", text: [{ key: "ask.room" }] }, { locale: "zh-CN", text: [{ key: "ask.name" }] }],
      update: `${n}01`,
    } as HeldReplies;
    const outbox = createReplyOutbox(ctx);
    const saved = await outbox.saveConversation(`k${n}`, owner.id, { step: "room", vip: true }, 0, T0, replies);
    if (!saved.ok) throw new Error(`the save failed: ${saved.code}`);
    await outbox.markDelivered([saved.ids[0]!], SENT);
    await outbox.release([saved.ids[1]!], HOLD, SENT);
    await updateInbox(ctx).keep("telegram", [{ id: `${n}02`, body: "{}" }], T0);
    const begun = await beginTurn(ctx, identity, `k${n}`);
    return { begun: { ...begun, person: { ...begun.person, id: "-", platformUserId: "-" } }, unfinished: (await updateInbox(ctx).unfinished("telegram", T0, T0)).filter((u) => u.id.startsWith(n)) };
  }

  /** Every row the turn wrote, read through Prisma's model API, with its own ids made alike. */
  async function rowsOf(ctx: Ctx, n: string) {
    const same = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x) => (["id", "personId", "key", "chatId", "updateId"].includes(k) ? "-" : x)));
    const chat = { platform: "telegram", chatId: `c${n}` };
    return same({
      conversation: await ctx.db.conversation.findMany({ where: { key: `k${n}` } }),
      outbox: await ctx.db.outboxMessage.findMany({ where: chat, orderBy: { nextAttemptAt: "asc" } }),
      sends: await ctx.db.outboxSend.findMany({ where: chat }),
      processed: await ctx.db.processedUpdate.findMany({ where: { updateId: `${n}01` } }),
      inbox: await ctx.db.inboxUpdate.findMany({ where: { updateId: `${n}02` } }),
    });
  }

  it("writes and reads what Prisma's raw queries write and read, in a process east of UTC too", async () => {
    const ctx = await open();
    const viaPrisma: Ctx = { ...ctx, sql: prismaHotSql(ctx.db, TX_OPTIONS) };
    const tz = process.env.TZ;
    // pg's own conversion of a Date is local time, which a `timestamp` column would keep as UTC.
    process.env.TZ = "Asia/Shanghai";
    try {
      expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(-480);
      const hot = await turn(ctx, "1");
      const reference = await turn(viaPrisma, "2");
      expect(hot.begun).toEqual(reference.begun);
      expect(hot.unfinished).toEqual([{ id: "102", body: "{}" }]);
      expect(reference.unfinished).toEqual([{ id: "202", body: "{}" }]);
      const rows = await rowsOf(ctx, "1");
      expect(rows).toEqual(await rowsOf(ctx, "2"));
      expect(rows.outbox.map((r: { status: string; sentAt: string | null; nextAttemptAt: string }) => [r.status, r.sentAt, r.nextAttemptAt])).toEqual([
        ["pending", null, SENT.toISOString()],
        ["sent", SENT.toISOString(), HOLD.toISOString()],
      ]);
      expect(rows.conversation[0].updatedAt).toBe(T0.toISOString());
      // Dates read back through the hot statements are the same instants.
      const [read] = await ctx.sql.all(`SELECT "updatedAt", "revision", COUNT(*) OVER () AS "n" FROM "Conversation" WHERE "key" = ?`, ["k1"]);
      expect(read).toEqual({ updatedAt: T0, revision: 1, n: 1 });
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it("goes to the pool as prepared statements, not through Prisma's query engine", async () => {
    const ctx = await open();
    const client = ctx.db as unknown as Record<string, unknown>;
    const raw = ["$queryRawUnsafe", "$executeRawUnsafe", "$queryRaw", "$executeRaw", "$transaction"] as const;
    const saved = raw.map((name) => [name, client[name]] as const);
    for (const name of raw) client[name] = () => Promise.reject(new Error(`a hot statement went through Prisma's ${name}`));
    const probe = `SELECT 1 AS "x" FROM "ProcessedUpdate" WHERE "platform" = ? AND "updateId" = ?`;
    try {
      const prepared = await ctx.sql.transaction(async (tx) => {
        await tx.all(probe, ["telegram", "1"]);
        return tx.all(`SELECT "statement" FROM pg_prepared_statements WHERE NOT "from_sql"`, []);
      });
      expect(prepared.map((r) => String(r.statement))).toContain(`SELECT 1 AS "x" FROM "ProcessedUpdate" WHERE "platform" = $1 AND "updateId" = $2`);
      await expect(ctx.sql.transaction((tx) => tx.transaction(async () => 1))).rejects.toThrow("inside a transaction");
    } finally {
      for (const [name, method] of saved) client[name] = method;
    }
  });

  it("saves a turn and marks its replies sent in one statement each; a conflict or a redelivery takes the transaction and writes nothing", async () => {
    const ctx = await open();
    const calls: string[] = [];
    const counted: Ctx = {
      ...ctx,
      sql: {
        ...ctx.sql,
        all: (q, p) => (calls.push("statement"), ctx.sql.all(q, p)),
        run: (q, p) => (calls.push("statement"), ctx.sql.run(q, p)),
        transaction: (fn) => (calls.push("transaction"), ctx.sql.transaction(fn)),
      },
    };
    const owner = await opened!.store.person({ platform: "telegram", platformUserId: "u9", locale: "zh-CN" });
    const outbox = createReplyOutbox(counted);
    const replies = (update: string): HeldReplies => ({ to: { platform: "telegram", chatId: "c9" }, holdUntil: HOLD, bodies: [{ locale: "zh-CN", text: [{ key: "ask.room" }] }], update }) as HeldReplies;
    const saved = await outbox.saveConversation("k9", owner.id, { step: "room" }, 0, T0, replies("901"));
    if (!saved.ok) throw new Error(saved.code);
    await outbox.markDelivered(saved.ids, SENT);
    expect(calls.splice(0)).toEqual(["statement", "statement"]);
    expect((await ctx.db.outboxSend.findMany({ where: { chatId: "c9" } })).map((r) => r.at)).toEqual([SENT]);

    // The revision moved on: the statement refuses, the transaction says why, nothing is kept.
    expect(await outbox.saveConversation("k9", owner.id, { step: "name" }, 0, T0, replies("902"))).toEqual({ ok: false, code: "conflict" });
    expect(calls.splice(0)).toEqual(["statement", "transaction"]);
    // The update was handled before: the same, and the conversation is not written.
    expect(await outbox.saveConversation("k9", owner.id, { step: "name" }, 1, T0, replies("901"))).toEqual({ ok: false, code: "processed" });
    expect(calls.splice(0)).toEqual(["statement", "transaction"]);
    expect(await ctx.db.processedUpdate.findMany({ where: { updateId: { in: ["901", "902"] } }, select: { updateId: true } })).toEqual([{ updateId: "901" }]);
    expect(await ctx.db.conversation.findMany({ where: { key: "k9" }, select: { revision: true, state: true } })).toEqual([{ revision: 1, state: JSON.stringify({ step: "room" }) }]);
    expect(await ctx.db.outboxMessage.count({ where: { chatId: "c9" } })).toBe(1);
  });

  it("makes a burst of transactions wait for the pool's connections beside Prisma's, and all succeed", async () => {
    // Two connections, a 300 ms wait: 40 hot and 10 Prisma transactions of 50 ms is far beyond it.
    const ctx = await open({ size: 2, txWaitMs: 300 });
    let running = 0;
    let most = 0;
    const counted = async <T>(work: () => Promise<T>): Promise<T> => {
      most = Math.max(most, ++running);
      try {
        return await work();
      } finally {
        running--;
      }
    };
    const hot = Array.from({ length: 40 }, (_, i) =>
      ctx.sql.transaction((tx) => counted(async () => {
        await tx.all("SELECT pg_sleep(0.05)", []);
        return tx.run(`INSERT INTO "ProcessedUpdate" ("platform", "updateId", "at") VALUES (?, ?, ?)`, ["telegram", `b${i}`, T0]);
      })),
    );
    const prisma = Array.from({ length: 10 }, () => ctx.db.$transaction((tx) => counted(() => tx.$executeRawUnsafe("SELECT pg_sleep(0.05)"))));
    const results = await Promise.allSettled([...hot, ...prisma]);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(most).toBe(2);
    expect(await ctx.db.processedUpdate.count()).toBe(40);
  });

  it("rolls back a transaction that throws and hands the connection on clean", async () => {
    const ctx = await open({ size: 1, txWaitMs: 300 });
    const insert = `INSERT INTO "ProcessedUpdate" ("platform", "updateId", "at") VALUES (?, ?, ?)`;
    await expect(
      ctx.sql.transaction(async (tx) => {
        await tx.run(insert, ["telegram", "gone", T0]);
        await tx.run(insert, ["telegram", "gone", T0]);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    // The only connection is usable and outside any transaction: this commits.
    expect(await ctx.sql.transaction((tx) => tx.run(insert, ["telegram", "kept", T0]))).toBe(1);
    expect((await ctx.db.processedUpdate.findMany()).map((r) => r.updateId)).toEqual(["kept"]);
  });
});
