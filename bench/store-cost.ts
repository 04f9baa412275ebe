/**
 * What one owner message costs the store at 100 owners in flight (issue 16, item 4): the intake
 * bench's owners through the owner desk, after a warm-up, printing messages/s, this process's CPU
 * a message (user and system, from process.cpuUsage: robust to a busy machine, unlike a rate),
 * on PostgreSQL the CPU of this run's server backends a message (from /proc, so only with the
 * server on this machine), and every SQL text sent to PostgreSQL with its count.
 *
 *   N=300 npx tsx bench/store-cost.ts file:/tmp/cost.db
 *   N=300 npx tsx bench/store-cost.ts postgresql://…/scratch   (its tables are dropped first)
 *
 * Not part of `npm run bench`: an instrument for comparing two versions back to back.
 */
import { readFileSync, readdirSync, rmSync } from "node:fs";
import pg from "pg";
import { DEMO_PROPERTY } from "../src/infra/demo-property.js";
import { openStore } from "../src/infra/prisma/open.js";
import { uuidIds } from "../src/infra/system.js";
import { emptyPg, migrate } from "./db.js";
import { countingDesk, inFlight, intakeScript as script, MESSAGES_PER_OWNER } from "./intake-script.js";

const url = process.argv[2];
if (!url) throw new Error("usage: npx tsx bench/store-cost.ts <DATABASE_URL>");
const owners = Number(process.env.N ?? 300);
const postgres = url.startsWith("postgres");

// Every statement pg sends, by its text, while `counting`: pool, transaction and pipelined clients alike.
const statements = new Map<string, number>();
let counting = false;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) {
    const q = args[0] as string | { text?: string };
    const text = (typeof q === "string" ? q : (q.text ?? "")).replace(/\s+/g, " ").slice(0, 140);
    statements.set(text, (statements.get(text) ?? 0) + 1);
  }
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

/** CPU ms (user + system) of the given processes, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuMs(pids: readonly string[]): number {
  let ms = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ms += (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      // A backend that ended: its time is lost, as it would be to any sampler.
    }
  }
  return ms;
}

async function backends(): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    return rows.map((r) => String(r.pid)).filter((pid) => readdirSync("/proc").includes(pid));
  } finally {
    await client.end();
  }
}

if (postgres) await emptyPg(url);
else for (const f of ["", "-wal", "-shm"]) rmSync(`${url.replace(/^file:/, "")}${f}`, { force: true });
migrate(url);
const { store, close } = await openStore({ databaseUrl: url, ids: uuidIds });
try {
  await store.createProperty(DEMO_PROPERTY);
  const desk = countingDesk(store);
  await inFlight(100, 200, async (i) => {
    for (const body of script(100_000 + i)) await desk.send(`warm${i}`, body);
  });
  const server = postgres ? await backends() : [];
  counting = true;
  const cpu0 = process.cpuUsage();
  const server0 = new Map(server.map((pid) => [pid, cpuMs([pid])]));
  const ended = (): Promise<string[]> => (postgres ? backends() : Promise.resolve([]));
  const t0 = performance.now();
  await inFlight(100, owners, async (i) => {
    for (const body of script(i)) await desk.send(`o${i}`, body);
  });
  const seconds = (performance.now() - t0) / 1000;
  counting = false;
  const cpu = process.cpuUsage(cpu0);
  // Backends opened during the run count whole, those open before from the start; one that
  // ended during the run is lost (pools keep theirs open for 10 s idle, longer than a gap here).
  const after = await ended();
  const serverMs = after.reduce((ms, pid) => ms + cpuMs([pid]) - (server0.get(pid) ?? 0), 0);
  const messages = owners * MESSAGES_PER_OWNER;
  const perMessage = (ms: number): string => (ms / messages).toFixed(3);
  console.log(
    `${postgres ? "PostgreSQL" : "SQLite"}: ${(messages / seconds).toFixed(0)} messages/s; this process ${perMessage((cpu.user + cpu.system) / 1000)} ms CPU a message ` +
      `(system ${perMessage(cpu.system / 1000)})` +
      (postgres ? `; ${after.length} server backends ${perMessage(serverMs)} ms a message; ${[...statements.values()].reduce((a, b) => a + b, 0) / owners} statements an owner` : "") +
      `; failed turns ${desk.failedTurns}; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
  );
  for (const [text, count] of [...statements].sort((a, b) => b[1] - a[1])) console.log(String(count).padStart(7), text);
} finally {
  await close();
}
