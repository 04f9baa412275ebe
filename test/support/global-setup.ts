/**
 * Runs once per `vitest run`, before any worker: migrates a SQLite template that
 * freshSqliteStore() copies (a copy is far faster than migrating), and, when TEST_DATABASE_URL
 * is set, gives the run a PostgreSQL database of its own, built from the migrations: a new one
 * next to TEST_DATABASE_URL's, dropped when the run ends, so two runs at once (two people, two
 * terminals) never empty each other's tables. Where the role may not CREATE DATABASE, the run
 * uses TEST_DATABASE_URL itself, rebuilt, as before.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated SQLite file; copy it, never open it. */
    sqliteTemplate: string;
    /** TEST_DATABASE_URL, migrated, or null when PostgreSQL tests are not configured. */
    testDatabaseUrl: string | null;
  }
}

const root = resolve(import.meta.dirname, "../..");

/** `CI=false` or `CI=0` is not CI. */
function inCi(): boolean {
  const ci = process.env.CI?.trim().toLowerCase();
  return !!ci && ci !== "false" && ci !== "0";
}

/** Through the same script `npm start` uses, so the tests also prove it works. */
export async function migrate(databaseUrl: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [join(root, "scripts/migrate.mjs")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`test setup: migrating failed\n${err.stderr || err.stdout || err.message}`);
  }
}

/** Start every run from an empty database, so its migrations are replayed and checked too. */
async function dropAllTables(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()",
    );
    if (rows.length) await client.query(`DROP TABLE ${rows.map((r) => `"${r.name}"`).join(", ")} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Another run's database may be dropped only when that run is over, wherever it ran (the server
 * may serve several machines): each run holds an advisory lock named after its database, on a
 * connection to the base database kept open for the whole run. A killed run's connection closes,
 * the lock goes with it, and the next run that can take the lock drops the database.
 */
const lockOf = (name: string) => ["SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [`guanjia-test-run:${name}`]] as const;

/** PostgreSQL 13+ ends other sessions first; older servers take the plain form. */
async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } catch (e) {
    if ((e as { code?: string }).code !== "42601") throw e; // syntax_error: no WITH (FORCE)
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A fresh database for this run (`<base>_run_<random>`), or null if the role may not create one.
 * Databases of runs that are over (their lock is free) are dropped on the way. Also for a test
 * that would hold the shared one too long (test/e2e/pg-in-flight.test.ts).
 */
export async function runDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> } | null> {
  // Identifiers stop at 63 bytes; the suffix must survive.
  const baseName = decodeURIComponent(new URL(baseUrl).pathname.slice(1)).slice(0, 40);
  const name = `${baseName}_run_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  const ours = new RegExp(`^${escapeRegExp(baseName)}_run_[0-9a-f]{16}$`);
  const holder = new pg.Client({ connectionString: baseUrl });
  await holder.connect();
  try {
    const { rows } = await holder.query<{ name: string }>("SELECT datname AS name FROM pg_database WHERE datname LIKE $1", [`${escapeLike(baseName)}\\_run\\_%`]);
    for (const { name: old } of rows) {
      if (!ours.test(old)) continue;
      const [sql, params] = lockOf(old);
      if (!(await holder.query<{ ok: boolean }>(sql, [...params])).rows[0]?.ok) continue; // its run is still going
      await dropDatabase(holder, old).catch(() => undefined);
      await holder.query("SELECT pg_advisory_unlock(hashtext($1))", [...params]);
    }
    const [sql, params] = lockOf(name);
    await holder.query(sql, [...params]);
    await holder.query(`CREATE DATABASE "${name}"`);
  } catch (e) {
    await holder.end();
    if ((e as { code?: string }).code === "42501") return null; // insufficient_privilege
    throw e;
  }
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await dropDatabase(holder, name);
      } finally {
        await holder.end();
      }
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pgUrl = process.env.TEST_DATABASE_URL?.trim() || null;
  if (!pgUrl && inCi()) {
    throw new Error(
      "CI is set but TEST_DATABASE_URL is not: the PostgreSQL half of the store tests must run in CI.\n" +
        'Start PostgreSQL and set it with:  export TEST_DATABASE_URL="$(scripts/ci-postgres.sh | tail -n1)"\n' +
        "(as root on Debian; or point it at any empty database whose user may CREATE DATABASE).",
    );
  }
  const own = pgUrl ? await runDatabase(pgUrl) : null;
  const dir = mkdtempSync(join(tmpdir(), "guanjia-test-"));
  const template = join(dir, "template.db");
  const runUrl = own?.url ?? pgUrl;
  const teardown = async () => {
    rmSync(dir, { recursive: true, force: true });
    await own?.drop();
  };
  try {
    await Promise.all([
      migrate(`file:${template}`),
      runUrl ? (own ? Promise.resolve() : dropAllTables(runUrl)).then(() => migrate(runUrl)) : undefined,
    ]);
  } catch (e) {
    await teardown();
    throw e;
  }
  project.provide("sqliteTemplate", template);
  project.provide("testDatabaseUrl", runUrl);
  return teardown;
}
