/**
 * The PostgreSQL start-up warm-up (src/infra/prisma/warm-up.ts, issue 10): one owner's intake
 * runs to its filing inside a transaction that is rolled back, so the database is left exactly
 * as it was, and the pool's connections are opened. Needs TEST_DATABASE_URL.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import type { Ctx } from "../../../src/infra/prisma/db.js";
import { createWarmUp } from "../../../src/infra/prisma/warm-up.js";
import { systemClock, uuidIds } from "../../../src/infra/system.js";
import { freshPgStore, type TestStore } from "../../support/db.js";

const url = inject("testDatabaseUrl");

describe.skipIf(!url)("the PostgreSQL warm-up", () => {
  let opened: TestStore | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  /** Every table's rows, as text: what "left exactly as it was" compares. */
  async function everything(ctx: Ctx): Promise<Record<string, string>> {
    const tables = await ctx.sql.all(`SELECT tablename AS "name" FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY 1`, []);
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const rows = await ctx.sql.all(`SELECT t::text AS "row" FROM "${String(name)}" t ORDER BY 1`, []);
      out[String(name)] = rows.map((r) => r.row).join("\n");
    }
    return out;
  }

  it("files one intake inside a rolled-back transaction: nothing is left written, nothing logged as failed", async () => {
    opened = await freshPgStore({ pool: { size: 3, txWaitMs: 1_000 } });
    await opened.store.createProperty(DEMO_PROPERTY);
    const ctx = await opened.use((c) => ({ ctx: async () => c })).ctx();
    const before = await everything(ctx);
    expect(before.Property).not.toBe("");

    const said: string[] = [];
    const keep = (level: string) => (message: string) => void said.push(`${level} ${message}`);
    const warm = createWarmUp(ctx);
    const result = await warm.run({ clock: systemClock, ids: uuidIds, logger: { error: keep("error"), warn: keep("warn"), info: keep("info"), debug: keep("debug") }, poolSize: 3 });

    expect(result.filed).toBe(true);
    expect(said).toEqual(["info warm-up done"]);
    expect(await everything(ctx)).toEqual(before);
    // The pool's 3 connections and 3 pipelined ones are open (this process's, beside whatever
    // else uses the database; the one asking is not counted).
    const [open] = await ctx.sql.all(`SELECT COUNT(*) AS "n" FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ''`, []);
    expect(Number(open!.n)).toBeGreaterThanOrEqual(5);
  });

  it("says so and goes on when the intake cannot run (no property): still nothing written", async () => {
    opened = await freshPgStore();
    const ctx = await opened.use((c) => ({ ctx: async () => c })).ctx();
    const before = await everything(ctx);
    const said: string[] = [];
    const keep = (level: string) => (message: string) => void said.push(`${level} ${message}`);
    const result = await createWarmUp(ctx).run({ clock: systemClock, ids: uuidIds, logger: { error: keep("error"), warn: keep("warn"), info: keep("info"), debug: keep("debug") }, poolSize: 2 });
    expect(result.filed).toBe(false);
    expect(said.at(-1)).toBe("info warm-up done");
    expect(await everything(ctx)).toEqual(before);
  });
});
