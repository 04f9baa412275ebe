/**
 * The process bench/memory.bench.ts measures, compiled as `npm start` compiles the bot: the
 * store, the owner desk, the catalogs and the Telegram adapter (built, not started) as
 * src/main.ts opens them, then 10,000 owners each
 * three moves into a repair intake (their conversations open, mid-question). Prints one JSON
 * line with the memory (see measure) before the first conversation and with all of them open.
 */
import { readFileSync } from "node:fs";
import { getHeapSpaceStatistics } from "node:v8";
import { createGrammyBot } from "../src/adapters/telegram/grammy.js";
import { OwnerDesk } from "../src/core/desk/owner-desk.js";
import type { InboundBody } from "../src/core/messages.js";
import { loadCatalog } from "../src/i18n/catalog.js";
import { createRenderer } from "../src/i18n/render.js";
import { DEMO_PROPERTY } from "../src/infra/demo-property.js";
import { openStore } from "../src/infra/prisma/open.js";
import { createReplyOutbox } from "../src/infra/prisma/conversations.js";
import { systemClock, uuidIds } from "../src/infra/system.js";
import { PLATFORM_LIMITS, Throttle } from "../src/infra/outbox/throttle.js";

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
const IN_FLIGHT = 50;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => { throw new Error("run with --expose-gc"); });
const MiB = 2 ** 20;

/**
 * Where the resident memory is, after a full GC and a moment for V8 to hand freed pages back:
 * the whole (VmRSS), the part mapped from files (node's own code and the native addons: shared,
 * not the bot's to shrink), V8's heap (the pages each space holds), and the JS heap in use.
 */
async function measure() {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 300));
  gc();
  const rollup = readFileSync("/proc/self/smaps_rollup", "utf8");
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? NaN) / 1024;
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size / MiB]));
  return {
    rss: kib("Rss"),
    files: kib("Rss") - kib("Anonymous"),
    heap: Object.values(spaces).reduce((a, b) => a + b, 0),
    newSpace: spaces.new_space ?? 0,
    heapUsed: process.memoryUsage().heapUsed / MiB,
  };
}

const { store, close, use } = await openStore({ databaseUrl: process.env.DATABASE_URL!, ids: uuidIds });
await store.createProperty(DEMO_PROPERTY);
const fail = (m: string, e: unknown) => { throw new Error(`${m}: ${String(e)}`); };
const desk = new OwnerDesk({ store, clock: systemClock, ids: uuidIds, replies: use(createReplyOutbox), logger: { error: fail, warn: fail, info: () => undefined, debug: () => undefined } });
const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
// The Telegram adapter as main.ts builds it (its modules and transformers loaded), never started.
const bot = createGrammyBot({ token: "1:unused", apiRoot: "http://127.0.0.1:9", desk, store, clock: systemClock, renderer, throttle: new Throttle(PLATFORM_LIMITS.telegram!), logger: { error: fail, warn: fail, info: () => undefined, debug: () => undefined } });
// One turn first, so the lazily loaded parts (Prisma's engine, the classifier) count as the idle bot's.
await desk.handle({ channel: "telegram", conversationKey: "tg:warm", sender: { platformUserId: "warm" }, body: { type: "text", text: "你好" } });
const idle = await measure();
const cpu = process.cpuUsage();
const moves = (i: number): InboundBody[] => [
  { type: "text", text: "楼上漏水,我家天花板都泡了" },
  { type: "text", text: "1" },
  { type: "text", text: `${1 + (i % 30)}-${1000 + i}` },
];
let next = 0;
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    for (let i = next++; i < CONVERSATIONS; i = next++) {
      for (const body of moves(i)) {
        const outcome = await desk.handle({ channel: "telegram", conversationKey: `tg:${i}`, sender: { platformUserId: String(900_000 + i) }, body });
        for (const reply of outcome.replies) renderer.reply(reply, "zh-CN");
      }
    }
  }),
);
await desk.settled();
// CPU per turn, so a memory setting's price in time shows beside what it saves.
const { user, system } = process.cpuUsage(cpu);
const cpuMsPerTurn = (user + system) / 1000 / (CONVERSATIONS * moves(0).length);
const open = await measure();
void bot;
await close();
console.log(JSON.stringify({ conversations: CONVERSATIONS, idle, open, cpuMsPerTurn }));
