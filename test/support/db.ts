/**
 * Real stores for tests: a private SQLite file per call, or the shared TEST_DATABASE_URL
 * PostgreSQL database emptied for the caller. Always `close()` what you open.
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import type { OutboxStore } from "../../src/core/outbox.js";
import type { IdGenerator } from "../../src/core/util/ids.js";
import type { Stores } from "../../src/infra/prisma/store.js";
import { openStore } from "../../src/infra/prisma/open.js";
import type { Ctx, PoolSettings } from "../../src/infra/prisma/db.js";

export interface TestStore {
  readonly store: Stores;
  readonly outbox: OutboxStore;
  /** More of the driven side over the same connection: `use(createJobLedger)`. */
  use<T extends object>(factory: (ctx: Ctx) => T): T;
  close(): Promise<void>;
}

export interface TestBackend {
  readonly name: "sqlite" | "postgresql";
  open(opts?: { ids?: IdGenerator }): Promise<TestStore>;
}

/** A new SQLite database: a copy of the migrated template, deleted again by close(). */
export async function freshSqliteStore(opts: { ids?: IdGenerator } = {}): Promise<TestStore> {
  const template = inject("sqliteTemplate");
  const file = join(dirname(template), `${randomUUID()}.db`);
  copyFileSync(template, file);
  const opened = await openStore({ databaseUrl: `file:${file}`, ids: opts.ids });
  return {
    store: opened.store,
    outbox: opened.outbox,
    use: opened.use,
    async close() {
      await opened.close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    },
  };
}

/**
 * The TEST_DATABASE_URL database with every table emptied. Test files run in parallel workers
 * but share this one database, so each open store holds an advisory lock until close():
 * PostgreSQL tests of different files take turns instead of truncating under each other.
 */
export async function freshPgStore(opts: { ids?: IdGenerator; pool?: PoolSettings } = {}): Promise<TestStore> {
  const url = inject("testDatabaseUrl");
  if (!url) throw new Error('freshPgStore needs TEST_DATABASE_URL, e.g. "$(scripts/ci-postgres.sh | tail -n1)"');
  const lock = await acquireTestLock(url);
  try {
    const { rows } = await lock.client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'",
    );
    await lock.client.query(`TRUNCATE ${rows.map((r) => `"${r.name}"`).join(", ")} CASCADE`);
    const opened = await openStore({ databaseUrl: url, ids: opts.ids, pool: opts.pool });
    return {
      store: opened.store,
      outbox: opened.outbox,
      use: opened.use,
      async close() {
        try {
          await opened.close();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (e) {
    await lock.release();
    throw e;
  }
}

/** The backends this run can test, for `describe.each(backends())("… on $name", …)`. */
export function backends(): TestBackend[] {
  const list: TestBackend[] = [{ name: "sqlite", open: freshSqliteStore }];
  if (inject("testDatabaseUrl")) list.push({ name: "postgresql", open: freshPgStore });
  return list;
}

/** Not PRESENCE_LOCK ("guan", src/infra/prisma/presence.ts): a bot started by a test holds that one shared. */
const LOCK_KEY = 0x67747374; // "gtst"
let held: Promise<pg.Client> | null = null;
let holders = 0;

/** Shared by the stores open in this worker; released when the last one closes. */
async function acquireTestLock(url: string): Promise<{ client: pg.Client; release(): Promise<void> }> {
  holders++;
  held ??= (async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("SET lock_timeout = '60s'");
      await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    } catch (e) {
      await client.end();
      throw new Error(`freshPgStore: no turn on TEST_DATABASE_URL within 60 s; did a test not close() its store? (${e})`);
    }
    return client;
  })();
  let client: pg.Client;
  try {
    client = await held;
  } catch (e) {
    holders--;
    held = null;
    throw e;
  }
  let released = false;
  return {
    client,
    async release() {
      if (released) return;
      released = true;
      if (--holders > 0) return;
      held = null;
      await client.end(); // ending the session releases the advisory lock
    },
  };
}
