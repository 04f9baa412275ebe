/**
 * The Telegram bench (issue 16, item 1): Guanjia as `npm start` runs it against a bare grammY
 * echo bot, both as child processes against our fake Bot API on 127.0.0.1 (one instance of the
 * fake each, in this process), with the same owners, in the same run.
 *
 * - Echo: bench/echo-bot.mjs, grammY + runner + sequentialize, no API transformers at all.
 * - Guanjia: `node scripts/migrate.mjs`, `node scripts/build.mjs`, then
 *   `node <start's flags> dist/bin/main.js` with a Telegram token: compiled JavaScript, the
 *   production transformers, the durable owner replies, the outbox sender and the scheduler, on
 *   a fresh SQLite file with the demo property. Before the owners come, a staff group is bound
 *   with /bind (an invite made in the same database), so every ticket's card goes to it.
 * - Owners: all at once, each sending its next move when the bot's reply to the previous one
 *   arrived: Guanjia's full repair intake (6 texts, 1 photo, 4 button presses), the echo bot the
 *   same moves as texts. A Guanjia run counts only when every owner was told a ticket number and
 *   that ticket's card reached the staff group.
 * - Per owner turn: from the fake receiving the owner's move to the fake storing the bot's reply
 *   to it. Per card: from the owner's confirming press to the card's arrival in the group.
 * - CPU ms per message: the bot process's own CPU time (/proc) from the first move to the last
 *   owner's last reply, over the owners' messages (the cards sent meanwhile included; those
 *   still to come wait at the group's 20 a minute, with the bot mostly idle); RSS: the bot process's, sampled every 25 ms, and its peak.
 * - Warm-ups, not counted, in the process then measured: 20 owners of each echo bot, 10 of
 *   Guanjia (cards awaited), so neither is measured cold (until 2026-12-07 the echo bot's warm-up
 *   ran in a process of its own, and each measured echo bot was cold). The echo bot is measured before and after Guanjia; the mean is the yardstick.
 *   Last, the echo bot with the production transformers Guanjia has (ECHO_TRANSFORMERS): what
 *   they add to a message's CPU time, beside the bare bot's.
 *
 * Production Guanjia keeps Telegram's limits (1 message/s per chat, 30/s for the bot, 20/min per
 * group): the bare echo bot keeps none. So messages/s compares a polite bot with an impolite one
 * and the CPU per message is the figure that says what a message costs; both are printed with
 * their ratios. The cards come at the group's 20 a minute, which is why the default is 40 owners
 * (BENCH_TG_OWNERS): their cards take about two minutes.
 *
 * Targets (issue 16): Guanjia ≥ 0.3 × the echo bot in messages per CPU second; every card delivered.
 * Item 2 of the issue is "cost per message", and its 0.12 was measured with Telegram's limits off on
 * both bots; here Guanjia keeps them as in production (30 a second for the bot, one a second per
 * chat), so its messages/s is the limits', and the target is judged on what a message costs: the
 * echo bot's CPU per message over Guanjia's. The messages/s ratio is printed beside it.
 * Exit code 1 when NOT MET, or when anything fails or hangs.
 *
 * BENCH_NODE_FLAGS adds Node flags to Guanjia's process after start's own, e.g. to profile it:
 * BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (then node bench/profile-summary.mjs /tmp/prof/*.cpuprofile).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Message, User } from "grammy/types";
import { openStore } from "../src/infra/prisma/open.js";
import { FakeBotApi } from "../test/fakes/telegram-bot-api.js";
import { cpuMs, loadAverage, percentile, rssMiB, startFlags, threadCpuMs, verdict } from "./proc.js";

const OWNERS = Number(process.env.BENCH_TG_OWNERS ?? 40);
const ECHO_WARMUP_OWNERS = 20;
const GUANJIA_WARMUP_OWNERS = 10;
const WARMUP_FIRST_OWNER = 10_000;
const TARGET_RATIO = 0.3;
/** The whole bench; the cards alone take about a minute per 20 owners. */
const OVERALL_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);
const REPLY_TIMEOUT_MS = 30_000;
const TOKEN = "123456789:AAbenchTOKENbenchTOKENbe";
const STAFF_GROUP = { id: -1009999, type: "supergroup" as const, title: "客服工作群" };

