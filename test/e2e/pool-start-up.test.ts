/**
 * Issue 16, item 4: the pool's settings are validated where an operator sees it, at start-up,
 * with a message that says how to fix them: a value that is no pool at all stops the real entry
 * point before it opens anything; a pool the PostgreSQL server cannot serve stops the store from
 * opening (it would pass start-up and fail owners' turns with "too many clients" under load).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { PIPELINED_LANES } from "../../src/infra/prisma/pg-pipeline.js";
import { openStore } from "../../src/infra/prisma/open.js";

const root = resolve(import.meta.dirname, "../..");
const url = inject("testDatabaseUrl");

/** src/main.ts as the crash battery runs it (Node with tsx's loader), until it exits by itself. */
function startMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "guanjia-pool-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${join(dir, "never.db")}`, LOG_LEVEL: "error", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((done) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      done({ code, stderr });
    }),
  );
}

describe("the database pool at start-up", () => {
  it("a pool size or transaction wait that would not hold stops the bot with a message naming the key and the fix, no stack trace", async () => {
    const { code, stderr } = await startMain({ DATABASE_POOL_SIZE: "0", DATABASE_TX_WAIT_MS: "10" });
    expect(code).toBe(1);
    expect(stderr).toContain("Invalid configuration (see .env.example)");
    expect(stderr).toContain("DATABASE_POOL_SIZE: use at least 1 connection");
    expect(stderr).toContain("DATABASE_TX_WAIT_MS: use at least 100 ms");
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 30_000);

  describe.skipIf(!url)("on PostgreSQL (needs TEST_DATABASE_URL: skipped without it)", () => {
    it("refuses a pool larger than the server accepts, saying the most that fits; takes the largest that does", async () => {
      const client = new pg.Client({ connectionString: url! });
      await client.connect();
      const { rows } = await client.query<{ usable: number }>(
        "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int AS usable",
      );
      await client.end();
      // The pipelined statements' connections and the presence lock's come beside the pool.
      const usable = rows[0]!.usable - PIPELINED_LANES - 1;

      await expect(openStore({ databaseUrl: url!, pool: { size: usable + 1, txWaitMs: 1000 } })).rejects.toThrow(
        `DATABASE_POOL_SIZE=${usable + 1} is more connections than this PostgreSQL server accepts`,
      );
      await expect(openStore({ databaseUrl: url!, pool: { size: usable + 1, txWaitMs: 1000 } })).rejects.toThrow(`set DATABASE_POOL_SIZE to at most ${usable}`);
      const fits = await openStore({ databaseUrl: url!, pool: { size: usable, txWaitMs: 1000 } });
      await fits.close();
    });
  });
});
