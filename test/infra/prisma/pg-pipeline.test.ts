/**
 * The hot statements alone on PostgreSQL over a few pipelined connections
 * (src/infra/prisma/pg-pipeline.ts): many at once share at most PIPELINED_LANES connections, an
 * error fails its own statement only, a lane that breaks is replaced, and a filing waiting on the
 * ticket counter holds up nothing queued behind it. Needs TEST_DATABASE_URL.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import type { Ctx } from "../../../src/infra/prisma/db.js";
import { PIPELINED_LANES } from "../../../src/infra/prisma/pg-pipeline.js";
import { freshPgStore, type TestStore } from "../../support/db.js";

const url = inject("testDatabaseUrl");
const T0 = new Date("2026-11-23T02:00:00.123Z");

describe.skipIf(!url)("hot statements over pipelined connections", () => {
  let opened: TestStore | undefined;
  const open = async (): Promise<Ctx> => {
    opened = await freshPgStore();
    return opened.use((c) => ({ ctx: async () => c })).ctx();
  };
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  const pid = async (ctx: Ctx): Promise<number> => Number((await ctx.sql.all(`SELECT pg_backend_pid() AS "pid"`, []))[0]!.pid);

  it("share a few connections, and an error fails only its own statement", async () => {
    const ctx = await open();
    const pids = await Promise.all(Array.from({ length: 60 }, () => pid(ctx)));
    expect(new Set(pids).size).toBeGreaterThan(1);
    expect(new Set(pids).size).toBeLessThanOrEqual(PIPELINED_LANES);

    const insert = `INSERT INTO "ProcessedUpdate" ("platform", "updateId", "at") VALUES (?, ?, ?)`;
    const results = await Promise.allSettled([
      ctx.sql.run(insert, ["telegram", "a", T0]),
      ctx.sql.run(insert, ["telegram", "a", T0]),
      ctx.sql.all(`SELECT 1 / ? AS "x"`, [0]),
      ctx.sql.run(insert, ["telegram", "b", T0]),
    ]);
    const code = (r: PromiseSettledResult<unknown>) => (r.status === "rejected" ? (r.reason as { code?: string }).code : null);
    // The two inserts of "a" may go on two lanes, two connections: either may commit first
    // (seen in CI). Exactly one of them fails, on the unique key, and nothing else with it.
    expect(results.slice(0, 2).map(code).sort()).toEqual(["23505", null]);
    expect(results.slice(2).map(code)).toEqual(["22012", null]);
    expect((await ctx.db.processedUpdate.findMany({ orderBy: { updateId: "asc" } })).map((r) => r.updateId)).toEqual(["a", "b"]);
  });

  it("replaces a lane whose connection was ended", async () => {
    const ctx = await open();
    const before = new Set(await Promise.all(Array.from({ length: 20 }, () => pid(ctx))));
    await ctx.db.$executeRawUnsafe(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1::int[])`, [...before]);
    // Statements already on a terminated lane may fail, as one on a pool connection would; the
    // lanes are then replaced and statements run again.
    await Promise.allSettled(Array.from({ length: 10 }, () => pid(ctx)));
    await new Promise((r) => setTimeout(r, 50));
    const after = await Promise.all(Array.from({ length: 20 }, () => pid(ctx)));
    expect(after.filter((p) => before.has(p))).toEqual([]);
  });

  it("lets a filing wait on the ticket counter without holding up the statements behind it", async () => {
    const ctx = await open();
    const property = await opened!.store.createProperty({ code: "hg", name: "虹港家园" });
    const owner = await opened!.store.person({ platform: "telegram", platformUserId: "u1", locale: "zh-CN" });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = ctx.sql.transaction(async (tx) => {
      await tx.run(`UPDATE "Property" SET "ticketSeq" = "ticketSeq" WHERE "id" = ?`, [property.id]);
      locked();
      await held;
    });
    await isLocked;
    let filed = false;
    const filing = opened!.store
      .fileTicket({
        intakeId: "i1", propertyId: property.id, zoneId: null, roomId: null, kind: "repair", category: "engineering", weight: "general", majorReasons: [],
        ownerId: owner.id, roomLabel: null, contactName: null, contactPhone: null, location: "home", place: null, description: "漏水", since: null,
        visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: T0, nextReplyDueAt: null, confirmation: {},
      })
      .then((f) => ((filed = true), f));
    await new Promise((r) => setTimeout(r, 100));
    // Far more statements than lanes, all answered while the filing still waits.
    expect(await Promise.all(Array.from({ length: 4 * PIPELINED_LANES }, () => ctx.sql.all(`SELECT 1 AS "x"`, [])))).toHaveLength(4 * PIPELINED_LANES);
    expect(filed).toBe(false);
    release();
    await holder;
    expect((await filing).ticket.number).toBe("HG-0001");
  });
});
