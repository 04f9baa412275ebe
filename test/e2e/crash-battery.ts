/**
 * The crash battery (issue 10, item 8): the real entry point (src/main.ts, as `npm start` runs
 * it) with a Telegram token against our fake Bot API, killed with SIGKILL while owners file, and
 * started again; Telegram's side (the fake, with its queue of unconfirmed updates) lives on in
 * this process. Each trial starts a few owners on a full intake (texts, numbered choices, the
 * confirmation by button) and kills the bot once:
 *
 * - random: at a random moment while the owners are talking;
 * - after-fetch: the moment a getUpdates hands the bot a batch (the updates are in flight);
 * - mid-send: while an owner's reply is in flight: the fake posts it and holds its answer until
 *   the bot is dead, as Telegram does with a request whose sender is gone (it must not be
 *   posted again: src/core/desk/journal.ts);
 * - failed-send: just after Telegram refused an owner's reply (a 500), before the bot tries it
 *   again: the reply, held in the outbox, must go soon after the restart.
 *
 * An owner waits for the answer to each message like a person: once the bot is up again, an
 * answer that has not come within `lostAfterMs` is a lost message, and the owner says it again.
 * At the end the database and the chats are read: tickets (one per owner), cards in the staff
 * group (one per ticket), confirmations and the bot's messages to each owner (none twice), and
 * the longest an owner waited for an answer after a restart.
 * Used by test/e2e/crash-trials.test.ts (CI) and bench/soak.ts (`npm run soak`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import type { Message, User } from "grammy/types";
import { FakeBotApi, buttonData } from "../fakes/telegram-bot-api.js";
import type { HeldCall } from "../fakes/telegram-bot-api-server.js";
import { openStore } from "../../src/infra/prisma/open.js";

export type KillMoment = "random" | "after-fetch" | "mid-send" | "failed-send";

export interface BatteryOptions {
  /** A migrated database: `file:…` (SQLite) or a PostgreSQL URL. */
  readonly databaseUrl: string;
  readonly trials: number;
  /** Owners talking at once; each files once and a new one takes their place. */
  readonly owners: number;
  /** Which moment each trial kills at; cycles through them by default. */
  readonly moments?: readonly KillMoment[];
  /** An owner's message unanswered this long after the bot is back counts as lost. */
  readonly lostAfterMs?: number;
  /** A line per trial, for the soak's progress. */
  readonly progress?: (line: string) => void;
  /** Deterministic random kill times for a given seed. */
  readonly seed?: number;
}

export interface BatteryResult {
  readonly trials: number;
  readonly kills: Record<KillMoment, number>;
  readonly owners: number;
  readonly ownerMessages: number;
  readonly ownerMessagesLost: number;
  readonly ticketsLost: number;
  /** Tickets whose card never reached the staff group. */
  readonly cardsLost: number;
  readonly duplicated: { readonly tickets: number; readonly cards: number; readonly confirmations: number; readonly ownerMessages: number };
  /** The longest an owner waited for an answer once the restarted bot was polling. */
  readonly slowestAnswerAfterRestartMs: number;
  /**
   * Sends to owners the fake answered after a kill signal and before the next start: sent by a
   * process that never heard back, so each is a repeat waiting to happen. Per kill kind; a finer
   * count than the repeats, which are few per run.
   */
  readonly sendsAtKills: Record<KillMoment, number>;
  /**
   * Sends to owners, and how many of them reached the fake within 2 ms of the one before: a
   * kill that lands on one of a bunch (a fetch, a send) finds the rest of it in flight.
   */
  readonly ownerSends: { readonly total: number; readonly bunched: number };
  /** Examples of what went wrong, for the failure message. */
  readonly notes: readonly string[];
}

const ROOT = resolve(import.meta.dirname, "../..");
const TOKEN = "123456789:AAcrashTRIALStokenTOKEN12";
const GROUP = { id: -1009990001, type: "supergroup" as const, title: "虹港家园客服群" };
const ADMIN: User = { id: 900001, is_bot: false, first_name: "王" };
const MOMENTS: readonly KillMoment[] = ["random", "after-fetch", "mid-send", "failed-send"];
/** Answers to messages said up to this long after a restart count as answers after a restart. */
const AFTER_RESTART_MS = 5_000;
/** failed-send: the kill comes with the bot's first request made at least this long after Telegram's refusal. */
const FAILED_SEND_KILL_MS = 100;
/** How long an owner takes to answer a question. */
const THINK_MS = 1_100;

