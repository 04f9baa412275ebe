/**
 * Two instances on one PostgreSQL database (issue 16, item 4), for the intake bench: two
 * processes, not two stores in one process, because an instance is a process: one event loop
 * each and a pool each, as two deployed bots would have; two stores in one process would share
 * one event loop and measure that loop, not the database. Each runs the bench's "100 in flight"
 * phase over owners of its own, against the property the bench already made; they start
 * together on a word from the parent, and the combined throughput is every message of both over
 * the wall-clock time from the first start to the last finish.
 *
 * Run as a child: `node --import tsx bench/intake-instances.ts <databaseUrl> <instance> <owners> <inFlight>`.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { openStore } from "../src/infra/prisma/open.js";
import { uuidIds } from "../src/infra/system.js";
import { countingDesk, inFlight as ownersInFlight, intakeScript, MESSAGES_PER_OWNER } from "./intake-script.js";
import { startFlags } from "./proc.js";

interface InstanceResult {
  readonly messages: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly failedTurns: number;
}

export interface TwoInstances {
  readonly rates: readonly number[];
  readonly combinedRate: number;
  readonly failedTurns: number;
}

export async function twoInstances(databaseUrl: string, owners: number, inFlight: number): Promise<TwoInstances> {
  const children = [0, 1].map((instance) =>
    spawn(process.execPath, [...startFlags(), "--import", "tsx", fileURLToPath(import.meta.url), databaseUrl, String(instance), String(owners), String(inFlight)], {
      stdio: ["pipe", "pipe", "inherit"],
    }),
  );
  const lines = children.map((child) => createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
  const next = async (i: number): Promise<string> => {
    const line = await lines[i]!.next();
    if (line.done) throw new Error(`intake instance ${i} ended without a word`);
    return line.value;
  };
  // Both have opened their store before either starts.
  for (let i = 0; i < children.length; i++) if ((await next(i)) !== "ready") throw new Error(`intake instance ${i} did not get ready`);
  for (const child of children) child.stdin!.write("go\n");
  const results = await Promise.all(children.map(async (_, i) => JSON.parse(await next(i)) as InstanceResult));
  const seconds = (Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
  return {
    rates: results.map((r) => r.messages / ((r.endedAt - r.startedAt) / 1000)),
    combinedRate: results.reduce((n, r) => n + r.messages, 0) / seconds,
    failedTurns: results.reduce((n, r) => n + r.failedTurns, 0),
  };
}

async function child(databaseUrl: string, instance: number, owners: number, inFlight: number): Promise<void> {
  const { store, close } = await openStore({ databaseUrl, ids: uuidIds });
  try {
    const desk = countingDesk(store);
    process.stdout.write("ready\n");
    await createInterface({ input: process.stdin })[Symbol.asyncIterator]().next();
    // Owners after the three phases the bench ran in this database, so rooms and phones are new.
    const first = (3 + instance) * owners;
    const startedAt = Date.now();
    await ownersInFlight(inFlight, owners, async (i) => {
      for (const body of intakeScript(first + i)) await desk.send(`i${instance}-${i}`, body);
    });
    const result: InstanceResult = { messages: owners * MESSAGES_PER_OWNER, startedAt, endedAt: Date.now(), failedTurns: desk.failedTurns };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, instance, owners, inFlight] = process.argv.slice(2);
  await child(url!, Number(instance), Number(owners), Number(inFlight));
  process.exit(0);
}
