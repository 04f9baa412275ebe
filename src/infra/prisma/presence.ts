/**
 * Which instances are running, for PostgreSQL, where several may share the database (issue 10).
 *
 * Why: the outbox sender leases a message before sending it (60 s), so another instance never
 * sends it too. A sender killed holding a lease leaves that chat's queue stopped until the lease
 * ends, and an owner's next answers in that chat wait behind it, for up to a minute after the
 * restart. On SQLite the one instance ends such leases at its start; on PostgreSQL it may do so
 * only when no other instance is alive, or it would end a live sender's lease and send twice.
 *
 * How: every running instance holds the session-level advisory lock PRESENCE_LOCK in shared mode
 * on a connection of its own, for its whole life. The server drops it with the session, at once
 * when a process is killed on a host that stays up. A starting instance first tries the lock in
 * exclusive mode: it gets it only when no other instance holds it, runs `whenAlone` (ending dead
 * senders' leases) while still holding it, so no instance can start sending meanwhile, and then
 * keeps the shared lock like the others.
 *
 * That covers a restart, not an instance killed while others run on: its held replies would
 * wait out their hold (20 s) and its leases their minute, with that owner's next answers behind
 * them. So each instance also holds, on the same connection, the two-key advisory lock
 * (HOLDER_LOCK, its holder number), and writes that number on the outbox rows it holds (Ctx.holder).
 * Every REAP_EVERY_MS each instance releases the rows whose holder's lock is gone from `pg_locks`:
 * a killed instance's. A live instance's lock is always there, so its rows are never touched.
 */
import pg from "pg";
import { pgTimestamp } from "./pg-hot-sql.js";

/** Any fixed number: "guan" in ASCII. */
export const PRESENCE_LOCK = 0x6775616e;
/** The class of the instances' own locks (two-key advisory locks): "gjhd" in ASCII. */
export const HOLDER_LOCK = 0x676a6864;
/** A killed instance's held replies and leases wait at most this long (plus a sender's poll) while others run. */
export const REAP_EVERY_MS = 2_000;

/** The holder numbers of the running instances, as a subquery. */
export const LIVE_HOLDERS = `SELECT "objid"::int8 FROM pg_locks WHERE "locktype" = 'advisory' AND "classid" = ${HOLDER_LOCK} AND "objsubid" = 2`;

export interface Presence {
  /** No other instance was running when this one started. */
  readonly alone: boolean;
  /** Releases what killed instances held (due at `at`); how many messages. Also run every REAP_EVERY_MS. */
  reap(at: Date): Promise<number>;
  /** Ends the session, and with it this instance's part of the lock. */
  close(): Promise<void>;
}

export interface PresenceOptions {
  /** This instance's holder number (Ctx.holder). */
  readonly holder: number;
  /** Runs while no other instance can start: there was none when this one started. */
  readonly whenAlone: () => Promise<unknown>;
  readonly now: () => Date;
  /** Told how many messages a reap released, when it released any, or why it failed. */
  readonly onReap?: (released: number, error?: unknown) => void;
  readonly reapEveryMs?: number;
}

export async function announcePresence(databaseUrl: string, opts: PresenceOptions): Promise<Presence> {
  const { holder, whenAlone } = opts;
  const client = new pg.Client({ connectionString: databaseUrl });
  // A connection lost later only drops this instance's part of the lock: an instance starting
  // then may end this one's leases, which sends a message twice at worst, never loses one.
  client.on("error", () => undefined);
  await client.connect();
  try {
    const [{ alone }] = (await client.query<{ alone: boolean }>("SELECT pg_try_advisory_lock($1) AS alone", [PRESENCE_LOCK])).rows as [{ alone: boolean }];
    if (alone) {
      try {
        await whenAlone();
      } finally {
        // Shared first, then the exclusive let go: the lock is never free in between.
        await client.query("SELECT pg_advisory_lock_shared($1)", [PRESENCE_LOCK]);
        await client.query("SELECT pg_advisory_unlock($1)", [PRESENCE_LOCK]);
      }
    } else {
      // Waits only while an instance that is starting holds it exclusively (its whenAlone).
      await client.query("SELECT pg_advisory_lock_shared($1)", [PRESENCE_LOCK]);
    }
    await client.query("SELECT pg_advisory_lock($1, $2)", [HOLDER_LOCK, holder]);
    const reap = async (at: Date): Promise<number> =>
      (
        await client.query(
          `UPDATE "OutboxMessage" SET "nextAttemptAt" = $1, "holder" = NULL
           WHERE "status" = 'pending' AND "holder" IS NOT NULL AND "holder" NOT IN (${LIVE_HOLDERS})`,
          [pgTimestamp(at)],
        )
      ).rowCount ?? 0;
    // One at a time: a reap slower than the period is not stacked behind itself.
    let reaping: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      reaping = reaping.then(() =>
        reap(opts.now()).then(
          (n) => n > 0 && opts.onReap?.(n),
          (e: unknown) => opts.onReap?.(0, e),
        ),
      );
    }, opts.reapEveryMs ?? REAP_EVERY_MS);
    timer.unref();
    return {
      alone,
      reap,
      close: async () => {
        clearInterval(timer);
        await reaping;
        await client.end();
      },
    };
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
}