/** One step of the intake: a text, or the press of the button labelled `press`. */
type Step = { readonly text: string } | { readonly press: string };

/** The telegram-main test's intake, with two buttons (where, and the confirmation): 10 messages, one ticket. */
function intake(n: number): Step[] {
  const room = `3-${String(100 * (2 + (n % 28)) + 1 + Math.floor(n / 28) % 4)}`;
  return [
    { text: "楼上漏水,我家天花板都泡了" },
    { text: "1" },
    { text: room },
    { text: "张三" },
    { text: `138${String(10_000_000 + n).slice(-8)}` },
    { press: "家里" },
    { text: "昨天晚上" },
    { text: "跳过" },
    { text: "随时" },
    { press: "确认提交" },
  ];
}

/** What an answer is recognised by: its last message's first line, digits and Latin letters aside. */
const stem = (text: string): string => (text.split("\n")[0] ?? "").replace(/[0-9A-Za-z*-]/g, "");

interface Bot {
  child: ChildProcess;
  output: string;
}

export async function runBattery(o: BatteryOptions): Promise<BatteryResult> {
  const api = new FakeBotApi(TOKEN);
  const apiRoot = await api.start();
  const lostAfterMs = o.lostAfterMs ?? 8_000;
  const moments = o.moments ?? MOMENTS;
  let seed = o.seed ?? 1;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const notes: string[] = [];
  const kills: Record<KillMoment, number> = { random: 0, "after-fetch": 0, "mid-send": 0, "failed-send": 0 };
  /** Since when the bot is up (polling); null while it is down. */
  let upSince: number | null = null;
  let bot: Bot | null = null;
  let ownerMessages = 0;
  let lost = 0;
  let slowest = 0;

  const start = async (): Promise<void> => {
    const t0 = Date.now();
    // Node itself with tsx's loader: the tsx command runs the bot in a child process of its own,
    // which a SIGKILL to the command would leave running. Its own process group, killed whole.
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, DATABASE_URL: o.databaseUrl, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, LOG_LEVEL: process.env.BATTERY_LOG_LEVEL ?? "error", SEED_DEMO_PROPERTY: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const b: Bot = { child, output: "" };
    child.stdout!.on("data", (d: Buffer) => (b.output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (b.output += d.toString()));
    bot = b;
    // Back once this process says it polls (main.ts prints it as the first getUpdates goes
    // out), not once the fake has a poll waiting: a killed bot's poll still looks like one until
    // the fake has read the end of its connection, which can come after the kill has returned,
    // and the clock of the answers after a restart then started before the new process ran.
    for (const deadline = Date.now() + 30_000; !/ is polling/.test(b.output); await sleep(5)) {
      if (Date.now() > deadline || b.child.exitCode !== null || b.child.signalCode !== null) throw new Error(`the bot did not start\n${b.output}`);
    }
    upSince = Date.now();
    if (process.env.BATTERY_DEBUG) console.log(`started in ${upSince - t0} ms`);
  };
  const kill = async (): Promise<void> => {
    const b = bot;
    if (!b) return;
    upSince = null;
    // An answer this kill holds up is measured from the next restart, not from the last one:
    // the next process may even send it before it polls (its replay of the kept batch).
    lastRestart = null;
    bot = null;
    if (b.child.exitCode === null && b.child.signalCode === null) {
      const exited = new Promise((r) => b.child.once("exit", r));
      killedAt.push({ at: Date.now(), moment: killing });
      process.kill(-b.child.pid!, "SIGKILL");
      await exited;
    } else {
      notes.push(`the bot had exited by itself (${b.child.exitCode ?? b.child.signalCode}): ${b.output.slice(-500)}`);
    }
    if (process.env.BATTERY_DEBUG) console.log(`--- killed bot's output:\n${b.output}`);
    if (/\[error\]/.test(b.output)) notes.push(`logged before the kill: ${b.output.slice(0, 500)}`);
  };

  /** Resolves when the owner's chat has a bot message past `seen` whose stem is `want`. */
  async function answered(chatId: number, seen: number, want: string, sentAt: number): Promise<boolean> {
    for (;;) {
      const messages = api.botMessages(chatId);
      if (messages.slice(seen).some((m) => stem(m.text ?? "") === want)) {
        // An answer to a message said before the restart or soon after: waited since the later
        // of saying it and the bot being back.
        const now = Date.now();
        if (lastRestart !== null && now >= lastRestart && sentAt < lastRestart + AFTER_RESTART_MS) {
          const waited = now - Math.max(sentAt, lastRestart);
          slowest = Math.max(slowest, waited);
          if (waited >= 1_500 && notes.length < 40) notes.push(`owner of chat ${chatId}: answered ${waited} ms after the restart (said ${sentAt - lastRestart} ms after it): ${want}`);
        }
        return true;
      }
      if (upSince !== null && Date.now() - Math.max(upSince, sentAt) > lostAfterMs) return false;
      if (failed) return true;
      await sleep(15);
    }
  }
  let lastRestart: number | null = null;
  let failed = false;
  const killedAt: Kill[] = [];
  let killing: KillMoment = "random";

  /** One owner's whole intake, each step answered before the next; a lost message is said again. */
  async function owner(n: number, expected: readonly string[]): Promise<void> {
    const user: User = { id: 5_000_000 + n, is_bot: false, first_name: `业主${n}`, language_code: "zh-hans" };
    for (const [i, step] of intake(n).entries()) {
      for (;;) {
        while (upSince === null) {
          // The battery failed (a bot that would not start): the owners stop too, or they wait forever.
          if (failed) return;
          await sleep(10);
        }
        const seen = api.botMessages(user.id).length;
        const sentAt = Date.now();
        if ("text" in step) api.userMessage({ from: user, text: step.text });
        else {
          const message = [...api.botMessages(user.id)].reverse().find((m) => buttonLabels(m).some((l) => l === step.press));
          if (!message) throw new Error(`owner ${n}: no button "${step.press}"`);
          const data = buttonData(message)[buttonLabels(message).findIndex((l) => l === step.press)]!;
          api.pressButton({ message, data, from: user });
        }
        ownerMessages++;
        if (await answered(user.id, seen, expected[i]!, sentAt)) {
          // A person reads the question before answering it; the bot's throttle (a message a
          // second per chat, Telegram's limit) is then not what an answer after a restart waits for.
          await sleep(THINK_MS);
          break;
        }
        lost++;
        notes.push(`owner ${n}: step ${i + 1} got no answer`);
      }
    }
  }

  try {
    await start();
    // A staff group bound with an admin's code, so every ticket's card has somewhere to go.
    const admin = await openStore({ databaseUrl: o.databaseUrl });
    const property = (await admin.store.properties())[0]!;
    const grant = { kind: "bind", purpose: "staff", department: null } as const;
    const code = (await admin.store.createInvite({ propertyId: property.id, grant, expiresAt: new Date(Date.now() + 3_600_000), createdAt: new Date() })).code;
    await admin.close();
    const since = api.calls.length;
    api.userMessage({ chat: GROUP, from: ADMIN, text: `/bind ${code}` });
    const bound = await api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id === GROUP.id, { since, timeoutMs: 15_000 });
    if (bound.error || !String(bound.params.text).includes("本群已绑定")) throw new Error(`binding the staff group failed: ${JSON.stringify(bound)}`);

    // One owner without a kill tells what each answer looks like.
    const expected = await calibrate(api);

    // Owners keep coming, each a new one filing once, `owners` at a time, across the kills.
    let next = 0;
    let stopping = false;
    const talking = Array.from({ length: o.owners }, async () => {
      while (!stopping) await owner(next++, expected);
    });
    for (let trial = 0; trial < o.trials; trial++) {
      const moment = moments[trial % moments.length]!;
      const held = await killAt(moment);
      kills[moment]++;
      killing = moment;
      await kill();
      // Its answer goes to a connection that died with the process.
      held?.release();
      await start();
      lastRestart = upSince;
      killedAt.at(-1)!.restartedAt = upSince!;
      o.progress?.(`trial ${trial + 1}/${o.trials} (${moment}): ${next} owners so far; lost ${lost}`);
    }
    stopping = true;
    await Promise.all(talking);
    // Let the sender finish what it holds (cards go to a group at 20 a minute), then read the outcome.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && cardsPosted(api) < next + 1) await sleep(200);
    return { ...(await tally(api, o.databaseUrl, next, notes, killedAt)), trials: o.trials, kills, ownerMessages, ownerMessagesLost: lost, slowestAnswerAfterRestartMs: slowest };
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    await kill();
    await api.stop();
  }

  async function calibrate(fake: FakeBotApi): Promise<string[]> {
    const user: User = { id: 4_999_999, is_bot: false, first_name: "样本", language_code: "zh-hans" };
    const stems: string[] = [];
    for (const step of intake(999)) {
      const seen = fake.botMessages(user.id).length;
      if ("text" in step) fake.userMessage({ from: user, text: step.text });
      else {
        const message = [...fake.botMessages(user.id)].reverse().find((m) => buttonLabels(m).some((l) => l === step.press));
        if (!message) throw new Error(`calibration: no button "${step.press}"; the chat: ${JSON.stringify(fake.botMessages(user.id).map((m) => [m.text, buttonLabels(m)]))}`);
        fake.pressButton({ message, data: buttonData(message)[buttonLabels(message).findIndex((l) => l === step.press)]!, from: user });
      }
      // The whole answer: its last message is the next question, asked once nothing more comes.
      let count = seen;
      const deadline = Date.now() + 10_000;
      for (;;) {
        await sleep(150);
        const now = fake.botMessages(user.id).length;
        if (now > seen && now === count) break;
        count = now;
        if (Date.now() > deadline) throw new Error(`calibration: no answer to ${JSON.stringify(step)}`);
      }
      stems.push(stem(fake.botMessages(user.id).at(-1)!.text ?? ""));
      if (process.env.BATTERY_DEBUG) console.log("calibration", JSON.stringify(step), "→", stems.at(-1));
    }
    if (!stems.at(-1)!.includes("工单号")) throw new Error(`calibration: the intake did not file a ticket: ${stems.join(" | ")}`);
    return stems;
  }

  /** Waits for the trial's kill moment while the owners talk; a call held for the kill, for mid-send. */
  async function killAt(moment: KillMoment): Promise<HeldCall | void> {
    const from = api.calls.length;
    if (moment === "random") return sleep(300 + random() * 2_000);
    if (moment === "mid-send") {
      await sleep(random() * 800);
      return api.holdNext((method, params) => method === "sendMessage" && Number(params.chat_id) >= 5_000_000);
    }
    if (moment === "after-fetch") {
      // Not always the first batch: somewhere in the owners' conversation.
      const skip = Math.floor(random() * 6);
      let after = from;
      for (let i = 0; ; i++) {
        const call = await api.waitForCall((c) => c.method === "getUpdates" && Array.isArray(c.result) && c.result.length > 0, { since: after, timeoutMs: 20_000 });
        if (i >= skip) return;
        after = call.index + 1;
      }
    }
    await sleep(random() * 800);
    api.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" });
    const refused = await api.waitForCall((c) => c.method === "sendMessage" && c.error === 500, { since: from, timeoutMs: 20_000 });
    // Killed once the bot has read the refusal (grammY's auto-retry waits 3 s to try again): one
    // killed before, with its request out, counts it delivered, as mid-send shows why. A request
    // the bot made this long after the refusal reached it says its event loop has run since.
    await api.waitForCall((c) => (c.receivedAt ?? c.at) >= refused.at + FAILED_SEND_KILL_MS, { since: refused.index + 1, timeoutMs: 20_000 });
  }
}

