/**
 * Prisma CLI configuration. Prisma 6.19.3 runs offline only with `engine: "js"` (the bundled WASM
 * schema engine) and a driver adapter; the engine and adapters have bugs worked around here
 * (W1–W4, see /work/shared/prisma-offline.md, and W6 below). W5 is a usage rule: run
 * `prisma migrate deploy` before `prisma migrate dev`.
 *
 * DATABASE_URL picks the backend: `file:…` is SQLite, `postgres(ql)://…` is PostgreSQL.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";

// The CLI does not read .env when a config file exists; npm start (scripts/migrate.mjs) does, so
// load it here too or `prisma migrate dev` and the app could disagree on the database.
if (fs.existsSync(".env")) process.loadEnvFile(".env");
// schema.prisma's env("DATABASE_URL") must resolve, or the CLI falls back to the "library"
// engine and tries to download it.
// A blank value counts as unset, as it does in src/config.ts.
if (!process.env.DATABASE_URL?.trim()) process.env.DATABASE_URL = "file:./data/guanjia.db";
const url = process.env.DATABASE_URL;
const isPg = /^postgres(ql)?:\/\//.test(url);

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;

// W1: the 6.19 WASM engine does not recognise the adapters' "table does not exist" error and fails
// with P1014 on a database without `_prisma_migrations`; pre-create it with Prisma's own DDL.
const MIGRATIONS_TABLE_SQLITE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;
const MIGRATIONS_TABLE_PG = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// W2: replaying migrations into the shadow DB sends a whole migration.sql through executeRaw,
// but better-sqlite3's prepare() takes one statement; fall back to executeScript for those.
function multiStatementSafe(a: Adapter): Adapter {
  const executeRaw = a.executeRaw.bind(a);
  a.executeRaw = async (q) => {
    try {
      return await executeRaw(q);
    } catch (e) {
      if (q.args.length > 0 || !/more than one statement/.test(String((e as Error)?.message))) throw e;
      await a.executeScript(q.sql);
      return 0;
    }
  };
  return a;
}

// W3: introspection returns `name` (oid 19) and `"char"` (oid 18) columns, which adapter-pg 6.19.3
// cannot map; report them as text (oid 25). performIO is private, hence the loose typing.
type PerformIO = (...args: unknown[]) => Promise<{ fields?: { dataTypeID: number }[] }>;
function pgNamesAsText<T extends object>(a: T): T {
  const io = a as unknown as { performIO: PerformIO; startTransaction?: (...args: unknown[]) => Promise<object> };
  const performIO = io.performIO.bind(a);
  io.performIO = async (...args) => {
    const res = await performIO(...args);
    for (const f of res.fields ?? []) if (f.dataTypeID === 19 || f.dataTypeID === 18) f.dataTypeID = 25;
    return res;
  };
  const start = io.startTransaction?.bind(a);
  if (start) io.startTransaction = async (...args) => pgNamesAsText(await start(...args));
  return a;
}

async function sqliteAdapter(): Promise<PrismaBetterSQLite3> {
  const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
  const { default: Database } = await import("better-sqlite3");
  // The same path rule as the adapter: strip `file:`, relative to the working directory.
  const file = url.replace(/^file:/, "");
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.exec(MIGRATIONS_TABLE_SQLITE);
  db.close();
  const factory = new PrismaBetterSQLite3({ url });
  const connect = factory.connect.bind(factory);
  const shadow = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => multiStatementSafe(await connect());
  factory.connectToShadowDb = async () => multiStatementSafe(await shadow());
  return factory;
}

// W6 (found here, not in the shared notes): the WASM engine guards `pg_advisory_lock` with a 10 s
// setTimeout that it never clears, so every PostgreSQL `migrate deploy` lingered 10 s after its
// work was done. Unref'd long timers still fire while a query keeps the process busy.
const UNREF = Symbol.for("guanjia.unrefLongTimers");
function unrefLongTimers(): void {
  // adapter() runs several times per CLI command; wrap once.
  const g = globalThis as typeof globalThis & { [UNREF]?: true };
  if (g[UNREF]) return;
  g[UNREF] = true;
  const setTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = setTimeout(fn, ms, ...args);
    if ((ms ?? 0) >= 10_000) timer.unref();
    return timer;
  }) as typeof globalThis.setTimeout;
}

async function pgAdapter(): Promise<PrismaPg> {
  unrefLongTimers();
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { default: pg } = await import("pg");
  // W4: adapter-pg's connectToShadowDb spreads {database} over a config whose connectionString
  // wins (so the "shadow" DB is the main one) and drops the DB before closing its pool. Discrete
  // fields fix the first; our own shadow lifecycle fixes the second. Query parameters are ignored.
  const u = new URL(url);
  const cfg: PoolConfig = {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    // The CLI never ends its pools; idle connections would hold the process open for 10 s.
    allowExitOnIdle: true,
  };
  const admin = async (sql: string) => {
    const c = new pg.Client(cfg);
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(MIGRATIONS_TABLE_PG);
  const factory = new PrismaPg(cfg);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => pgNamesAsText(await connect());
  factory.connectToShadowDb = async () => {
    const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
    await admin(`CREATE DATABASE "${name}"`);
    const a = await new PrismaPg({ ...cfg, database: name }).connect();
    const dispose = a.dispose.bind(a);
    a.dispose = async () => {
      await dispose();
      await admin(`DROP DATABASE IF EXISTS "${name}"`);
    };
    return pgNamesAsText(a);
  };
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: isPg ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: isPg ? "prisma/postgres/migrations" : "prisma/migrations" },
  adapter: isPg ? pgAdapter : sqliteAdapter,
});