/** One move of an owner and how to recognise the bot's last reply to it. */
type Turn =
  | { readonly kind: "text"; readonly text: string; readonly expect: string }
  | { readonly kind: "press"; readonly label: string; readonly expect: string }
  | { readonly kind: "photo"; readonly fileId: string; readonly expect: string };

/** The adapter test's repair intake; each expected text is in the reply that asks the next question. */
function intake(i: number): Turn[] {
  return [
    { kind: "text", text: "楼上漏水,我家天花板都泡了,墙皮也掉了", expect: "【报修 · 工程维修】" },
    { kind: "press", label: "对,继续", expect: "房号" },
    { kind: "text", text: `A区${1 + (i % 30)}栋${1 + (i % 3)}单元${1001 + i}`, expect: "怎么称呼" },
    { kind: "text", text: "张三", expect: "电话" },
    { kind: "text", text: `138${String(i).padStart(8, "0")}`, expect: "公共区域" },
    { kind: "press", label: "家里", expect: "什么时候开始" },
    { kind: "text", text: "昨天晚上", expect: "照片" },
    { kind: "photo", fileId: `AgACbench${i}`, expect: "已收到 1 张照片" },
    { kind: "press", label: "完成", expect: "什么时间方便" },
    { kind: "text", text: "明天上午", expect: "请核对登记内容" },
    { kind: "press", label: "确认提交", expect: "工单号 HG-" },
  ];
}

/** The same pattern for the echo bot: every move as text, and the echo of it ends the turn. */
function echoes(i: number): Turn[] {
  return intake(i).map((t, k) => {
    const text = t.kind === "text" ? t.text : t.kind === "press" ? t.label : `照片 ${k}`;
    return { kind: "text", text, expect: text };
  });
}

const MESSAGES_PER_OWNER = intake(0).length;

function owner(i: number): User {
  return { id: 700_000 + i, is_bot: false, first_name: "业主", last_name: String(i), language_code: "zh-hans" };
}

interface Figures {
  readonly name: string;
  readonly messages: number;
  readonly seconds: number;
  readonly rate: number;
  readonly turnP50: number;
  readonly turnP99: number;
  readonly cardP50?: number;
  readonly cardP99?: number;
  readonly cards?: number;
  readonly cpuMsPerMessage: number;
  /** Of `cpuMsPerMessage`, what threads other than the main one spent. */
  readonly otherThreadsMsPerMessage: number;
  readonly rssPeak: number;
  readonly hwm: number;
}

function play(api: FakeBotApi, from: User, turn: Turn, last: Message | undefined): void {
  if (turn.kind === "text") api.userMessage({ from, text: turn.text });
  else if (turn.kind === "photo") api.userPhoto({ from, fileId: turn.fileId });
  else {
    const button = last?.reply_markup?.inline_keyboard.flat().find((b) => b.text === turn.label);
    if (!last || !button || !("callback_data" in button)) throw new Error(`owner ${from.id}: no button "${turn.label}" to press`);
    api.pressButton({ message: last, data: button.callback_data, from });
  }
}

/** A bot process that fails ends the bench at once rather than leaving owners waiting. */
let failNow: (e: Error) => void = () => {};
const failed = new Promise<never>((_, reject) => (failNow = reject));
failed.catch(() => {});

/**
 * All owners at once through their moves; with `group`, each owner's ticket card is awaited in
 * it too. Returns the figures of the bot process `pid`.
 */
