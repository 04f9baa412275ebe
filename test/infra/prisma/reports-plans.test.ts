/**
 * Pins SQLite's plans for the report queries (issue 16 item 6: the digest and the statistics over
 * 1,000,000 tickets in under 0.5 s). SQLite plans without statistics here (nothing runs ANALYZE),
 * so the plan on the empty test database is the plan on a big one: a query that walks a table, or
 * an event query that starts from the property's tickets instead of the period's events (seconds
 * on bench/reports.bench.ts's data), fails here instead of in production.
 */
import Database from "better-sqlite3";
import type { Sql } from "@prisma/client/runtime/client";
import { afterAll, describe, expect, inject, it } from "vitest";
import { reportSql } from "../../../src/infra/prisma/reports-sql.js";

const db = new Database(inject("sqliteTemplate"), { readonly: true });
afterAll(() => db.close());

const from = new Date("2026-10-31T16:00:00Z");
const to = new Date("2026-11-30T16:00:00Z");
const asOf = new Date("2026-12-01T00:30:00Z");

/** The plan's steps, parameters bound as Prisma's SQLite adapter binds them. */
function plan(query: Sql): string[] {
  const values = query.values.map((v) => (v instanceof Date ? v.toISOString().replace("Z", "+00:00") : v));
  return (db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...values) as { detail: string }[]).map((r) => r.detail);
}

/** The steps that read a table (not a temporary b-tree or a subquery's heading), in join order. */
const reads = (steps: string[]) => steps.filter((s) => /^(SEARCH|SCAN) /.test(s));

const EVENTS = "TicketEvent_type_at_ticketId_seq_toStatus_actorId_idx";
const TICKETS = "Ticket_id_propertyId_kind_idx";

describe("report query plans on SQLite", () => {
  it.each([
    ["resolutions", reportSql.resolutions("p", from, to), true],
    ["claims", reportSql.claims("p", from, to), true],
    ["digestEscalated", reportSql.digestEscalated("p", from, to), true],
    ["callbacks", reportSql.callbacks("p", from, to), false],
    ["ratings", reportSql.ratings("p", from, to), false],
  ] as const)("%s reads the period's events first, then each one's ticket in one seek", (_name, query, covered) => {
    const [events, tickets] = reads(plan(query));
    expect(events).toMatch(new RegExp(`^SEARCH e USING ${covered ? "COVERING " : ""}INDEX ${EVENTS} \\(type=\\? AND at>\\? AND at<\\?\\)`));
    expect(tickets).toMatch(new RegExp(`^SEARCH t USING (COVERING )?INDEX ${TICKETS} \\(id=\\? AND propertyId=\\?\\)`));
  });

  it("ratings asks for an earlier callback in one covered seek", () => {
    expect(plan(reportSql.ratings("p", from, to))).toContain("SEARCH b USING COVERING INDEX TicketEvent_ticketId_type_seq_idx (ticketId=? AND type=? AND seq<?)");
  });

  it.each([
    ["filed", reportSql.filed("p", from, to, asOf)],
    ["open", reportSql.open("p", to, asOf)],
    ["digestFiled", reportSql.digestFiled("p", from, to)],
    ["resolved", reportSql.resolved("p", from, to)],
    ["intake", reportSql.intake("p", from, to, null, 500)],
  ] as const)("%s reads a range of the property's tickets", (_name, query) => {
    const [first, ...rest] = reads(plan(query));
    expect(first).toMatch(/^SEARCH (t|Ticket) USING INDEX Ticket_propertyId_\w+_idx \(propertyId=\?/);
    for (const step of rest) expect(step).toMatch(/^SEARCH /);
  });
});
