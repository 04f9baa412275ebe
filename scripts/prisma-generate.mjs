#!/usr/bin/env node
// Generates both Prisma clients (run by `postinstall`): src/generated/prisma for SQLite and
// src/generated/prisma-pg for PostgreSQL. Generating needs neither a database nor the network;
// the PostgreSQL URL below only makes prisma.config.ts pick the PostgreSQL schema.
import { prisma } from "./prisma-cli.mjs";

const targets = [
  { client: "src/generated/prisma", url: "file:./data/guanjia.db" },
  { client: "src/generated/prisma-pg", url: "postgresql://generate@localhost:5432/generate" },
];

const started = performance.now();
const results = await Promise.all(targets.map((t) => prisma(["generate"], t.url)));
const failed = results.map((r, i) => ({ ...r, ...targets[i] })).filter((r) => r.code !== 0);
for (const f of failed) console.error(`prisma-generate: ${f.client} failed:\n${f.output}\n`);
if (failed.length) {
  process.exitCode = 1;
} else {
  const ms = Math.round(performance.now() - started);
  console.log(`prisma-generate: ${targets.map((t) => t.client).join(" and ")} (${ms} ms)`);
}
