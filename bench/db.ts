/** The benches' databases: a fresh SQLite file, or a scratch PostgreSQL database (BENCH_DATABASE_URL) emptied first. */
import { execFileSync } from "node:child_process";
import pg from "pg";

export function migrate(databaseUrl: string): void {
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore" });
}

/** Drops every table of the database's schema: a bench's PostgreSQL database is a scratch one. */
export async function emptyPg(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()");
    if (rows.length) await client.query(`DROP TABLE ${rows.map((r) => `"${r.name}"`).join(", ")} CASCADE`);
  } finally {
    await client.end();
  }
}