async function drive(
  name: string,
  api: FakeBotApi,
  pid: number,
  owners: { readonly from: number; readonly count: number },
  turnsOf: (i: number) => Turn[],
  group?: number,
): Promise<Figures> {
  const turns: number[] = [];
  const cards: number[] = [];
  let rssPeak = rssMiB(pid).now;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid).now)), 25);
  const cpu0 = cpuMs(pid);
  const threads0 = threadCpuMs(pid);
  const t0 = performance.now();
  let turnsDone = t0;
  let cpuAtTurnsDone = cpu0;
  let threadsAtTurnsDone = threads0;
  try {
    await Promise.race([
      failed,
      Promise.all(
        Array.from({ length: owners.count }, async (_, k) => {
          const i = owners.from + k;
          const user = owner(i);
          let last: Message | undefined;
          let confirmedAt = 0;
          for (const [move, turn] of turnsOf(i).entries()) {
            let repliedAt = 0;
            const reply = api.waitForCall(
              (c) => {
                if (c.method !== "sendMessage" || c.error !== undefined || c.params.chat_id !== user.id) return false;
                if (!(c.result as Message).text?.includes(turn.expect)) return false;
                repliedAt = performance.now();
                return true;
              },
              { since: api.calls.length, timeoutMs: REPLY_TIMEOUT_MS },
            );
            reply.catch(() => {});
            const sentAt = (confirmedAt = performance.now());
            play(api, user, turn, last);
            try {
              last = (await reply).result as Message;
            } catch {
              const got = api.botMessages(user.id).at(-1)?.text ?? "nothing";
              throw new Error(`${name}: owner ${i}, move ${move + 1}: no reply containing "${turn.expect}"; the latest: ${JSON.stringify(got.slice(0, 200))}`);
            }
            turns.push(repliedAt - sentAt);
          }
          // The CPU to the last owner's last reply: the cards still to come wait at the group's
          // 20 a minute, and the idle bot's polling over that minute is not the messages' cost.
          turnsDone = performance.now();
          cpuAtTurnsDone = cpuMs(pid);
          threadsAtTurnsDone = threadCpuMs(pid);
          if (group === undefined) return;
          const number = /工单号 (HG-\d+)/.exec(last?.text ?? "")?.[1];
          if (!number) throw new Error(`${name}: owner ${i} was told no ticket number`);
          let cardAt = 0;
          // Cards wait their turn at 20 a minute in the group: up to a minute per 20 owners.
          const card = api.waitForCall(
            (c) => {
              if (c.method !== "sendMessage" || c.error !== undefined || c.params.chat_id !== group || !String(c.params.text).includes(number)) return false;
              cardAt = performance.now();
              return true;
            },
            { since: 0, timeoutMs: 70_000 + 4_000 * owners.count },
          );
          await card;
          cards.push((cardAt || performance.now()) - confirmedAt);
        }),
      ),
    ]);
  } finally {
    clearInterval(sampler);
  }
  const cpu = cpuAtTurnsDone - cpu0;
  const seconds = (turnsDone - t0) / 1000;
  turns.sort((a, b) => a - b);
  cards.sort((a, b) => a - b);
  return {
    name,
    messages: turns.length,
    seconds,
    rate: turns.length / seconds,
    turnP50: percentile(turns, 50),
    turnP99: percentile(turns, 99),
    ...(group === undefined ? {} : { cardP50: percentile(cards, 50), cardP99: percentile(cards, 99), cards: cards.length }),
    cpuMsPerMessage: cpu / turns.length,
    otherThreadsMsPerMessage: (threadsAtTurnsDone.others - threads0.others) / turns.length,
    rssPeak,
    hwm: rssMiB(pid).peak,
  };
}

/** Spawns a bot process; its unexpected exit or an error on stderr fails the bench. */
function spawnBot(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => {
    out += b.toString();
    failNow(new Error(`${name} wrote to stderr: ${b.toString().slice(0, 500)}`));
  });
  child.once("exit", (code, signal) => {
    if (!stopping.has(child)) failNow(new Error(`${name} exited (${code ?? signal}): ${out.slice(-500)}`));
  });
  return Object.assign(child, { output: () => out });
}