/** Tickets in the database, cards in the staff group, each owner's chat. */
async function tally(api: FakeBotApi, databaseUrl: string, owners: number, notes: string[], killedAt: readonly Kill[]): Promise<Omit<BatteryResult, "trials" | "kills" | "ownerMessages" | "ownerMessagesLost" | "slowestAnswerAfterRestartMs">> {
  const opened = await openStore({ databaseUrl });
  const read = opened.use((ctx) => ({
    tickets: () => ctx.db.ticket.findMany({ select: { id: true, number: true, owner: { select: { platformUserId: true } } } }),
    pendingCards: () => ctx.db.outboxMessage.findMany({ where: { kind: "card", status: "pending" }, select: { ticketId: true } }),
  }));
  const rows = await read.tickets();
  // A card a killed process had leased waits out the lease (60 s) before another sender takes it: late, not lost.
  const late = new Set((await read.pendingCards()).map((c) => c.ticketId));
  await opened.close();
  const trialTickets = rows.filter((r) => Number(r.owner.platformUserId) >= 5_000_000);
  const perOwner = new Map<string, number>();
  for (const r of trialTickets) perOwner.set(r.owner.platformUserId, (perOwner.get(r.owner.platformUserId) ?? 0) + 1);
  const ticketsLost = owners - perOwner.size;
  const duplicatedTickets = [...perOwner.values()].reduce((s, n) => s + n - 1, 0);

  const cards = new Map<string, number>();
  // Cards posted (each is edited in place later): "🆕 HG-0001 · …", "🚨 HG-0002 · …" for a major matter.
  const posted = api.calls.filter((c) => c.method === "sendMessage" && !c.error && String(c.params.chat_id) === String(GROUP.id));
  for (const call of posted) {
    const number = /^\S+ (HG-\d+) · /.exec(String(call.params.text))?.[1];
    if (number) cards.set(number, (cards.get(number) ?? 0) + 1);
  }
  const duplicatedCards = [...cards.values()].reduce((s, n) => s + n - 1, 0);
  const cardsLost = rows.filter((r) => !cards.has(r.number) && !late.has(r.id)).length;
  if (late.size > 0) notes.push(`${late.size} cards still queued (the group's 20 a minute, or a killed sender's lease on PostgreSQL)`);

  let duplicatedMessages = 0;
  let duplicatedConfirmations = 0;
  for (let n = 0; n < owners; n++) {
    const texts = api.botMessages(5_000_000 + n).map((m: Message) => m.text ?? "");
    const seen = new Set<string>();
    for (const text of texts) {
      if (seen.has(text)) {
        duplicatedMessages++;
        // Its own cap: slow answers fill the notes first and must not hide these.
        if (duplicatedMessages <= 20) notes.unshift(`owner ${n} got twice: ${text.split("\n")[0]} (${nearestKill(api, 5_000_000 + n, text, killedAt)})`);
      }
      seen.add(text);
    }
    duplicatedConfirmations += Math.max(0, texts.filter((t) => t.includes("工单号")).length - 1);
    // BATTERY_TRANSCRIPT=N: the whole exchange of each owner who got N or more messages twice.
    if (process.env.BATTERY_TRANSCRIPT && texts.length - seen.size >= Number(process.env.BATTERY_TRANSCRIPT)) notes.push(transcript(api, 5_000_000 + n));
  }
  return {
    owners,
    ticketsLost,
    cardsLost,
    duplicated: { tickets: duplicatedTickets, cards: duplicatedCards, confirmations: duplicatedConfirmations, ownerMessages: duplicatedMessages },
    sendsAtKills: sendsAtKills(api, killedAt),
    ownerSends: bunched(api),
    notes,
  };
}

