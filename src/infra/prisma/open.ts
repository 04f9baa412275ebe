/**
 * Opens the store the URL names: `file:…` is the embedded SQLite database, `postgres(ql)://…` the
 * PostgreSQL one. Each backend has its own generated client (a client is tied to one provider);
 * only the chosen one is loaded. The schema must already be migrated (`npm run db:migrate`).
 */
import { randomInt, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { IdGenerator } from "../../core/util/ids.js";
import type BetterSqlite3 from "better-sqlite3";
import type { Prisma } from "../../generated/prisma/client.js";
import { DEFAULT_POOL, IDLE_IN_TRANSACTION_MS, queueTransactions, type Ctx, type Db, type PoolSettings } from "./db.js";
import { sqliteHotSql, type HotSql } from "./hot-sql.js";
import { pgHotSql } from "./pg-hot-sql.js";
import { PIPELINED_LANES, PipelinedStatements } from "./pg-pipeline.js";
import { createStore, serializer, type Stores } from "./store.js";
import { createOutboxStore } from "./outbox.js";
import type { OutboxStore } from "../../core/outbox.js";

export type Backend = "sqlite" | "postgresql";

export interface OpenedStore {
  readonly store: Stores;
  readonly outbox: OutboxStore;
  readonly backend: Backend;
  /** This process's mark on the outbox rows it holds (Ctx.holder), for its presence lock. */
  readonly holder: number;
  /**
   * Another part of the driven side over the same connection (the jobs' ledger, the report
   * queries...), queued with the store on SQLite like the store itself.
   */
  use<T extends object>(factory: (ctx: Ctx) => T): T;
  close(): Promise<void>;
}

export function backendOf(databaseUrl: string): Backend {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  if (databaseUrl.startsWith("file:")) return "sqlite";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
}

/** `pool` matters on PostgreSQL only (SQLite is one connection, queued by the store). */
export async function openStore(opts: { databaseUrl: string; ids?: IdGenerator; pool?: PoolSettings }): Promise<OpenedStore> {
  const ids = opts.ids;
  const newId = ids ? () => ids.next() : () => randomUUID();
  const backend = backendOf(opts.databaseUrl);
  const { db, sql, end } = backend === "postgresql" ? await openPg(opts.databaseUrl, opts.pool ?? DEFAULT_POOL) : { ...(await openSqlite(opts.databaseUrl)), end: undefined };
  try {
    await checkMigrated(db, opts.databaseUrl);
    if (backend === "postgresql") await checkPoolFits(db, opts.pool ?? DEFAULT_POOL);
  } catch (e) {
    await end?.();
    await db.$disconnect();
    throw e;
  }
  const ctx = { db, newId, sql, holder: randomInt(1, 2 ** 31 - 1) };
  const serial: <T extends object>(x: T) => T = backend === "sqlite" ? serializer() : (x) => x;
  return {
    store: serial(createStore(ctx)),
    outbox: serial(createOutboxStore(ctx)),
    backend,
    holder: ctx.holder,
    use: (factory) => serial(factory(ctx)),
    // Queued too on SQLite: a hot statement already waiting must run before the connection closes.
    close: serial({ close: async () => (await end?.(), await db.$disconnect()) }).close,
  };
}

async function openSqlite(url: string): Promise<{ db: Db; sql: HotSql }> {
  const [{ PrismaClient }, { PrismaBetterSQLite3 }] = await Promise.all([
    import("../../generated/prisma/client.js"),
    import("@prisma/adapter-better-sqlite3"),
  ]);
  // Same path rule as the adapter: strip `file:`, relative to the working directory.
  const file = url.replace(/^file:/, "");
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const factory = new PrismaBetterSQLite3({ url });
  // The adapter's better-sqlite3 connection, for the hot statements (hot-sql.ts). The adapter
  // keeps it as `client`; a version that stopped would fail at the first hot statement, loudly.
  let connection: BetterSqlite3.Database | undefined;
  const adapter: NonNullable<Prisma.PrismaClientOptions["adapter"]> = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const opened = await factory.connect();
      connection = (opened as unknown as { client?: BetterSqlite3.Database }).client;
      return opened;
    },
  };
  const db = new PrismaClient({ adapter });
  // WAL: one fsync per commit instead of several, and readers in other processes (backups, an
  // admin shell) do not block the bot. Foreign keys are set explicitly rather than trusting
  // better-sqlite3's compile-time default. So is the sync: better-sqlite3 is built with
  // SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, so a WAL database is NORMAL unless told, and NORMAL
  // survives a killed process but not a power cut: the last commits can vanish after an owner
  // was told their ticket number, and the number is then handed out again for another matter.
  // FULL syncs each commit (about 0.25 ms on the test machine), as PostgreSQL does by default.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = FULL");
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  const sql = sqliteHotSql(() => {
    if (typeof connection?.prepare !== "function") throw new Error("the SQLite adapter did not expose its better-sqlite3 connection");
    return connection;
  });
  return { db, sql };
}

async function openPg(url: string, pool: PoolSettings): Promise<{ db: Db; sql: HotSql; end: () => Promise<void> }> {
  const [{ PrismaClient }, { PrismaPg }, { default: pg }] = await Promise.all([
    import("../../generated/prisma-pg/client.js"),
    import("@prisma/adapter-pg"),
    import("pg"),
  ]);
  // connectionString keeps sslmode and friends; the discrete-fields workaround (W4) only
  // matters for the CLI's shadow database. One pool for Prisma and the hot statements'
  // transactions; Prisma ends it on disconnect. The hot statements alone go over PIPELINED_LANES
  // connections more (pg-pipeline.ts).
  const connections = new pg.Pool({ connectionString: url, max: pool.size, idle_in_transaction_session_timeout: pool.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS });
  const db = new PrismaClient({ adapter: new PrismaPg(connections, { disposeExternalPool: true }) }) as unknown as Db;
  const pipelined = new PipelinedStatements({ connectionString: url });
  return { db, sql: pgHotSql(connections, queueTransactions(db, pool), pipelined), end: () => pipelined.end() };
}

/** Fail at start-up with a hint, not at the first message with "table does not exist". */
async function checkMigrated(db: Db, url: string): Promise<void> {
  try {
    await db.property.findFirst({ select: { id: true } });
  } catch (e) {
    const where = url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
    const why = e instanceof Error ? e.message.trim().split("\n").at(-1) : String(e);
    throw new Error(
      `Cannot use the database ${where} (${why}). Is it reachable and migrated? Run \`npm run db:migrate\`.`,
    );
  }
}

/**
 * A pool the server cannot serve would pass start-up and then fail owners' turns with "sorry, too
 * many clients already" once the load comes: refuse it now, saying what would hold. Other
 * instances' pools count against the same limit, but only the operator knows how many run.
 */
async function checkPoolFits(db: Db, pool: PoolSettings): Promise<void> {
  const [limit] = await db.$queryRawUnsafe<{ max: number; reserved: number }[]>(
    "SELECT current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved",
  );
  if (!limit) return;
  // Beside the pool: the pipelined statements' connections and the presence lock's (presence.ts).
  const usable = limit.max - limit.reserved - PIPELINED_LANES - 1;
  if (pool.size > usable) {
    throw new Error(
      `DATABASE_POOL_SIZE=${pool.size} is more connections than this PostgreSQL server accepts (max_connections ${limit.max}, ` +
        `${limit.reserved} of them reserved for superusers, ${PIPELINED_LANES} for pipelined statements, 1 for the bot's presence): set DATABASE_POOL_SIZE to at most ${usable}, shared among the ` +
        "instances that use this server, or raise max_connections.",
    );
  }
}
