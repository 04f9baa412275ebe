/**
 * The hot statements' way to the database (src/infra/prisma/hot-sql.ts), on SQLite (straight to
 * the adapter's connection) and PostgreSQL (prepared statements on Prisma's pool, pg-hot-sql.ts): what it writes, Prisma reads
 * alike and the other way round; a transaction is all or nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Ctx } from "../../../src/infra/prisma/db.js";
import type BetterSqlite3 from "better-sqlite3";
import { placeholders, sqliteHotSql } from "../../../src/infra/prisma/hot-sql.js";
import { backends, type TestStore } from "../../support/db.js";

const AT = new Date("2026-11-23T02:00:00.123Z");
const LATER = new Date("2026-11-23T02:00:20.000Z");
const insertUpdate = `INSERT INTO "ProcessedUpdate" ("platform", "updateId", "at") VALUES (?, ?, ?) ON CONFLICT ("platform", "updateId") DO NOTHING`;

describe.each(backends())("hot SQL on $name", (backend) => {
  let store: TestStore;
  let ctx: Ctx;

  beforeEach(async () => {
    store = await backend.open();
    // Through `use`, so the calls below queue like the store's own (SQLite).
    ctx = await store.use((c) => ({ ctx: async () => c })).ctx();
  });
  afterEach(() => store.close());

  it("stores dates as Prisma does: each reads and compares the other's", async () => {
    expect(await ctx.sql.run(insertUpdate, ["telegram", "1", AT])).toBe(1);
    expect(await ctx.sql.run(insertUpdate, ["telegram", "1", LATER])).toBe(0);
    const row = await ctx.db.processedUpdate.findFirst({ where: { platform: "telegram", updateId: "1" } });
    expect(row?.at).toEqual(AT);
    expect(await ctx.db.processedUpdate.count({ where: { at: { gte: AT, lt: LATER } } })).toBe(1);

    await ctx.db.processedUpdate.create({ data: { platform: "slack", updateId: "2", at: LATER } });
    const found = await ctx.sql.all(`SELECT "updateId" FROM "ProcessedUpdate" WHERE "at" = ?`, [LATER]);
    expect(found).toEqual([{ updateId: "2" }]);
  });

  it.runIf(backend.name === "sqlite")("syncs every commit on SQLite (a power cut loses no ticket an owner was told of), on the connection the turns commit on", async () => {
    // better-sqlite3's build makes a WAL database NORMAL unless told (open.ts).
    expect(await ctx.sql.all("PRAGMA synchronous", [])).toEqual([{ synchronous: 2 }]);
    expect(await ctx.sql.all("PRAGMA journal_mode", [])).toEqual([{ journal_mode: "wal" }]);
  });

  it("commits a transaction that resolves and writes nothing of one that throws", async () => {
    const result = await ctx.sql.transaction(async (tx) => {
      await tx.run(insertUpdate, ["telegram", "a", AT]);
      return tx.run(insertUpdate, ["telegram", "b", AT]);
    });
    expect(result).toBe(1);
    await expect(
      ctx.sql.transaction(async (tx) => {
        await tx.run(insertUpdate, ["telegram", "c", AT]);
        throw new Error("the change failed half-way");
      }),
    ).rejects.toThrow("half-way");
    const ids = await ctx.sql.all(`SELECT "updateId" FROM "ProcessedUpdate" ORDER BY "updateId"`, []);
    expect(ids.map((r) => r.updateId)).toEqual(["a", "b"]);
    // The connection is usable again after the rollback.
    expect(await ctx.sql.run(insertUpdate, ["telegram", "c", AT])).toBe(1);
  });

  it("answers integers as numbers and binds lists of any length", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => String(i));
    // More distinct statements than are kept prepared: the oldest are dropped, not broken.
    for (const n of [1, 2, 3, 250]) {
      for (const id of ids.slice(0, n)) await ctx.sql.run(insertUpdate, ["slack", `${n}-${id}`, AT]);
    }
    for (let n = 1; n <= 250; n++) {
      const wanted = ids.slice(0, n).map((id) => `250-${id}`);
      const [row] = await ctx.sql.all(`SELECT COUNT(*) AS "n" FROM "ProcessedUpdate" WHERE "updateId" IN (${placeholders(n)})`, wanted);
      expect(Number(row!.n)).toBe(n);
    }
    const [count] = await ctx.sql.all(`SELECT COUNT(*) AS "n" FROM "ProcessedUpdate"`, []);
    expect(count!.n === 256 || count!.n === 256n).toBe(true);
  });

  if (backend.name === "sqlite") {
    it("goes to the SQLite connection itself, not through Prisma's query engine", async () => {
      const client = ctx.db as unknown as Record<string, unknown>;
      const raw = ["$queryRawUnsafe", "$executeRawUnsafe", "$queryRaw", "$executeRaw", "$transaction"] as const;
      const saved = raw.map((name) => [name, client[name]] as const);
      for (const name of raw) client[name] = () => Promise.reject(new Error(`a hot statement went through Prisma's ${name}`));
      try {
        expect(await ctx.sql.transaction((tx) => tx.run(insertUpdate, ["telegram", "direct", AT]))).toBe(1);
        const [row] = await ctx.sql.all(`SELECT COUNT(*) AS "n" FROM "ProcessedUpdate"`, []);
        expect(row!.n).toBe(1);
      } finally {
        for (const [name, method] of saved) client[name] = method;
      }
    });

    it("refuses a transaction inside a transaction instead of nesting it silently", async () => {
      await expect(ctx.sql.transaction(() => ctx.sql.transaction(async () => 1))).rejects.toThrow("already open");
      expect(await ctx.sql.run(insertUpdate, ["telegram", "after", AT])).toBe(1);
    });
  }
});

describe("hot SQL's transactions on SQLite", () => {
  it("are not left 'already open' by a BEGIN that failed", async () => {
    // A connection whose first BEGIN fails, as a closed one does; everything else succeeds.
    let beginFails = true;
    const statement = (sql: string) => ({
      safeIntegers: () => statement(sql),
      all: () => [],
      run: () => {
        if (sql === "BEGIN" && beginFails) {
          beginFails = false;
          throw new TypeError("The database connection is not open");
        }
        return { changes: 1 };
      },
    });
    const hot = sqliteHotSql(() => ({ prepare: statement }) as unknown as BetterSqlite3.Database);
    await expect(hot.transaction(async () => "first")).rejects.toThrow("not open");
    await expect(hot.transaction(async () => "second")).resolves.toBe("second");
  });
});
