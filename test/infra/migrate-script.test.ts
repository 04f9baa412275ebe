/**
 * scripts/migrate.mjs runs before every `npm run admin`: with every migration applied it must
 * answer from _prisma_migrations without the Prisma CLI (seconds), and still hand anything else
 * to the CLI.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { describe, expect, inject, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const migrate = async (databaseUrl: string) =>
  (await promisify(execFile)(process.execPath, [join(root, "scripts/migrate.mjs")], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } })).stdout;

describe("scripts/migrate.mjs", () => {
  it("answers an up-to-date database without the Prisma CLI, and leaves a changed migration to the CLI", async () => {
    const file = join(dirname(inject("sqliteTemplate")), `migrate-${randomUUID()}.db`);
    copyFileSync(inject("sqliteTemplate"), file);
    try {
      expect(await migrate(`file:${file}`)).toMatch(/up to date \(\d+ ms, checked without the Prisma CLI\)/);
      // A recorded checksum that no longer matches its folder: not this script's to judge.
      const db = new Database(file);
      db.prepare(`UPDATE "_prisma_migrations" SET "checksum" = 'x' WHERE "migration_name" LIKE '%roster_audit'`).run();
      db.close();
      expect(await migrate(`file:${file}`).catch((e: { stdout?: string; stderr?: string }) => `${e.stdout}${e.stderr}`)).not.toContain("checked without the Prisma CLI");
    } finally {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    }
  }, 60_000);
});
