import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import type { HotSql } from "./hot-sql.js";

/**
 * The SQLite client's types stand for both generated clients: their model APIs are the same,
 * and the PostgreSQL client only adds options this store does not use.
 */
export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** What every part of the store is given. */
export interface Ctx {
  readonly db: Db;
  readonly newId: () => string;
  /** For the statements every owner message runs; see hot-sql.ts. */
  readonly sql: HotSql;
}

/**
 * Waiting is normal: fileTicket transactions of one property queue on its row (PostgreSQL) or on
 * the single connection (SQLite), and a burst of them must not hit Prisma's 2 s / 5 s defaults.
 */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

// By code rather than instanceof: each generated client could bring its own error classes.
function prismaCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
export const isUniqueViolation = (e: unknown): boolean => prismaCode(e) === "P2002";
/** A required record (for an update or a connect) did not exist. */
export const isRecordMissing = (e: unknown): boolean => prismaCode(e) === "P2025";