/** Bots being stopped by the bench: their exit is expected. */
const stopping = new WeakSet<ChildProcess>();

async function stopBot(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

async function echoRun(name: string, owners: { from: number; count: number }, transformers: "none" | "production" = "none"): Promise<Figures> {
  const api = new FakeBotApi(TOKEN);
  const apiRoot = await api.start();
  const pace = transformers === "production" ? { ECHO_PACE: await bundleEchoPace() } : {};
  const child = spawnBot("echo bot", ["bench/echo-bot.mjs"], { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, ECHO_TRANSFORMERS: transformers, ...pace });
  try {
    await Promise.race([failed, api.waitForPoll(20_000)]);
    // The warm-up in the process measured: a fresh process's JIT would be counted otherwise.
    await drive("warm-up", api, child.pid!, { from: WARMUP_FIRST_OWNER, count: ECHO_WARMUP_OWNERS }, echoes);
    return await drive(name, api, child.pid!, owners, echoes);
  } finally {
    await stopBot(child);
    await api.stop();
  }
}

/** Guanjia's pacing transformer and throttle as plain JavaScript for the echo bot; its file URL. */
async function bundleEchoPace(): Promise<string> {
  const { build } = await import("esbuild");
  // Inside the repository, so the bundle's external packages (grammy) resolve from node_modules.
  const outfile = join(process.cwd(), "dist/bench/echo-pace.mjs");
  await build({ entryPoints: ["bench/echo-pace.ts"], outfile, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
  return pathToFileURL(outfile).href;
}

function extraNodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? "").split(/\s+/).filter(Boolean);
}

async function guanjiaRun(): Promise<Figures & { idleRss: number }> {
  const dir = mkdtempSync(join(tmpdir(), "guanjia-tgbench-"));
  const url = `file:${join(dir, "bench.db")}`;
  const env = { DATABASE_URL: url, TELEGRAM_BOT_TOKEN: TOKEN, LOG_LEVEL: "warn" };
  // What `npm start` does, step by step, so the bot's own process is the one measured.
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { env: { ...process.env, ...env }, stdio: "ignore" });
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "ignore" });
  const api = new FakeBotApi(TOKEN);
  const apiRoot = await api.start();
  const child = spawnBot("Guanjia", [...startFlags(), ...extraNodeFlags(), "dist/bin/main.js"], { ...env, TELEGRAM_API_ROOT: apiRoot });
  try {
    await Promise.race([failed, api.waitForPoll(30_000)]);
    const idleRss = rssMiB(child.pid!).now;
    const admin = await openStore({ databaseUrl: url });
    const property = (await admin.store.properties())[0]!;
    const at = new Date();
    const { code } = await admin.store.createInvite({ propertyId: property.id, grant: { kind: "bind", purpose: "staff", department: null }, expiresAt: new Date(at.getTime() + 3_600_000), createdAt: at });
    await admin.close();
    const since = api.calls.length;
    api.userMessage({ chat: STAFF_GROUP, from: { id: 2001, is_bot: false, first_name: "王" }, text: `/bind ${code}` });
    const bound = await Promise.race([failed, api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id === STAFF_GROUP.id, { since, timeoutMs: 10_000 })]);
    if (!String(bound.params.text).includes("本群已绑定")) throw new Error(`the staff group was not bound: ${String(bound.params.text)}`);
    await drive("warm-up", api, child.pid!, { from: WARMUP_FIRST_OWNER, count: GUANJIA_WARMUP_OWNERS }, intake, STAFF_GROUP.id);
    const figures = await drive("Guanjia", api, child.pid!, { from: 0, count: OWNERS }, intake, STAFF_GROUP.id);
    return { ...figures, idleRss };
  } finally {
    await stopBot(child);
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<boolean> {
  const load = loadAverage();
  const before = await echoRun("echo (before)", { from: 0, count: OWNERS });
  const guanjia = await guanjiaRun();
  const after = await echoRun("echo (after)", { from: 0, count: OWNERS });
  const throttled = await echoRun("echo + prod.", { from: 0, count: OWNERS }, "production");
  const echoRate = (before.rate + after.rate) / 2;
  const echoCpu = (before.cpuMsPerMessage + after.cpuMsPerMessage) / 2;

  const f = (n: number) => n.toFixed(1);
  console.log(
    `telegram benchmark: ${OWNERS} owners × ${MESSAGES_PER_OWNER} messages, all at once, each waiting for the reply; ` +
      `fake Bot API on 127.0.0.1; each bot its own process; load average at the start ${load}, at the end ${loadAverage()}`,
  );
  for (const r of [before, guanjia, after, throttled]) {
    const card = r.cards === undefined ? "" : `; ${r.cards} cards in the staff group, per card p50 ${f(r.cardP50!)} ms, p99 ${f(r.cardP99!)} ms`;
    console.log(
      `  ${r.name.padEnd(13)} ${r.messages} messages in ${f(r.seconds)} s = ${f(r.rate).padStart(6)} messages/s; ` +
        `per owner turn p50 ${f(r.turnP50)} ms, p99 ${f(r.turnP99)} ms; CPU ${r.cpuMsPerMessage.toFixed(2)} ms/message ` +
        `(other threads than the main one ${r.otherThreadsMsPerMessage.toFixed(2)}); ` +
        `RSS peak ${f(r.rssPeak)} MiB (process peak ${f(r.hwm)} MiB)${card}`,
    );
  }
  console.log(`  Guanjia RSS before the first owner: ${f(guanjia.idleRss)} MiB`);
  const ratio = guanjia.rate / echoRate;
  const cpuRatio = echoCpu / guanjia.cpuMsPerMessage;
  const allCards = guanjia.cards === OWNERS;
  console.log(
    `  CPU per message: echo ${echoCpu.toFixed(2)} ms, Guanjia ${guanjia.cpuMsPerMessage.toFixed(2)} ms: Guanjia costs ${(1 / cpuRatio).toFixed(1)} × the echo bot (echo/Guanjia ${cpuRatio.toFixed(3)})`,
  );
  const transformerCost = throttled.cpuMsPerMessage - echoCpu;
  console.log(
    `  the production transformers (pacing on Guanjia's throttle, and auto-retry) on the echo bot: +${transformerCost.toFixed(2)} ms CPU/message, ` +
      `${Math.round((100 * transformerCost) / guanjia.cpuMsPerMessage)}% of Guanjia's; ` +
      `Guanjia/echo messages/s with the same transformers on both ${(guanjia.rate / throttled.rate).toFixed(3)} (both held by Telegram's limits)`,
  );
  console.log(`  every card delivered (${guanjia.cards}/${OWNERS}): ${verdict(allCards)}`);
  console.log(`  Guanjia/echo messages/s ${ratio.toFixed(3)} (echo ${f(echoRate)}, the mean of before and after; Guanjia held by Telegram's limits)`);
  console.log(
    `  Guanjia/echo in messages per CPU second ${cpuRatio.toFixed(3)} (echo ${(1000 / echoCpu).toFixed(0)}, Guanjia ${(1000 / guanjia.cpuMsPerMessage).toFixed(0)}); target ≥ ${TARGET_RATIO}: ${verdict(cpuRatio >= TARGET_RATIO)}`,
  );
  return cpuRatio >= TARGET_RATIO && allCards;
}

setTimeout(() => {
  console.error(`telegram benchmark: FAILED, did not finish within ${OVERALL_TIMEOUT_MS / 1000} s (BENCH_TIMEOUT_MS)`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS).unref();
try {
  if (!(await main())) process.exitCode = 1;
} catch (e) {
  console.error(`telegram benchmark: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
