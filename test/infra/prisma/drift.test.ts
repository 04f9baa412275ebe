/**
 * The schema exists three times: prisma/schema.prisma, the PostgreSQL copy generated from it,
 * and each backend's migrations. These tests fail when any of them drifts from the others.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const prismaCli = join(dirname(createRequire(import.meta.url).resolve("prisma/package.json")), "build/index.js");
const scratchDir = dirname(inject("sqliteTemplate"));
const pgUrl = inject("testDatabaseUrl");

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; stdout: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, out: `${stdout}${stderr}`, stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    const stdout = err.stdout ?? "";
    return { code: typeof err.code === "number" ? err.code : 1, out: `${stdout}${err.stderr ?? ""}`, stdout };
  }
}

/** `prisma migrate diff … --exit-code`: 0 = no difference, 2 = difference, 1 = error. */
const migrateDiff = (databaseUrl: string, ...args: string[]) =>
  run([prismaCli, "migrate", "diff", ...args], { DATABASE_URL: databaseUrl });

/** The DDL that creates `schema` from nothing (offline: a SQLite URL is enough for either provider). */
async function createScript(schema: string): Promise<string> {
  const scratch = `file:${join(scratchDir, `diff-${randomUUID()}.db`)}`;
  const { code, out, stdout } = await migrateDiff(scratch, "--from-empty", "--to-schema-datamodel", schema, "--script");
  expect(code, out).toBe(0);
  return stdout;
}

const sortBy = <T>(rows: T[], key: (r: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

function sqliteShape(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.sort().map((t) => {
        const indexes = db.pragma(`index_list("${t}")`) as { name: string; unique: number; origin: string; partial: number }[];
        return [
          t,
          {
            columns: db.pragma(`table_info("${t}")`),
            indexes: sortBy(
              indexes.map(({ name, unique, origin, partial }) => ({
                name,
                unique,
                origin,
                partial,
                columns: (db.pragma(`index_info("${name}")`) as { name: string }[]).map((c) => c.name),
              })),
              (i) => i.name,
            ),
            foreignKeys: db.pragma(`foreign_key_list("${t}")`),
          },
        ];
      }),
    );
  } finally {
    db.close();
  }
}

async function pgShape(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await q(`SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'
        ORDER BY table_name, column_name`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename, indexname`),
      constraints: await q(`SELECT conrelid::regclass::text AS "table", conname, pg_get_constraintdef(oid) AS def
        FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
        AND conrelid::regclass::text NOT LIKE '%_prisma_migrations%' ORDER BY 1, 2`),
    };
  } finally {
    await client.end();
  }
}

describe("schema drift", () => {
  it("prisma/postgres/schema.prisma is generated from prisma/schema.prisma", async () => {
    const { code, out } = await run([join(root, "scripts/pg-schema.mjs"), "--check"]);
    expect(code, out).toBe(0);
  });

  it("SQLite: the migrations produce exactly schema.prisma", async () => {
    const scratch = `file:${join(scratchDir, `diff-${randomUUID()}.db`)}`;
    const { code, out } = await migrateDiff(
      scratch,
      "--from-migrations",
      "prisma/migrations",
      "--to-schema-datamodel",
      "prisma/schema.prisma",
      "--exit-code",
    );
    expect(code, `run \`npx prisma migrate deploy && npx prisma migrate dev\` to add a migration\n${out}`).toBe(0);
  });

  it("SQLite: a database migrated by `migrate deploy` has the tables, columns and indexes schema.prisma makes", async () => {
    const expected = join(scratchDir, `expected-${randomUUID()}.db`);
    const db = new Database(expected);
    db.exec(await createScript("prisma/schema.prisma"));
    db.close();
    expect(sqliteShape(inject("sqliteTemplate"))).toEqual(sqliteShape(expected));
  });

  describe.skipIf(!pgUrl)("PostgreSQL", () => {
    it("the migrations produce exactly prisma/postgres/schema.prisma", async () => {
      const { code, out } = await migrateDiff(
        pgUrl!,
        "--from-migrations",
        "prisma/postgres/migrations",
        "--to-schema-datamodel",
        "prisma/postgres/schema.prisma",
        "--exit-code",
      );
      expect(code, `add the PostgreSQL migration (see scripts/pg-schema.mjs --check)\n${out}`).toBe(0);
    });

    it("TEST_DATABASE_URL, migrated by `migrate deploy`, has the tables, columns and indexes the schema makes", async () => {
      const name = `guanjia_drift_${randomUUID().replaceAll("-", "")}`;
      const admin = new pg.Client({ connectionString: pgUrl! });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
        const url = new URL(pgUrl!);
        url.pathname = `/${name}`;
        const scratch = new pg.Client({ connectionString: url.toString() });
        await scratch.connect();
        try {
          await scratch.query(await createScript("prisma/postgres/schema.prisma"));
        } finally {
          await scratch.end();
        }
        expect(await pgShape(pgUrl!)).toEqual(await pgShape(url.toString()));
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.end();
      }
    });
  });
});
