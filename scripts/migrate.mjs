#!/usr/bin/env node
// Brings the database DATABASE_URL names up to date (`npm start` runs this before the app, and
// `npm run db:migrate` alone). SQLite files and their directory are created on first use by
// prisma.config.ts. One line on success; the CLI's own explanation and exit 1 on failure.
import fs from "node:fs";
import path from "node:path";
import { prisma, redact, root } from "./prisma-cli.mjs";

// The app reads .env through src/config.ts; the migration must see the same DATABASE_URL.
// Variables already in the environment win, as they do for the app.
const envFile = path.join(root, ".env");
if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
const url = process.env.DATABASE_URL?.trim() || "file:./data/guanjia.db";

const where = url.startsWith("file:")
  ? `SQLite ${path.resolve(root, url.slice("file:".length))}`
  : `PostgreSQL ${redact(url)}`;

const started = performance.now();
const { code, output } = await prisma(["migrate", "deploy"], url);
const ms = Math.round(performance.now() - started);

if (code === 0) {
  const applied = [...output.matchAll(/└─ (\S+)\/$/gm)].map((m) => m[1]);
  const what = applied.length ? `applied ${applied.join(", ")}` : "up to date";
  console.log(`database ${where}: ${what} (${ms} ms)`);
} else {
  const hint = url.startsWith("file:")
    ? "Check that the directory is writable and the file is not another program's."
    : "Check that PostgreSQL is running and the URL's host, port, user, password and database are right.";
  console.error(`Could not migrate the database ${where}:\n\n${output}\n\n${hint}`);
  process.exitCode = 1;
}
