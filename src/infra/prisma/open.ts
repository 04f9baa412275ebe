/**
 * Opens the store the URL names: `file:…` is the embedded SQLite database, `postgres(ql)://…` the
 * PostgreSQL one. Each backend has its own generated client (a client is tied to one provider);
 * only the chosen one is loaded. The schema must already be migrated (`npm run db:migrate`).
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { IdGenerator, Store } from "../../core/ports.js";
import type { Ctx, Db } from "./db.js";
import { createStore, serializer } from "./store.js";
import { createOutboxStore } from "./outbox.js";
import type { OutboxStore } from "../../core/outbox.js";

export type Backend = "sqlite" | "postgresql";

export interface OpenedStore {
  readonly store: Store;
  readonly outbox: OutboxStore;
  readonly backend: Backend;
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

export async function openStore(opts: { databaseUrl: string; ids?: IdGenerator }): Promise<OpenedStore> {
  const ids = opts.ids;
  const newId = ids ? () => ids.next() : () => randomUUID();
  const backend = backendOf(opts.databaseUrl);
  const db = backend === "postgresql" ? await openPg(opts.databaseUrl) : await openSqlite(opts.databaseUrl);
  try {
    await checkMigrated(db, opts.databaseUrl);
  } catch (e) {
    await db.$disconnect();
    throw e;
  }
  const ctx = { db, newId };
  const serial: <T extends object>(x: T) => T = backend === "sqlite" ? serializer() : (x) => x;
  return {
    store: serial(createStore(ctx)),
    outbox: serial(createOutboxStore(ctx)),
    backend,
    use: (factory) => serial(factory(ctx)),
    close: () => db.$disconnect(),
  };
}

async function openSqlite(url: string): Promise<Db> {
  const [{ PrismaClient }, { PrismaBetterSQLite3 }] = await Promise.all([
    import("../../generated/prisma/client.js"),
    import("@prisma/adapter-better-sqlite3"),
  ]);
  // Same path rule as the adapter: strip `file:`, relative to the working directory.
  const file = url.replace(/^file:/, "");
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
  // WAL: one fsync per commit instead of several, and readers in other processes (backups, an
  // admin shell) do not block the bot. Foreign keys are set explicitly rather than trusting
  // better-sqlite3's compile-time default.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  return db;
}

async function openPg(url: string): Promise<Db> {
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([
    import("../../generated/prisma-pg/client.js"),
    import("@prisma/adapter-pg"),
  ]);
  // connectionString keeps sslmode and friends; the discrete-fields workaround (W4) only
  // matters for the CLI's shadow database.
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return db as unknown as Db;
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
