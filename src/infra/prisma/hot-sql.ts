/**
 * The way to the database for the few statements every owner message runs (the redelivery
 * check, the turn's read, the conversation save with its held replies, marking them sent).
 *
 * Why not Prisma for these: on SQLite a raw query through Prisma still goes through the client
 * engine (request, WASM compiler, interpreter) and the adapter, which prepares the statement
 * anew each time; measured in the Telegram bench, that was about half of the bot's CPU per
 * message. On SQLite these statements go straight to the adapter's own better-sqlite3 connection
 * with prepared statements kept. That is safe only because the SQLite store runs one call at a
 * time on that connection (`serializer` in store.ts): no Prisma transaction can be open on it
 * while a call runs these, and nothing else runs between this transaction's BEGIN and COMMIT.
 * On PostgreSQL they go to Prisma's pg.Pool as named prepared statements (pg-hot-sql.ts);
 * `prismaHotSql` (Prisma raw queries) is the reference they are tested against.
 *
 * The SQL is written once, portable, with `?` for parameters. Results are plain rows; a boolean
 * column comes back 0/1 from SQLite and true/false from PostgreSQL, integers as numbers, and
 * dates as the database gives them (callers here read none).
 */
import type BetterSqlite3 from "better-sqlite3";
// The generated client's own types, not db.ts's names for them: db.ts builds its Ctx on this file.
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";

export type Row = Record<string, unknown>;

export interface HotSql {
  all(sql: string, params: readonly unknown[]): Promise<Row[]>;
  /** How many rows the statement changed. */
  run(sql: string, params: readonly unknown[]): Promise<number>;
  /** `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (sql: HotSql) => Promise<T>): Promise<T>;
  /**
   * Set on PostgreSQL's pool, outside any transaction: statements that write several tables at
   * once (a data-modifying WITH) may replace a transaction there (pg-turn.ts). SQLite has none.
   */
  readonly postgres?: true;
  /**
   * PostgreSQL: for a statement alone that may wait on a row lock held across round trips (the
   * ticket counter), on a connection of its own, so that nothing queued behind it on a
   * pipelined connection (pg-pipeline.ts) waits too. Elsewhere `all` and `run` do.
   */
  readonly waiting?: Pick<HotSql, "all" | "run">;
}

/** A nullable text column of a hot row. */
export const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** `?, ?, ?` for a list of `count` values, as in `IN (…)`. */
export const placeholders = (count: number): string => Array.from({ length: count }, () => "?").join(", ");

/**
 * One INSERT of `rows` into `table`, the columns named by the first row's keys (every row has
 * the same keys in the same order, so the statement text, and its prepared statement, is the
 * same each time). `tail` follows the VALUES, e.g. an ON CONFLICT clause.
 */
export async function insertRows(sql: HotSql, table: string, rows: readonly Row[], tail = ""): Promise<number> {
  if (rows.length === 0) return 0;
  const params: unknown[] = [];
  return sql.run(insertStatement(table, rows, (_, value) => (params.push(value), "?"), tail), params);
}

/**
 * The text of `insertRows`'s INSERT, each value written by `value` (a `?` it binds, or an
 * expression: pg-filing.ts reads the ticket's number from a CTE). `rows` must not be empty.
 */
export function insertStatement(table: string, rows: readonly Row[], value: (column: string, value: unknown) => string, tail = ""): string {
  const columns = Object.keys(rows[0]!);
  const tuples = rows.map((row) => `(${columns.map((c) => value(c, row[c])).join(", ")})`);
  return `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}${tail ? ` ${tail}` : ""}`;
}

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement<unknown[], Row>;

/** Distinct statements kept prepared; `IN` lists of different lengths are different statements. */
const CACHED_STATEMENTS = 200;

/**
 * Over the better-sqlite3 connection `connection()` returns (asked each time: Prisma may
 * reconnect). Parameters are stored exactly as Prisma's adapter stores them (a date as ISO 8601
 * with "+00:00", a boolean as 0/1), so rows written here and through Prisma compare alike.
 */
export function sqliteHotSql(connection: () => Database): HotSql {
  let owner: Database | undefined;
  const statements = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    const db = connection();
    if (db !== owner) {
      statements.clear();
      owner = db;
    }
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= CACHED_STATEMENTS) statements.delete(statements.keys().next().value!);
      // The adapter turns safe integers on for the whole connection; these rows hold none past 2^53.
      statement = db.prepare<unknown[], Row>(sql).safeIntegers(false);
      statements.set(sql, statement);
    }
    return statement;
  };
  const hot: HotSql = {
    all: async (sql, params) => prepare(sql).all(...params.map(sqliteValue)),
    run: async (sql, params) => prepare(sql).run(...params.map(sqliteValue)).changes,
    async transaction(fn) {
      // The store's one-call-at-a-time queue makes this impossible; if it ever broke, fail loudly.
      // The connection itself knows (a BEGIN that failed left nothing open), ours or Prisma's.
      if (connection().inTransaction) throw new Error("hot SQL: a transaction is already open on the SQLite connection");
      prepare("BEGIN").run();
      try {
        const result = await fn(hot);
        prepare("COMMIT").run();
        return result;
      } catch (e) {
        // A failed COMMIT (the file locked by another process past the busy timeout) leaves the
        // transaction open; a failed statement may already have ended it. Either way the
        // caller must see the first error, not a rollback's.
        try {
          prepare("ROLLBACK").run();
        } catch {}
        throw e;
      }
    },
  };
  return hot;
}

/** As `@prisma/adapter-better-sqlite3` maps arguments (timestampFormat "iso8601", its default). */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value ?? null;
}

/** Prisma raw queries, for PostgreSQL; `?` becomes `$1`, `$2`… */
export function prismaHotSql(db: PrismaClient | Prisma.TransactionClient, transactionOptions?: { maxWait: number; timeout: number }): HotSql {
  return {
    all: (sql, params) => db.$queryRawUnsafe<Row[]>(numbered(sql), ...params),
    run: (sql, params) => db.$executeRawUnsafe(numbered(sql), ...params),
    transaction(fn) {
      if (!("$transaction" in db)) throw new Error("hot SQL: a transaction inside a transaction");
      return db.$transaction((tx) => fn(prismaHotSql(tx)), transactionOptions);
    },
  };
}

const numberedCache = new Map<string, string>();
/** `?` becomes `$1`, `$2`…: our statements hold no `?` in a string literal, so every `?` is a parameter. */
export function numbered(sql: string): string {
  let out = numberedCache.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (numberedCache.size < CACHED_STATEMENTS) numberedCache.set(sql, out);
  }
  return out;
}