interface Kill {
  /** When the battery sent SIGKILL (Date.now()). */
  readonly at: number;
  readonly moment: KillMoment;
  /** When the next process was polling. */
  restartedAt?: number;
}

/** Owners' chats: the trials' owners are users 5,000,000 and up (private chats share the user's id). */
const isOwnerSend = (c: { method: string; error?: number; params: Record<string, unknown> }): boolean =>
  (c.method === "sendMessage" || c.method === "sendPhoto") && !c.error && Number(c.params.chat_id) >= 5_000_000;

/**
 * The kill nearest the first copy of `text` and the copy's signed offset from it: "+1 ms" is a
 * send the fake answered 1 ms after the kill signal (in flight: the process never heard back),
 * "-40 ms" one answered 40 ms before it, whose answer the process did not get to record. With the
 * gap since the chat's previous bot message, which tells a send that waited for the chat's slot
 * (about 1,000 ms) from one that went at once.
 */
function nearestKill(api: FakeBotApi, chatId: number, text: string, killedAt: readonly Kill[]): string {
  const sends = api.calls.filter((c) => isOwnerSend(c) && Number(c.params.chat_id) === chatId);
  const i = sends.findIndex((c) => c.params.text === text);
  const first = sends[i];
  if (!first) return "first copy not found";
  const kill = killedAt.reduce<Kill | undefined>((best, k) => (best === undefined || Math.abs(k.at - first.at) < Math.abs(best.at - first.at) ? k : best), undefined);
  const previous = i > 0 ? `, ${first.at - sends[i - 1]!.at} ms after the chat's previous message` : "";
  if (!kill) return `no kill${previous}`;
  return `first copy ${signed(first.at - kill.at)} ms from the ${kill.moment} kill #${killedAt.indexOf(kill) + 1}${previous}; around the kill: ${around(api, kill.at)}`;
}

