#!/usr/bin/env node
// Brings the database DATABASE_URL names up to date (`npm start` runs this before the app, and
// `npm run db:migrate` alone). SQLite files and their directory are created on first use by
// prisma.config.ts. One line on success; the CLI's own explanation and exit 1 on failure.
//
// The Prisma CLI takes 2–5 s even when there is nothing to do, and `npm run admin` runs this
// before every command; so it first reads _prisma_migrations itself (upToDate below) and starts
// the CLI only when a migration folder is not applied yet, with the same checksum, or anything
// about the check is unsure (no database yet, a failed migration, no connection).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { prisma, redact, root } from "./prisma-cli.mjs";

// The app reads .env through src/config.ts; the migration must see the same DATABASE_URL.
// Variables already in the environment win, as they do for the app.
const envFile = path.join(root, ".env");
if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
const url = process.env.DATABASE_URL?.trim() || "file:./data/guanjia.db";

const where = url.startsWith("file:")
  ? `SQLite ${path.resolve(root, url.slice("file:".length))}`
  : `PostgreSQL ${redact(url)}`;

/** Every migration folder of this backend with the checksum Prisma records for it (sha256 of migration.sql). */
function migrationFolders() {
  const dir = path.join(root, url.startsWith("file:") ? "prisma/migrations" : "prisma/postgres/migrations");
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => ({ name: d.name, checksum: crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, d.name, "migration.sql"))).digest("hex") }));
}

const APPLIED = `SELECT "migration_name" AS name, "checksum", "finished_at" IS NOT NULL AS finished, "rolled_back_at" IS NOT NULL AS rolled_back FROM "_prisma_migrations"`;

/** The rows of _prisma_migrations, or null when they cannot be read (then the CLI decides). */
async function appliedRows() {
  try {
    if (url.startsWith("file:")) {
      // The CLI runs in the repo root and resolves the path from there (prisma.config.ts).
      const file = path.resolve(root, url.slice("file:".length));
      if (!fs.existsSync(file)) return null;
      const { default: Database } = await import("better-sqlite3");
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(APPLIED).all().map((r) => ({ ...r, finished: !!r.finished, rolled_back: !!r.rolled_back }));
      } finally {
        db.close();
      }
    }
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      return (await client.query(APPLIED)).rows;
    } finally {
      await client.end();
    }
  } catch {
    return null;
  }
}

/** True when every folder is applied with its checksum and no migration is half-done. */
async function upToDate() {
  const rows = await appliedRows();
  if (!rows || rows.some((r) => !r.finished && !r.rolled_back)) return false;
  const applied = new Set(rows.filter((r) => r.finished && !r.rolled_back).map((r) => `${r.name} ${r.checksum}`));
  return migrationFolders().every((m) => applied.has(`${m.name} ${m.checksum}`));
}

/**
 * Migrates if needed; resolves true when the database is up to date. `quiet` leaves out the
 * success line (the admin tool prints only its command's output); failures are always printed.
 */
export async function migrate({ quiet = false } = {}) {
  const started = performance.now();
  const say = (line) => quiet || console.log(line);
  if (process.env.GUANJIA_MIGRATE_ALWAYS !== "1" && (await upToDate())) {
    say(`database ${where}: up to date (${Math.round(performance.now() - started)} ms, checked without the Prisma CLI)`);
    return true;
  }
  const { code, output } = await prisma(["migrate", "deploy"], url);
  const ms = Math.round(performance.now() - started);
  if (code === 0) {
    const applied = [...output.matchAll(/└─ (\S+)\/$/gm)].map((m) => m[1]);
    const what = applied.length ? `applied ${applied.join(", ")}` : "up to date";
    say(`database ${where}: ${what} (${ms} ms)`);
    return true;
  }
  const hint = url.startsWith("file:")
    ? "Check that the directory is writable and the file is not another program's."
    : "Check that PostgreSQL is running and the URL's host, port, user, password and database are right.";
  console.error(`Could not migrate the database ${where}:\n\n${output}\n\n${hint}`);
  return false;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && !(await migrate())) process.exitCode = 1;
