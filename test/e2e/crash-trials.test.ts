/**
 * The crash battery in CI (issue 10, item 8): 21 kill -9 trials of the real entry point against
 * the fake Bot API, a third each at a random moment, just after a getUpdates handed the bot a
 * batch, and between a turn's save and its send; owners file throughout. `npm run soak` runs 100.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { runBattery } from "./crash-battery.js";

const dir = mkdtempSync(join(tmpdir(), "guanjia-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Over a hold (20 s) or a lease (60 s) means a reply left to wait it out; the 2 s target is the
 * soak's: here the other test files share the 2 cores, and a restarted process's first turns
 * were seen to take up to ~4.9 s in a full run.
 */
const SLOWEST_AFTER_RESTART_MS = 8_000;
/**
 * A send in flight at the kill: the platform may have accepted it while the killed process never
 * heard back, and the next start cannot tell, so it sends again rather than risk losing it (the
 * journal covers every send whose answer arrived: src/core/desk/journal.ts). Over 21 kills with
 * the other test files running: 0 in quiet runs, 2 once; the soak prints the count at length.
 */
const SENDS_IN_FLIGHT_AT_A_KILL = 3;

describe("kill -9 while owners file", () => {
  it("loses no owner message, ticket or card over 21 trials, files no ticket twice, repeats at most a send in flight at a kill, and answers soon after each restart", { timeout: 300_000 }, async () => {
    const db = join(dir, "crash.db");
    copyFileSync(inject("sqliteTemplate"), db);
    const r = await runBattery({ databaseUrl: `file:${db}`, trials: 21, owners: 4, seed: Date.now() % 100_000 });
    console.log(
      `crash trials: ${r.trials} kills (${JSON.stringify(r.kills)}), ${r.owners} owners, ${r.ownerMessages} owner messages; ` +
        `lost ${r.ownerMessagesLost}, tickets lost ${r.ticketsLost}, cards lost ${r.cardsLost}, duplicated ${JSON.stringify(r.duplicated)}; ` +
        `sends to owners in flight at the kills ${JSON.stringify(r.sendsAtKills)}, bunched ${JSON.stringify(r.ownerSends)}; ` +
        `slowest answer after a restart ${r.slowestAnswerAfterRestartMs} ms\n${r.notes.join("\n")}`,
    );
    // Owner messages were lost here (1 to 6 in 21 trials) until fetched updates were kept before
    // @grammyjs/runner's next poll confirmed them to Telegram (src/adapters/telegram/inbox.ts).
    expect({ ownerMessages: r.ownerMessagesLost, tickets: r.ticketsLost, cards: r.cardsLost }).toEqual({ ownerMessages: 0, tickets: 0, cards: 0 });
    expect(r.duplicated.tickets).toBe(0);
    expect(r.duplicated.ownerMessages + r.duplicated.cards).toBeLessThanOrEqual(SENDS_IN_FLIGHT_AT_A_KILL);
    expect(r.owners).toBeGreaterThan(4);
    expect(r.slowestAnswerAfterRestartMs).toBeLessThan(SLOWEST_AFTER_RESTART_MS);
  });
});
