/**
 * A predecessor that died inside a transaction must not block the process that replaces it (issue
 * 10). Killed on a host that stays up, its kernel closes the connection and PostgreSQL rolls the
 * transaction back at once (measured, and kept here). A host that loses power or its network
 * sends nothing: PostgreSQL keeps the backend, idle in its transaction and holding its row locks,
 * until TCP keepalive gives up (about two hours by default); held on a property's ticket counter,
 * that stops every filing of the property. The store's connections have the server end such a
 * transaction itself (idle_in_transaction_session_timeout, db.ts's IDLE_IN_TRANSACTION_MS).
 *
 * The vanished host is a TCP relay that stops relaying without closing anything. PostgreSQL
 * only (SQLite's lock is the file's, released by the system when a process dies). Needs
 * TEST_DATABASE_URL.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { openStore } from "../../../src/infra/prisma/open.js";

const url = inject("testDatabaseUrl");
const IDLE_MS = 1_000;
/** A filing's first statement: it locks the property's ticket counter until commit. */
const BUMP = `UPDATE "Property" SET "ticketSeq" = "ticketSeq" + 1 WHERE "id" = ? RETURNING "ticketSeq"`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Relays 127.0.0.1:<port> to the database until `vanish()`, which silences both ways and closes nothing. */
async function relay(target: URL): Promise<{ url: string; vanish(): void; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  let silent = false;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.push(client, upstream);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      from.on("data", (chunk) => void (silent || to.write(chunk)));
      from.on("error", () => undefined);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const relayed = new URL(target);
  relayed.hostname = "127.0.0.1";
  relayed.port = String(port);
  return {
    url: relayed.toString(),
    vanish: () => void (silent = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.skipIf(!url)("a predecessor that vanished inside a transaction (PostgreSQL)", () => {
  const propertyId = randomUUID();
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url! });
    await admin.connect();
    await admin.query(`INSERT INTO "Property" ("id", "code", "name") VALUES ($1, $2, $3)`, [propertyId, `V${propertyId.slice(0, 6).toUpperCase()}`, "vanished-client test"]);
  });
  beforeEach(async () => {
    await admin.query(`UPDATE "Property" SET "ticketSeq" = 0 WHERE "id" = $1`, [propertyId]);
  });
  afterAll(async () => {
    await admin.query(`DELETE FROM "Property" WHERE "id" = $1`, [propertyId]);
    await admin.end();
  });

  it("killed (kill -9) on a host that stays up: its transaction is rolled back at once, the successor files without waiting", async () => {
    // Another process takes the counter's row lock, as a filing does, and is killed holding it.
    const script = `const pg = require("pg"); const c = new pg.Client({ connectionString: process.env.URL });
      c.connect().then(() => c.query("BEGIN")).then(() => c.query('UPDATE "Property" SET "ticketSeq" = "ticketSeq" + 1 WHERE "id" = $1', [process.env.ID]))
        .then(() => process.stdout.write("locked")); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["-e", script], { env: { ...process.env, URL: url!, ID: propertyId }, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    const successor = await openStore({ databaseUrl: url!, pool: { size: 1, txWaitMs: 1_000 } });
    try {
      const started = Date.now();
      const filing = successor.use((ctx) => ctx.sql).transaction((tx) => tx.all(BUMP, [propertyId]));
      const rows = await Promise.race([filing, sleep(5_000).then(() => "still blocked behind the killed predecessor")]);
      expect(rows).toEqual([{ ticketSeq: 1 }]);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await successor.close();
    }
  });

  it("holds the ticket counter only until the server ends its idle transaction, then the successor files", async () => {
    const link = await relay(new URL(url!));
    const predecessor = await openStore({ databaseUrl: link.url, pool: { size: 1, txWaitMs: 1_000, idleInTransactionMs: IDLE_MS } });
    const successor = await openStore({ databaseUrl: url!, pool: { size: 1, txWaitMs: 1_000, idleInTransactionMs: IDLE_MS } });
    let wakePredecessor = (): void => {};
    try {
      // The predecessor takes the counter's row lock, as a filing does, and its host vanishes.
      let locked = (): void => {};
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const stuck = predecessor.use((ctx) => ctx.sql).transaction(async (tx) => {
        await tx.all(BUMP, [propertyId]);
        locked();
        await new Promise<void>((resolve) => (wakePredecessor = resolve));
      });
      stuck.catch(() => undefined);
      await holding;
      link.vanish();
      const waiting = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()`);
      expect(waiting.rows[0].n).toBeGreaterThan(0);

      const started = Date.now();
      const filing = successor.use((ctx) => ctx.sql).transaction((tx) => tx.all(BUMP, [propertyId]));
      const rows = await Promise.race([filing, sleep(IDLE_MS + 5_000).then(() => "still blocked behind the vanished predecessor")]);
      const waited = Date.now() - started;
      // The predecessor's increment was rolled back with its session.
      expect(rows).toEqual([{ ticketSeq: 1 }]);
      expect(waited).toBeLessThan(IDLE_MS + 2_000);
    } finally {
      wakePredecessor();
      await link.close();
      await predecessor.close().catch(() => undefined);
      await successor.close();
    }
  });
});
