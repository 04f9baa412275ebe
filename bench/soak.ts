/**
 * `npm run soak`: the crash battery (test/e2e/crash-battery.ts) at length: 100 kill -9 trials
 * of the real entry point against the fake Bot API, random and targeted (after a fetch, before a
 * send), on a fresh SQLite database; then on PostgreSQL too when BENCH_DATABASE_URL is set (an
 * empty database the bench may fill: its tables are dropped and migrated first).
 *
 * Prints owner messages lost, tickets and cards lost, what was duplicated (tickets, cards,
 * confirmations, owner messages) and the slowest owner answer after a restart. Exit code 1 if
 * anything was lost or duplicated, or an owner waited 2 s or more after a restart.
 *
 * SOAK_TRIALS (100) and SOAK_OWNERS (owners per trial, 8) change the size; SOAK_DATABASES
 * (`sqlite,pg`) which databases run, e.g. `pg` to chase a PostgreSQL-only slow restart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyPg, migrate } from "./db.js";
import { runBattery, type BatteryResult } from "../test/e2e/crash-battery.js";

const TRIALS = Number(process.env.SOAK_TRIALS ?? 100);
const OWNERS = Number(process.env.SOAK_OWNERS ?? 8);
const SLOWEST_TARGET_MS = 2_000;
const DATABASES = new Set((process.env.SOAK_DATABASES ?? "sqlite,pg").split(",").map((d) => d.trim()));

function report(name: string, r: BatteryResult, seconds: number): boolean {
  const d = r.duplicated;
  const kills = Object.entries(r.kills).map(([k, n]) => `${n} ${k}`).join(", ");
  console.log(`\n${name}: ${r.trials} kill -9 trials (${kills}), ${r.owners} owners, ${r.ownerMessages} owner messages, ${seconds.toFixed(0)} s`);
  console.log(`  owner messages lost        ${r.ownerMessagesLost}`);
  console.log(`  tickets lost               ${r.ticketsLost}`);
  console.log(`  cards lost                 ${r.cardsLost}`);
  console.log(`  duplicated tickets         ${d.tickets}`);
  console.log(`  duplicated cards           ${d.cards}`);
  console.log(`  duplicated confirmations   ${d.confirmations}`);
  console.log(`  duplicated owner messages  ${d.ownerMessages}`);
  console.log(`  sends to owners in flight at the kills  ${JSON.stringify(r.sendsAtKills)}`);
  console.log(`  slowest owner answer after a restart  ${r.slowestAnswerAfterRestartMs} ms (target < ${SLOWEST_TARGET_MS} ms)`);
  for (const note of r.notes.slice(0, 10)) console.log(`  note: ${note}`);
  return (
    r.ownerMessagesLost === 0 &&
    r.ticketsLost === 0 &&
    r.cardsLost === 0 &&
    d.tickets + d.cards + d.confirmations + d.ownerMessages === 0 &&
    r.slowestAnswerAfterRestartMs < SLOWEST_TARGET_MS
  );
}

async function soak(name: string, databaseUrl: string): Promise<boolean> {
  const t0 = Date.now();
  const result = await runBattery({
    databaseUrl,
    trials: TRIALS,
    owners: OWNERS,
    seed: 20261206,
    progress: (line) => process.stderr.write(`${name} ${((Date.now() - t0) / 1000).toFixed(0)} s: ${line}\n`),
  });
  return report(name, result, (Date.now() - t0) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), "guanjia-soak-"));
let ok = true;
try {
  if (DATABASES.has("sqlite")) {
    const sqlite = `file:${join(dir, "soak.db")}`;
    migrate(sqlite);
    ok = (await soak("SQLite", sqlite)) && ok;
  }
  const pgUrl = process.env.BENCH_DATABASE_URL?.trim();
  if (!DATABASES.has("pg")) {
    console.log("\nPostgreSQL: not run (SOAK_DATABASES)");
  } else if (pgUrl) {
    await emptyPg(pgUrl);
    migrate(pgUrl);
    ok = (await soak("PostgreSQL", pgUrl)) && ok;
  } else {
    console.log("\nPostgreSQL: not run (set BENCH_DATABASE_URL to an empty database)");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(ok ? "\nsoak: met" : "\nsoak: NOT met");
process.exit(ok ? 0 : 1);
