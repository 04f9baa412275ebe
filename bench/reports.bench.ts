/**
 * The director's digest and the monthly statistics over 1,000,000 tickets on SQLite (issue 4):
 * a fresh database migrated like the tests', filled by bench/reports-data.ts with two years of
 * six properties, then the busiest property's digest of yesterday and statistics of last month,
 * through the real ReportStore and Prisma. Prints the times and SQLite's query plan of every
 * report query, and exits non-zero when the digest and the statistics together take 0.5 s or
 * more on their first calls (issue 16, item 6), or a plan walks all the tickets or events
 * instead of an index range.
 *
 * BENCH_TICKETS changes the size (default 1,000,000).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Sql } from "@prisma/client/runtime/client";
import { rateValue, type Rate } from "../src/core/reports/figures.js";
import { localDay, localMonthKey, monthRange } from "../src/core/time/zone.js";
import { openStore } from "../src/infra/prisma/open.js";
import { createReportStore } from "../src/infra/prisma/reports.js";
import { reportSql } from "../src/infra/prisma/reports-sql.js";
import { loadAverage, underStartFlags } from "./proc.js";
import { generate } from "./reports-data.js";

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1_000_000);
/** The digest plus the monthly statistics, both on their first call (issue 16, item 6). */
const LIMIT_MS = 500;
const ZONE = "Asia/Shanghai";
/** 08:30 in Shanghai on 2026-11-23: when the director's digest is made. */
const NOW = new Date("2026-11-23T00:30:00Z");

const ms = (from: number) => Math.round(performance.now() - from);
const rate = (r: Rate) => `${r.numerator}/${r.denominator}${rateValue(r) === null ? "" : ` ${(rateValue(r)! * 100).toFixed(1)}%`}`;

/** The first call (Prisma's query compiler is cold) and the median of five more. */
async function timed<T>(what: () => Promise<T>): Promise<{ first: number; median: number; result: T }> {
  let start = performance.now();
  const result = await what();
  const first = ms(start);
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    start = performance.now();
    await what();
    runs.push(ms(start));
  }
  return { first, median: runs.sort((a, b) => a - b)[2]!, result };
}

/** SQLite's plan for a report query, with its parameters bound as Prisma's adapter binds them. */
function plan(db: Database.Database, query: Sql): string[] {
  const values = query.values.map((v) => (v instanceof Date ? v.toISOString().replace("Z", "+00:00") : v));
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...values) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/**
 * A plan step that walks all of Ticket or TicketEvent (aliased t, e, r in reports-sql.ts), by the
 * table or by a whole index: what the indexes are there to avoid. A SEARCH reads a range.
 */
const fullScan = (detail: string) => /^SCAN (Ticket|TicketEvent|t|e|r)\b/.test(detail);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "guanjia-reports-bench-"));
  const file = join(dir, "reports.db");
  try {
    execFileSync(process.execPath, ["scripts/migrate.mjs"], { env: { ...process.env, DATABASE_URL: `file:${file}` }, stdio: "ignore" });
    let start = performance.now();
    const data = generate(file, TICKETS, NOW);
    console.log(
      `reports: ${data.tickets.toLocaleString("en")} tickets, ${data.events.toLocaleString("en")} events over two years, ` +
        `${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, written in ${(ms(start) / 1000).toFixed(1)} s; ` +
        `the busiest property has ${data.propertyTickets.toLocaleString("en")}`,
    );

    const opened = await openStore({ databaseUrl: `file:${file}` });
    const reports = opened.use(createReportStore);
    const day = localDay(NOW, ZONE, -1);
    const month = localMonthKey(NOW, ZONE, -1);
    const range = monthRange(month, ZONE)!;
    const digest = await timed(() => reports.digest(data.propertyId, day.from, day.to, NOW));
    const monthly = await timed(() => reports.monthly(data.propertyId, month, range.from, range.to, NOW));
    await opened.close();

    const d = digest.result;
    console.log(
      `  digest of ${day.key}: ${digest.first} ms first, ${digest.median} ms median — filed ${Object.values(d.created).reduce((a, b) => a + b, 0)}, ` +
        `resolved ${d.resolved}, open ${d.open}, overdue ${d.overdue}, major ${d.major.length}, complaints ${d.complaints.length}, callbacks ${d.callbacks.length}`,
    );
    const m = monthly.result;
    console.log(
      `  statistics of ${month}: ${monthly.first} ms first, ${monthly.median} ms median — ${m.total} filed; feedback on time ${rate(m.rates.feedbackOnTime)}, ` +
        `callback ${rate(m.rates.callback)}, satisfaction ${rate(m.rates.callbackSatisfaction)}, closure ${rate(m.rates.closure)}, reopen ${rate(m.rates.reopen)}`,
    );

    const db = new Database(file, { readonly: true });
    const p = data.propertyId;
    const queries: [string, Sql][] = [
      ["filed (digest and month)", reportSql.filed(p, range.from, range.to, NOW)],
      ["resolutions (digest)", reportSql.resolutions(p, day.from, day.to)],
      ["open (digest)", reportSql.open(p, day.to, NOW)],
      ["digestFiled", reportSql.digestFiled(p, day.from, day.to)],
      ["digestEscalated", reportSql.digestEscalated(p, day.from, day.to)],
      ["callbacks (digest, export)", reportSql.callbacks(p, day.from, day.to)],
      ["ratings (month)", reportSql.ratings(p, range.from, range.to)],
      ["resolved (month)", reportSql.resolved(p, range.from, range.to)],
      ["claims (month)", reportSql.claims(p, range.from, range.to)],
      ["intake (export page)", reportSql.intake(p, range.from, range.to, null, 500)],
    ];
    const scans: string[] = [];
    console.log("  query plans (EXPLAIN QUERY PLAN):");
    for (const [name, query] of queries) {
      const steps = plan(db, query);
      console.log(`    ${name}: ${steps.join(" | ")}`);
      scans.push(...steps.filter(fullScan).map((s) => `${name}: ${s}`));
    }
    db.close();

    const both = digest.first + monthly.first;
    const slow = both >= LIMIT_MS;
    console.log(`  target: digest + statistics ${both} ms on first call, under ${LIMIT_MS} ms, by index: ${slow || scans.length ? "NOT MET" : "MET"} (load average ${loadAverage()})`);
    for (const s of scans) console.log(`  full scan: ${s}`);
    if (slow || scans.length) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

underStartFlags();
await main();
