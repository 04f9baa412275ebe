#!/usr/bin/env node
// prisma/schema.prisma (SQLite) is the source of truth; the PostgreSQL schema is derived from it
// because each provider needs its own schema file, migrations and generated client.
//
//   node scripts/pg-schema.mjs --write   regenerate prisma/postgres/schema.prisma
//   node scripts/pg-schema.mjs --check   exit 1 if it is stale or the migration folders diverge
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = "prisma/schema.prisma";
const TARGET = "prisma/postgres/schema.prisma";
const HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/pg-schema.mjs: do not edit.\n" +
  "// Change prisma/schema.prisma, then run `npm run db:pg-schema`.\n\n";

/** Replace exactly one match inside the named block, so a reshaped schema fails loudly. */
function replaceInBlock(text, blockHead, pattern, replace) {
  const block = new RegExp(`^${blockHead}\\s*\\{[^}]*\\}`, "m").exec(text);
  if (!block) throw new Error(`${SOURCE}: no \`${blockHead} { … }\` block`);
  const body = block[0];
  if (!pattern.test(body)) throw new Error(`${SOURCE}: \`${blockHead}\` has no ${pattern}`);
  return text.slice(0, block.index) + body.replace(pattern, replace) + text.slice(block.index + body.length);
}

export function pgSchemaFrom(sqlite) {
  let out = replaceInBlock(sqlite, "datasource db", /provider(\s*)=(\s*)"sqlite"/, 'provider$1=$2"postgresql"');
  out = replaceInBlock(out, "generator client", /output(\s*)=(\s*)"([^"]+)"/, (_m, a, b, rel) => {
    // The file moves one level down, and the PG client must not overwrite the SQLite one.
    const abs = path.resolve(root, path.dirname(SOURCE), rel);
    const moved = path.relative(path.join(root, path.dirname(TARGET)), abs).split(path.sep).join("/");
    return `output${a}=${b}"${moved}-pg"`;
  });
  return HEADER + out;
}

function migrationNames(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function main(mode) {
  const expected = pgSchemaFrom(fs.readFileSync(path.join(root, SOURCE), "utf8"));
  const targetPath = path.join(root, TARGET);
  if (mode === "--write") {
    fs.mkdirSync(path.dirname(targetPath), { recursive: true });
    fs.writeFileSync(targetPath, expected);
    console.log(`wrote ${TARGET}`);
    return 0;
  }
  if (mode !== "--check") {
    console.error("usage: node scripts/pg-schema.mjs --write | --check");
    return 2;
  }
  const problems = [];
  const actual = fs.existsSync(targetPath) ? fs.readFileSync(targetPath, "utf8") : null;
  if (actual !== expected) {
    problems.push(
      `${TARGET} is ${actual === null ? "missing" : "out of date"}: run \`npm run db:pg-schema\`, then add the ` +
        `PostgreSQL migration with \`npx prisma migrate diff --from-schema-datamodel <old ${TARGET}> ` +
        `--to-schema-datamodel ${TARGET} --script\`.`,
    );
  }
  const sqlite = migrationNames("prisma/migrations");
  const pg = migrationNames("prisma/postgres/migrations");
  const missing = sqlite.filter((m) => !pg.includes(m));
  const extra = pg.filter((m) => !sqlite.includes(m));
  if (missing.length) problems.push(`prisma/postgres/migrations lacks: ${missing.join(", ")} (same names as SQLite's).`);
  if (extra.length) problems.push(`prisma/postgres/migrations has no SQLite counterpart for: ${extra.join(", ")}.`);
  for (const p of problems) console.error(`db:check: ${p}`);
  if (!problems.length) console.log("db:check: PostgreSQL schema and migrations are in step with SQLite");
  return problems.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv[2]);
  } catch (e) {
    console.error(`db:check: ${e instanceof Error ? e.message : e}`);
    process.exitCode = 1;
  }
}