const signed = (ms: number): string => `${ms >= 0 ? "+" : ""}${ms}`;

/** The calls the fake received or answered from 50 ms before `at` to 10 ms after it, with times relative to it. */
function around(api: FakeBotApi, at: number): string {
  const near = api.calls.filter((c) => c.at >= at - 50 && (c.receivedAt ?? c.at) <= at + 10);
  return near
    .map((c) => {
      const what = c.method === "getUpdates" ? `getUpdates[${Array.isArray(c.result) ? c.result.length : c.error}]` : `${c.method}(${String(c.params.chat_id ?? "")})`;
      return `${what} ${signed((c.receivedAt ?? c.at) - at)}→${signed(c.at - at)}`;
    })
    .join(", ");
}

function bunched(api: FakeBotApi): BatteryResult["ownerSends"] {
  const times = api.calls.filter(isOwnerSend).map((c) => c.receivedAt ?? c.at);
  return { total: times.length, bunched: times.filter((t, i) => i > 0 && t - times[i - 1]! <= 2).length };
}

/** Sends to owners answered between each kill signal and the next start, by the kill's kind. */
function sendsAtKills(api: FakeBotApi, killedAt: readonly Kill[]): Record<KillMoment, number> {
  const counts: Record<KillMoment, number> = { random: 0, "after-fetch": 0, "mid-send": 0, "failed-send": 0 };
  for (const k of killedAt) {
    const until = k.restartedAt ?? Infinity;
    counts[k.moment] += api.calls.filter((c) => isOwnerSend(c) && c.at >= k.at && c.at < until).length;
  }
  return counts;
}

/** An owner's chat as the fake saw it, for BATTERY_TRANSCRIPT: what they sent and pressed, and what the bot said. */
function transcript(api: FakeBotApi, userId: number): string {
  const said = api.updates
    .filter((u) => (u.message?.from?.id ?? u.callback_query?.from.id) === userId)
    .map((u) => `  <${u.update_id}> ${u.message?.text ?? `[press ${u.callback_query?.data} on #${u.callback_query?.message?.message_id}]`}`);
  const heard = api.botMessages(userId).map((m) => `  #${m.message_id} ${(m.text ?? "").split("\n")[0]} ${buttonData(m).join(",")}`);
  return `owner ${userId}:\n${said.join("\n")}\n bot:\n${heard.join("\n")}`;
}

function cardsPosted(api: FakeBotApi): number {
  return api.calls.filter((c) => c.method === "sendMessage" && !c.error && String(c.params.chat_id) === String(GROUP.id) && /^\S+ HG-\d+ · /.test(String(c.params.text))).length;
}

function buttonLabels(message: Message): string[] {
  return (message.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
