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
 */
import pg from "pg";

/** Any fixed number: "guan" in ASCII. */
export const PRESENCE_LOCK = 0x6775616e;

export interface Presence {
  /** No other instance was running when this one started. */
  readonly alone: boolean;
  /** Ends the session, and with it this instance's part of the lock. */
  close(): Promise<void>;
}

export async function announcePresence(databaseUrl: string, whenAlone: () => Promise<unknown>): Promise<Presence> {
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
    return { alone, close: () => client.end() };
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
}
