/**
 * Runs once per `vitest run`, before any worker: migrates a SQLite template that
 * freshSqliteStore() copies (a copy is far faster than migrating), and, when TEST_DATABASE_URL
 * is set, gives the run a PostgreSQL database of its own, built from the migrations: a new one
 * next to TEST_DATABASE_URL's, dropped when the run ends, so two runs at once (two people, two
 * terminals) never empty each other's tables. Where the role may not CREATE DATABASE, the run
 * uses TEST_DATABASE_URL itself, rebuilt, as before.
 */
import { execFile } from "node:child_process";
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
async function migrate(databaseUrl: string): Promise<void> {
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

/** Databases made for runs are named `<TEST_DATABASE_URL's>_run_<pid>_<random>`. */
const RUN_DB = /_run_(\d+)_[0-9a-f]+$/;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * A fresh database for this run, or null if the role may not create one. Databases left by runs
 * that were killed (their process is gone) are dropped on the way.
 */
async function runDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const base = new URL(baseUrl);
  const baseName = decodeURIComponent(base.pathname.slice(1));
  const name = `${baseName}_run_${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>("SELECT datname AS name FROM pg_database WHERE datname LIKE $1", [`${baseName}\\_run\\_%`]);
    for (const { name: old } of rows) {
      const pid = Number(RUN_DB.exec(old)?.[1]);
      if (pid && !alive(pid)) await client.query(`DROP DATABASE IF EXISTS "${old}" WITH (FORCE)`).catch(() => undefined);
    }
    await client.query(`CREATE DATABASE "${name}"`);
  } catch (e) {
    if ((e as { code?: string }).code === "42501") return null; // insufficient_privilege
    throw e;
  } finally {
    await client.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return {
    url: url.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
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
  const dir = mkdtempSync(join(tmpdir(), "guanjia-test-"));
  const template = join(dir, "template.db");
  const own = pgUrl ? await runDatabase(pgUrl) : null;
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
