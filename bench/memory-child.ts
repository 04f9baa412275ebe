/**
 * The process bench/memory.bench.ts measures, compiled as `npm start` compiles the bot: the
 * store, the owner desk, the catalogs and the Telegram adapter (built, not started) as
 * src/main.ts opens them, then 10,000 owners each
 * three moves into a repair intake (their conversations open, mid-question). Prints one JSON
 * line with the RSS after a full GC before the first conversation and with all of them open.
 */
import { createGrammyBot } from "../src/adapters/telegram/grammy.js";
import { OwnerDesk } from "../src/core/desk/owner-desk.js";
import type { InboundBody } from "../src/core/messages.js";
import { loadCatalog } from "../src/i18n/catalog.js";
import { createRenderer } from "../src/i18n/render.js";
import { DEMO_PROPERTY } from "../src/infra/demo-property.js";
import { openStore } from "../src/infra/prisma/open.js";
import { createReplyOutbox } from "../src/infra/prisma/conversations.js";
import { systemClock, uuidIds } from "../src/infra/system.js";

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 10_000);
const IN_FLIGHT = 50;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => { throw new Error("run with --expose-gc"); });
const rss = () => (gc(), process.memoryUsage.rss() / 2 ** 20);
const heap = () => process.memoryUsage().heapUsed / 2 ** 20;

const { store, close, use } = await openStore({ databaseUrl: process.env.DATABASE_URL!, ids: uuidIds });
await store.createProperty(DEMO_PROPERTY);
const fail = (m: string, e: unknown) => { throw new Error(`${m}: ${String(e)}`); };
const desk = new OwnerDesk({ store, clock: systemClock, ids: uuidIds, replies: use(createReplyOutbox), logger: { error: fail, warn: fail, info: () => undefined, debug: () => undefined } });
const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
// The Telegram adapter as main.ts builds it (its modules and transformers loaded), never started.
const bot = createGrammyBot({ token: "1:unused", apiRoot: "http://127.0.0.1:9", desk, store, clock: systemClock, renderer, logger: { error: fail, warn: fail, info: () => undefined, debug: () => undefined } });
// One turn first, so the lazily loaded parts (Prisma's engine, the classifier) count as the idle bot's.
await desk.handle({ channel: "telegram", conversationKey: "tg:warm", sender: { platformUserId: "warm" }, body: { type: "text", text: "你好" } });
const idle = rss();
const idleHeap = heap();
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
const open = rss();
const openHeap = heap();
void bot;
await close();
console.log(JSON.stringify({ conversations: CONVERSATIONS, idle, open, idleHeap, openHeap }));
