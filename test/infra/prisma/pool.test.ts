/**
 * PostgreSQL under a burst (issue 16, item 4): interactive transactions beyond the pool queue
 * instead of failing with "Unable to start a transaction in the given time"; at most the pool's
 * size run at once; one that started and failed is not run again. Needs TEST_DATABASE_URL.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { describe, expect, inject, it } from "vitest";
import { PrismaClient } from "../../../src/generated/prisma-pg/client.js";
import type { Db } from "../../../src/infra/prisma/db.js";
import { openStore } from "../../../src/infra/prisma/open.js";

const url = inject("testDatabaseUrl");
const POOL = { size: 2, txWaitMs: 300 };
/** 40 transactions of 50 ms over 2 connections: a second of work, far beyond the 300 ms wait. */
const BURST = 40;

describe.skipIf(!url)("PostgreSQL transactions beyond the pool", () => {
  it("fail without the queue (what the bench saw), so the test below means something", async () => {
    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url!, max: POOL.size }) });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: BURST }, () => db.$transaction((tx) => tx.$executeRawUnsafe("SELECT pg_sleep(0.05)"), { maxWait: POOL.txWaitMs })),
      );
      const failures = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.every((f) => /Unable to start a transaction in the given time/.test(f))).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });

  it("wait their turn, at most the pool's size at once, and all succeed", async () => {
    const opened = await openStore({ databaseUrl: url!, pool: POOL });
    try {
      const db = opened.use((ctx) => ({ db: ctx.db })).db as Db;
      let running = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: BURST }, () =>
          db.$transaction(async (tx) => {
            most = Math.max(most, ++running);
            await tx.$executeRawUnsafe("SELECT pg_sleep(0.05)");
            running--;
          }, { maxWait: POOL.txWaitMs }),
        ),
      );
      expect(most).toBe(POOL.size);
    } finally {
      await opened.close();
    }
  });

  it("never runs again a transaction that started and failed", async () => {
    const opened = await openStore({ databaseUrl: url!, pool: POOL });
    try {
      const db = opened.use((ctx) => ({ db: ctx.db })).db as Db;
      let runs = 0;
      const failing = db.$transaction(async (tx) => {
        runs++;
        await tx.$queryRawUnsafe("SELECT 1/0");
      });
      await expect(failing).rejects.toThrow(/division by zero/);
      expect(runs).toBe(1);
    } finally {
      await opened.close();
    }
  });
});
