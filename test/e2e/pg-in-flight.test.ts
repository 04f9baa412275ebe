/**
 * Issue 16's acceptance: "the intake bench on PostgreSQL (CI's database) completes 1,000 owners
 * in flight with 0 failed turns". The store is opened as main.ts opens it (the pool from the
 * configuration's defaults), and 1,000 owners each run the intake bench's full repair intake at
 * once. Before the transaction queue (src/infra/prisma/db.ts), 38–272 of these turns ended with
 * "Unable to start a transaction in the given time". Needs TEST_DATABASE_URL, as CI sets it.
 *
 * It runs for most of a minute on a busy 2-core machine: on the run's shared database that would
 * hold the PostgreSQL tests' lock (test/support/db.ts) past the other files' timeouts, so it
 * takes a database of its own beside it, migrated, and drops it after. Where the role may not
 * create databases it falls back to the shared one, under the lock.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { countingDesk, intakeScript, MESSAGES_PER_OWNER } from "../../bench/intake-script.js";
import { loadConfig } from "../../src/config.js";
import { formatTicketNumber } from "../../src/core/ticket/number.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import type { Db } from "../../src/infra/prisma/db.js";
import { openStore } from "../../src/infra/prisma/open.js";
import { uuidIds } from "../../src/infra/system.js";
import { freshPgStore, type TestStore } from "../support/db.js";
import { migrate, runDatabase } from "../support/global-setup.js";

const url = inject("testDatabaseUrl");
const OWNERS = 1000;

describe.skipIf(!url)("PostgreSQL with 1,000 owners in flight (needs TEST_DATABASE_URL: skipped without it)", () => {
  let own: Awaited<ReturnType<typeof runDatabase>> = null;
  beforeAll(async () => {
    own = await runDatabase(process.env.TEST_DATABASE_URL?.trim() || url!);
    if (own) await migrate(own.url);
  }, 120_000);
  afterAll(() => own?.drop(), 60_000);

  /** As main.ts opens it: the URL and the pool from the configuration, nothing else set. */
  async function openAsMain(): Promise<TestStore & { poolSize: number }> {
    const config = loadConfig({ DATABASE_URL: own?.url ?? url! });
    const opened = own
      ? await openStore({ databaseUrl: config.databaseUrl, ids: uuidIds, pool: config.databasePool })
      : await freshPgStore({ ids: uuidIds, pool: config.databasePool });
    return Object.assign(opened, { poolSize: config.databasePool.size });
  }

  it("answers every turn of 1,000 simultaneous full intakes and files 1,000 tickets, numbered without a gap", { timeout: 600_000 }, async () => {
    const opened = await openAsMain();
    try {
      await opened.store.createProperty(DEMO_PROPERTY);
      const desk = countingDesk(opened.store);
      // All in flight at once: every owner has sent a first message before any has filed.
      let inFlight = 0;
      let mostInFlight = 0;
      const began = performance.now();
      await Promise.all(
        Array.from({ length: OWNERS }, async (_, i) => {
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          for (const body of intakeScript(i)) await desk.send(`pg${i}`, body);
          inFlight--;
        }),
      );
      const seconds = (performance.now() - began) / 1000;
      console.log(`${OWNERS} owners × ${MESSAGES_PER_OWNER} messages on PostgreSQL (pool ${opened.poolSize}) in ${seconds.toFixed(1)} s`);

      expect(mostInFlight).toBe(OWNERS);
      expect(desk.logged.slice(0, 5), `${desk.logged.length} errors or warnings logged`).toEqual([]);
      expect(desk.failedTurns).toBe(0);
      const db = opened.use((ctx) => ({ db: ctx.db })).db as Db;
      const numbers = (await db.ticket.findMany({ select: { number: true } })).map((t) => t.number).sort();
      expect(numbers).toEqual(Array.from({ length: OWNERS }, (_, i) => formatTicketNumber(DEMO_PROPERTY.code, i + 1)));
    } finally {
      await opened.close();
    }
  });
});
