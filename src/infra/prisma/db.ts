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
  /**
   * This process among the instances sharing the database: written on the outbox rows it holds
   * for its own send (a held reply, a lease), so a live instance can release a killed one's
   * (presence.ts). A random positive 31-bit number, new each start.
   */
  readonly holder: number;
}

/**
 * Waiting is normal: fileTicket transactions of one property queue on its row (PostgreSQL) or on
 * the single connection (SQLite), and a burst of them must not hit Prisma's 2 s / 5 s defaults.
 */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/** PostgreSQL's connection pool (DATABASE_POOL_SIZE, DATABASE_TX_WAIT_MS); SQLite has one connection. */
export interface PoolSettings {
  /** Connections the process keeps open at most. */
  readonly size: number;
  /** How long a transaction may wait for its connection once it is its turn (Prisma's maxWait). */
  readonly txWaitMs: number;
  /**
   * How long the server lets one of our connections sit idle inside a transaction before it ends
   * the session (and with it the transaction's locks); IDLE_IN_TRANSACTION_MS unless given.
   */
  readonly idleInTransactionMs?: number;
}

/**
 * A transaction of ours is idle only while this process computes between two statements, a few
 * milliseconds; idle for Prisma's whole transaction timeout, it is a process that is gone. Killed
 * on a host that stays up, its kernel closes the connection and PostgreSQL rolls back at once;
 * on a host that lost power or its network nothing arrives, and without this the backend keeps
 * the transaction's row locks (a property's ticket counter: every filing of that property) until
 * TCP keepalive gives up, two hours by default (issue 10: the restarted process waits behind it).
 */
export const IDLE_IN_TRANSACTION_MS = TX_OPTIONS.timeout;

export const DEFAULT_POOL: PoolSettings = { size: 10, txWaitMs: TX_OPTIONS.maxWait };

/** Retries of a transaction Prisma could not start; each waited up to txWaitMs for a connection. */
const START_RETRIES = 3;

/**
 * A burst of owners must not fail their turns because the pool is busy (issue 16, item 4: at
 * 1,000 in flight, turns ended with "Unable to start a transaction in the given time"). Prisma
 * starts its maxWait clock when the transaction is asked for, so a thousand asking at once all
 * time out behind ten connections on a busy event loop. Here interactive transactions queue
 * first, at most `size` at once, without a clock; Prisma's wait then covers only the short
 * moment a connection is handed over, and a transaction that still could not start (nothing of
 * it ran) is tried again. One that started and failed is never repeated.
 */
export function queueTransactions(db: Db, pool: PoolSettings): Gate {
  const start = db.$transaction.bind(db) as (...args: unknown[]) => Promise<unknown>;
  const gate = new Gate(pool.size);
  const queued = async (first: unknown, options?: { maxWait?: number }): Promise<unknown> => {
    await gate.enter();
    try {
      // The batch form's statements are promises already made: they cannot be made again.
      if (typeof first !== "function") return await start(first, options);
      for (let attempt = 1; ; attempt++) {
        try {
          return await start(first, { ...options, maxWait: pool.txWaitMs });
        } catch (e) {
          if (!isNotStarted(e) || attempt > START_RETRIES) throw e;
        }
      }
    } finally {
      gate.leave();
    }
  };
  (db as unknown as { $transaction: typeof queued }).$transaction = queued;
  // The hot statements' transactions (pg-hot-sql.ts) wait here too: one count of open ones.
  return gate;
}

/** At most `size` holders at once; the rest wait in arrival order. */
export class Gate {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async enter(): Promise<void> {
    if (this.held < this.size) {
      this.held++;
      return;
    }
    // The leaving holder hands its place over, so `held` stays as it is.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held--;
  }
}

// By code rather than instanceof: each generated client could bring its own error classes.
function prismaCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
/** P2028 is also a transaction that timed out after it started: only "unable to start" is safe to retry. */
const isNotStarted = (e: unknown): boolean => prismaCode(e) === "P2028" && /unable to start a transaction/i.test(String((e as Error).message));
export const isUniqueViolation = (e: unknown): boolean => prismaCode(e) === "P2002";
/** A required record (for an update or a connect) did not exist. */
export const isRecordMissing = (e: unknown): boolean => prismaCode(e) === "P2025";
