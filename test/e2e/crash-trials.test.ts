/**
 * The crash battery in CI (issue 10, item 8): 21 kill -9 trials of the real entry point against
 * the fake Bot API, in turn at a random moment, just after a getUpdates handed the bot a batch,
 * with an owner's reply in flight, and just after Telegram refused one; owners file throughout.
 * On SQLite, and on PostgreSQL too with TEST_DATABASE_URL. `npm run soak` runs 100.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freshPgStore } from "../support/db.js";
import { migrate, runDatabase } from "../support/global-setup.js";
import { runBattery } from "./crash-battery.js";

const dir = mkdtempSync(join(tmpdir(), "guanjia-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Over a hold (20 s) or a lease (60 s) means a reply left to wait it out; the 2 s target is the
 * soak's: here the other test files share the 2 cores, and a restarted process's first turns
 * were seen to take up to ~4.9 s in a full run.
 */
const SLOWEST_AFTER_RESTART_MS = 8_000;

const pgUrl = inject("testDatabaseUrl");

/** One database each: SQLite's template copied, or a PostgreSQL database for the trials alone. */
const databases = [
  { name: "SQLite", run: true, open: async () => {
    const db = join(dir, "crash.db");
    copyFileSync(inject("sqliteTemplate"), db);
    return { url: `file:${db}`, close: async () => {} };
  } },
  { name: "PostgreSQL", run: !!pgUrl, open: async () => {
    // A database of its own, migrated, dropped after (as pg-in-flight.test.ts): the trials take
    // longer than the other test files would wait for the shared one. Where the role may not
    // create one, the shared one, emptied and held. The bot seeds the demo property itself.
    const own = await runDatabase(process.env.TEST_DATABASE_URL?.trim() || pgUrl!);
    if (own) {
      await migrate(own.url);
      return { url: own.url, close: () => own.drop() };
    }
    const held = await freshPgStore();
    return { url: pgUrl!, close: () => held.close() };
  } },
];

describe.each(databases.filter((d) => d.run))("kill -9 while owners file, on $name", (database) => {
  it("loses no owner message, ticket or card over 21 trials, sends nothing twice, and answers soon after each restart", { timeout: 300_000 }, async () => {
    const { url, close } = await database.open();
    let r: Awaited<ReturnType<typeof runBattery>>;
    try {
      r = await runBattery({ databaseUrl: url, trials: 21, owners: 4, seed: Date.now() % 100_000 });
    } finally {
      await close();
    }
    console.log(
      `crash trials on ${database.name}: ${r.trials} kills (${JSON.stringify(r.kills)}), ${r.owners} owners, ${r.ownerMessages} owner messages; ` +
        `lost ${r.ownerMessagesLost}, tickets lost ${r.ticketsLost}, cards lost ${r.cardsLost}, duplicated ${JSON.stringify(r.duplicated)}; ` +
        `sends to owners in flight at the kills ${JSON.stringify(r.sendsAtKills)}, bunched ${JSON.stringify(r.ownerSends)}; ` +
        `slowest answer after a restart ${r.slowestAnswerAfterRestartMs} ms\n${r.notes.join("\n")}`,
    );
    // Owner messages were lost here (1 to 6 in 21 trials) until fetched updates were kept before
    // @grammyjs/runner's next poll confirmed them to Telegram (src/adapters/telegram/inbox.ts).
    expect({ ownerMessages: r.ownerMessagesLost, tickets: r.ticketsLost, cards: r.cardsLost }).toEqual({ ownerMessages: 0, tickets: 0, cards: 0 });
    // Sends in flight at a kill were posted again here (up to 2 in 21 kills, 19 in the soak's 100)
    // until the journal noted a request as it was written (src/core/desk/journal.ts).
    expect(r.duplicated).toEqual({ tickets: 0, cards: 0, confirmations: 0, ownerMessages: 0 });
    expect(r.owners).toBeGreaterThan(4);
    expect(r.slowestAnswerAfterRestartMs).toBeLessThan(SLOWEST_AFTER_RESTART_MS);
  });
});
