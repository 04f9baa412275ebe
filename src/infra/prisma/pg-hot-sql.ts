/**
 * The hot statements (hot-sql.ts) on PostgreSQL: straight to the pg.Pool that Prisma's adapter
 * uses, as named prepared statements, so a statement is parsed and planned once per connection
 * instead of going through Prisma's query compiler and interpreter on every call (issue 16, item 4).
 *
 * Values are written as Prisma's adapter writes them, so rows compare alike whichever way they
 * were written: a date as its UTC wall-clock time (every DateTime column is `timestamp(3)`, with no
 * zone; pg's own conversion would write the process's local time), a boolean as true/false.
 * Read back, a `timestamp` is that UTC time as a Date, and a `bigint` (COUNT(*)) is a number, as
 * on SQLite. Errors are pg's own (`code` is PostgreSQL's SQLSTATE), not Prisma's P-codes.
 */
import pg from "pg";
import { numbered, type HotSql, type Row } from "./hot-sql.js";

/** Where a transaction waits its turn; shared with Prisma's transactions (db.ts's `queueTransactions`). */
export interface TransactionGate {
  enter(): Promise<void>;
  leave(): void;
}

/**
 * Distinct statements given a name; past this many, a new text runs unnamed (parsed each time),
 * so a process never fills every connection with prepared statements used once.
 */
const NAMED_STATEMENTS = 200;
/** Each statement's name and numbered text, found with one lookup per call (the text is long). */
const statements = new Map<string, { readonly name: string | undefined; readonly text: string }>();

function query(sql: string, params: readonly unknown[]): pg.QueryConfig {
  let statement = statements.get(sql);
  if (statement === undefined) {
    const named = statements.size < NAMED_STATEMENTS;
    statement = { name: named ? `guanjia_hot_${statements.size + 1}` : undefined, text: numbered(sql) };
    if (named) statements.set(sql, statement);
  }
  const values = new Array<unknown>(params.length);
  for (let i = 0; i < params.length; i++) values[i] = pgValue(params[i]);
  // pg copies the config (every own property) into its Query: no property beyond these.
  return statement.name === undefined ? { text: statement.text, values, types: TYPES } : { name: statement.name, text: statement.text, values, types: TYPES };
}

/** As `@prisma/adapter-pg` sends a DateTime: "YYYY-MM-DD HH:MM:SS.mmm" in UTC. */
export function pgTimestamp(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

function pgValue(value: unknown): unknown {
  if (value instanceof Date) return pgTimestamp(value);
  if (typeof value === "bigint") return value.toString();
  return value ?? null;
}

const TIMESTAMP = 1114;
const INT8 = 20;
const parseTimestamp = (text: string): Date => new Date(`${text.replace(" ", "T")}Z`);
const parseInt8 = (text: string): number => Number(text);
/**
 * Per query, never pg's global table: Prisma's queries on the same pool fall back to that one.
 * pg asks it for every column of every result, so the parsers are made once.
 */
const TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === TIMESTAMP) return parseTimestamp;
    if (oid === INT8) return parseInt8;
    return pg.types.getTypeParser(oid, format as "text");
  },
} as unknown as pg.CustomTypesConfig;

/** What runs one statement: the pool, a client of it, or the pipelined connections. */
interface Queryable {
  query<R extends pg.QueryResultRow>(statement: pg.QueryConfig): Promise<pg.QueryResult<R>>;
}

function on(db: Queryable): Omit<HotSql, "transaction"> {
  return {
    all: async (sql, params) => (await db.query<Row>(query(sql, params))).rows,
    run: async (sql, params) => (await db.query(query(sql, params))).rowCount ?? 0,
  };
}

/**
 * Statements alone go over `pipelined` (pg-pipeline.ts) when given, `waiting` ones to the pool.
 * A transaction is one client of the pool, BEGIN … COMMIT, released in `finally`. It first
 * waits at `gate` with Prisma's transactions, so at most the pool's size are open at once; then
 * pg's pool hands a connection over in arrival order with no time limit: a turn waits, it never
 * fails for want of a connection.
 */
export function pgHotSql(pool: pg.Pool, gate: TransactionGate, pipelined?: Queryable): HotSql {
  return {
    ...on(pipelined ?? pool),
    waiting: on(pool),
    postgres: true,
    async transaction(fn) {
      await gate.enter();
      try {
        const client = await pool.connect();
        // A connection lost mid-transaction fails the statement in flight; without a listener
        // the client's "error" event would end the process.
        const ignore = (): void => {};
        client.on("error", ignore);
        let broken: Error | undefined;
        try {
          await client.query("BEGIN");
          const result = await fn({ ...on(client), transaction: () => Promise.reject(new Error("hot SQL: a transaction inside a transaction")) });
          await client.query("COMMIT");
          return result;
        } catch (e) {
          // The caller sees the first error, not a rollback's; a connection that cannot even
          // roll back is closed rather than handed to the next turn.
          await client.query("ROLLBACK").catch((r: unknown) => {
            broken = r instanceof Error ? r : new Error(String(r));
          });
          throw e;
        } finally {
          client.removeListener("error", ignore);
          client.release(broken);
        }
      } finally {
        gate.leave();
      }
    },
  };
}
