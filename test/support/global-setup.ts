/**
 * Runs once per `vitest run`, before any worker: migrates a SQLite template that
 * freshSqliteStore() copies (a copy is far faster than migrating), and, when TEST_DATABASE_URL
 * is set, rebuilds that PostgreSQL database from the migrations.
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

export default async function setup(project: TestProject): Promise<() => void> {
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
  try {
    await Promise.all([
      migrate(`file:${template}`),
      pgUrl ? dropAllTables(pgUrl).then(() => migrate(pgUrl)) : undefined,
    ]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide("sqliteTemplate", template);
  project.provide("testDatabaseUrl", pgUrl);
  return () => rmSync(dir, { recursive: true, force: true });
}
