/**
 * Start-up warm-up for PostgreSQL (issue 10: the slowest owner answer after a restart was 2.1–2.6 s,
 * target < 2 s). A new process pays for the first query of each shape: Prisma's query compiler
 * and interpreter run cold, and each pool connection is opened on demand. Before the adapters
 * poll, one owner's whole intake, filing included, runs through the real owner desk on a store
 * whose every statement goes into ONE transaction that is then rolled back: every shape a turn
 * and a filing use is warmed, and nothing is written (no person, no ticket, no card in the
 * outbox); nothing is sent either, as the desk here has no transport and no reply outbox. Then
 * the connections are opened.
 *
 * Best effort: a warm-up that fails (a property the script does not fit, a database that is slow
 * to answer) leaves the process as cold as before, never stopped.
 */
import { OwnerDesk } from "../../core/desk/owner-desk.js";
import type { InboundBody } from "../../core/messages.js";
import type { Clock } from "../../core/time/clock.js";
import type { IdGenerator } from "../../core/util/ids.js";
import type { Logger } from "../../core/logger.js";
import type { Ctx, Db, Tx } from "./db.js";
import { prismaHotSql, type HotSql } from "./hot-sql.js";
import { createStore } from "./store.js";

/** What an owner types for one repair, to the confirmation that files it (the intake bench's script). */
const INTAKE: readonly InboundBody[] = [
  { type: "text", text: "楼上漏水,我家天花板都泡了" },
  { type: "text", text: "1" },
  { type: "text", text: "1-1001" },
  { type: "text", text: "张三" },
  { type: "text", text: "13800000000" },
  { type: "text", text: "1" },
  { type: "text", text: "昨天晚上" },
  { type: "photo", fileRef: "warm-up" },
  { type: "text", text: "1" },
  { type: "text", text: "明天上午" },
  { type: "text", text: "1" },
];

/** Thrown at the end of the warm-up's transaction to roll everything in it back. */
const ROLL_BACK = new Error("warm-up: rolled back");
/** Longer than Prisma's 15 s: eleven cold turns on a loaded machine, once. */
const WARM_UP_TX = { maxWait: 10_000, timeout: 60_000 } as const;

export interface WarmUp {
  /** `filed`: the intake reached its ticket (inside the transaction, then rolled back with it). */
  run(deps: { clock: Clock; ids: IdGenerator; logger: Logger; poolSize: number }): Promise<{ filed: boolean; ms: number }>;
}

export function createWarmUp(ctx: Ctx): WarmUp {
  return {
    async run({ clock, ids, logger, poolSize }) {
      const started = clock.now().getTime();
      let filed = false;
      try {
        await ctx.db.$transaction(async (tx) => {
          const tickets = await tx.ticket.count();
          const store = createStore({ ...ctx, db: inline(tx), sql: inlineSql(tx) });
          const desk = new OwnerDesk({ store, clock, ids, logger: quiet(logger) });
          for (const body of INTAKE) {
            await desk.handle({ channel: "console", conversationKey: "warm-up", sender: { platformUserId: "warm-up" }, body });
          }
          filed = (await tx.ticket.count()) > tickets;
          throw ROLL_BACK;
        }, WARM_UP_TX);
      } catch (e) {
        if (e !== ROLL_BACK) logger.warn("warm-up: the rolled-back intake failed; the first owners may wait longer", e);
      }
      // Opens the connections now rather than on the first owners' messages: the pool's (through
      // `waiting`, which uses it) and the pipelined ones of the statements alone (pg-pipeline.ts).
      const open = (sql: Pick<HotSql, "all">) => Array.from({ length: poolSize }, () => sql.all("SELECT 1", []));
      await Promise.all([...open(ctx.sql.waiting ?? ctx.sql), ...(ctx.sql.waiting ? open(ctx.sql) : [])]).catch(() => undefined);
      const ms = clock.now().getTime() - started;
      logger.info("warm-up done", { ms, filed });
      return { filed, ms };
    },
  };
}

/** The transaction client as the store's `db`: a transaction asked for inside runs in this one. */
function inline(tx: Tx): Db {
  const $transaction = (arg: unknown) => (typeof arg === "function" ? (arg as (t: Tx) => Promise<unknown>)(tx) : Promise.all(arg as Promise<unknown>[]));
  return new Proxy(tx, { get: (target, key) => (key === "$transaction" ? $transaction : Reflect.get(target, key)) }) as unknown as Db;
}

/** The hot statements inside the same transaction (through Prisma: only it holds that connection). */
function inlineSql(tx: Tx): HotSql {
  const sql: HotSql = { ...prismaHotSql(tx), transaction: (fn) => fn(sql) };
  return sql;
}

/** The desk's errors here are the warm-up's, reported once by `run`; a turn's own logging stays quiet. */
function quiet(logger: Logger): Logger {
  const debug = (message: string, error?: unknown) => logger.debug(`warm-up: ${message}`, { error: String(error) });
  return { ...logger, error: debug, warn: debug };
}
