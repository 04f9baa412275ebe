/**
 * The hot statements that run alone (no transaction) on PostgreSQL go over a few pipelined
 * connections (pg's `pipeline: true`, https://node-postgres.com/features/pipelining) instead of
 * one pool connection each (issue 16, item 4). Through the pool, every statement of the hundred
 * owners in flight had a connection to itself, and each connection's backend woke for one
 * statement at a time: at the intake bench's 100 owners in flight, this process spent ~0.1 ms of
 * system time a message on loopback writes and reads. Queued on a pipelined connection, a
 * backend reads the statements waiting for it together and this process reads their results
 * together: this process's CPU a message fell by about a quarter, the server's by a fifth.
 *
 * Each statement still commits alone (pg sends a Sync after each), and an error fails only its
 * own statement. A lane that breaks fails the statements queued on it, as a pool connection
 * fails the one it runs, and is replaced at the next statement. What a pipeline adds: a
 * statement waits for those queued before it on its lane, so one that may wait on a lock held
 * across round trips (the ticket counter) must not go here (HotSql's `waiting`).
 */
import pg from "pg";

/** How many pipelined connections; each is one beyond DATABASE_POOL_SIZE. */
export const PIPELINED_LANES = 4;

interface Lane {
  readonly client: pg.Client;
  readonly ready: Promise<unknown>;
  /** Statements sent and not yet answered: the next one goes to the lane with fewest. */
  queued: number;
  broken: boolean;
}

export class PipelinedStatements {
  private readonly lanes: Lane[] = [];
  private ended = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly size = PIPELINED_LANES,
  ) {}

  async query<R extends pg.QueryResultRow>(statement: pg.QueryConfig): Promise<pg.QueryResult<R>> {
    if (this.ended) throw new Error("hot SQL: the store is closed");
    const lane = this.lane();
    lane.queued++;
    try {
      await lane.ready;
      return await lane.client.query<R>(statement);
    } finally {
      lane.queued--;
    }
  }

  async end(): Promise<void> {
    this.ended = true;
    await Promise.all(this.lanes.splice(0).map((lane) => lane.client.end().catch(() => undefined)));
  }

  private lane(): Lane {
    for (let i = this.lanes.length - 1; i >= 0; i--) {
      // Ended too: a lane broken by an error may still hold its socket.
      if (this.lanes[i]!.broken) void this.lanes.splice(i, 1)[0]!.client.end().catch(() => undefined);
    }
    let best: Lane | undefined;
    for (const lane of this.lanes) if (!best || lane.queued < best.queued) best = lane;
    if (best && (best.queued === 0 || this.lanes.length >= this.size)) return best;
    return this.open();
  }

  private open(): Lane {
    const client = new pg.Client({ ...this.config, pipeline: true } as pg.ClientConfig);
    const lane: Lane = { client, ready: client.connect(), queued: 0, broken: false };
    // Without a listener a lost connection's "error" would end the process; its statements fail.
    const broken = (): void => {
      lane.broken = true;
    };
    client.on("error", broken);
    client.on("end", broken);
    lane.ready.catch(broken);
    this.lanes.push(lane);
    return lane;
  }
}
