/**
 * A restarted instance on PostgreSQL ends the leases its killed predecessor's sender held, so
 * the chat's queue (and an owner's next answers in it) does not wait out a minute-long lease
 * (issue 10: owners' answers in the soak came up to ~50 s late, or were counted lost); but never
 * while another instance runs, whose leases are live. Needs TEST_DATABASE_URL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openStore, type OpenedStore } from "../../../src/infra/prisma/open.js";
import { createReplyOutbox } from "../../../src/infra/prisma/conversations.js";
import { announcePresence, HOLDER_LOCK, PRESENCE_LOCK, type PresenceOptions } from "../../../src/infra/prisma/presence.js";

const url = inject("testDatabaseUrl");
const LEASE_MS = 60_000;
const chat = { platform: "telegram", chatId: `presence-${process.pid}` } as const;

describe.skipIf(!url)("instances on one PostgreSQL database", () => {
  let opened: OpenedStore;
  beforeAll(async () => {
    opened = await openStore({ databaseUrl: url! });
  });
  afterAll(async () => {
    await opened.close();
  });

  /** A message a sender leased at `at` and never finished: its chat's head, due only when the lease ends. */
  async function leasedMessage(at: Date): Promise<string> {
    await opened.outbox.enqueue([{ kind: "message", to: chat, body: { locale: "zh-CN", text: [{ key: "notice.claimed", params: { number: "HG-0001", name: "小王" } }] } }], at);
    const [record] = (await opened.outbox.heads(at, 1000)).filter((r) => r.message.to.chatId === chat.chatId);
    expect(await opened.outbox.lease(record!.id, record!.nextAttemptAt, new Date(at.getTime() + LEASE_MS))).toBe(true);
    return record!.id;
  }
  const due = async (at: Date) => (await opened.outbox.heads(at, 1000)).filter((r) => r.message.to.chatId === chat.chatId).map((r) => r.id);
  const release = (at: Date) => () => opened.outbox.releaseLeases(at, LEASE_MS);
  /** An instance's presence; no reaps on a timer unless asked, so each test says when they run. */
  const presence = (whenAlone: () => Promise<unknown>, over: Partial<PresenceOptions> = {}) =>
    announcePresence(url!, { holder: randomInt(1, 2 ** 31 - 1), whenAlone, now: () => new Date(), reapEveryMs: 3_600_000, ...over });

  it("alone, it ends a dead sender's lease before it goes on; a second instance is not alone and ends nothing", async () => {
    const at = new Date();
    const id = await leasedMessage(at);
    expect(await due(at)).toEqual([]);
    const first = await presence(release(at));
    try {
      expect(first.alone).toBe(true);
      expect(await due(at)).toEqual([id]);
      // Leased again by the first instance's sender: the second must leave it to that sender.
      const [record] = (await opened.outbox.heads(at, 1000)).filter((r) => r.id === id);
      expect(await opened.outbox.lease(id, record!.nextAttemptAt, new Date(at.getTime() + LEASE_MS))).toBe(true);
      let ran = false;
      const second = await presence(async () => void (ran = true));
      expect(second.alone).toBe(false);
      expect(ran).toBe(false);
      expect(await due(at)).toEqual([]);
      await second.close();
    } finally {
      await first.close();
    }
    await opened.outbox.markSent(id, at);
  });

  it("an instance killed with kill -9 no longer counts: the next one is alone", async () => {
    // Another process holds its part of the lock, as a running instance does, and is killed.
    const script = `const pg = require("pg"); const c = new pg.Client({ connectionString: process.env.URL });
      c.connect().then(() => c.query("SELECT pg_advisory_lock_shared($1)", [Number(process.env.KEY)])).then(() => process.stdout.write("holding"));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["-e", script], { env: { ...process.env, URL: url!, KEY: String(PRESENCE_LOCK) }, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    const alive = await presence(async () => undefined);
    expect(alive.alone).toBe(false);
    await alive.close();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    // The server drops a killed client's session as soon as it reads the closed connection.
    let next = await presence(async () => undefined);
    for (let i = 0; !next.alone && i < 20; i++) {
      await next.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      next = await presence(async () => undefined);
    }
    expect(next.alone).toBe(true);
    await next.close();
  });

  it("an instance killed while another runs: the live one releases the killed one's held reply and lease, never a live one's", async () => {
    const at = new Date();
    const replies = opened.use(createReplyOutbox);
    const owner = await opened.store.person({ platform: "telegram", platformUserId: `presence-owner-${process.pid}`, locale: "zh-CN" });
    const to = (n: number) => ({ platform: "telegram", chatId: `presence-${process.pid}-${n}` }) as const;
    const body = { locale: "zh-CN", text: [{ key: "ask.room" }] } as const;
    const holdUntil = new Date(at.getTime() + 20_000);
    // Held replies of two instances: the killed one's (a child holding its holder lock, as a
    // running bot does, then killed) and a live one's.
    const killed = await holdingInstance(url!);
    const hold = async (n: number, holder: number) => {
      const saved = await replies.saveConversation(`presence-${process.pid}-${n}`, owner.id, { n }, 0, at, { to: to(n), bodies: [body], holdUntil });
      if (!saved.ok || !saved.held) throw new Error("not held");
      // The save itself marks a held reply as this store's (the one-statement save on PostgreSQL).
      expect(await holderOf(saved.ids[0]!)).toBe(opened.holder);
      await setHolder(saved.ids[0]!, holder);
      return saved.ids[0]!;
    };
    const live = await presence(async () => undefined);
    const killedReply = await hold(1, killed.holder);
    const liveReply = await hold(2, opened.holder);
    const killedLease = await leasedMessage(at);
    await setHolder(killedLease, killed.holder);
    // The store's own rows are a live instance's only while its presence holds their number.
    const own = await presence(async () => undefined, { holder: opened.holder });
    const dueNow = async () => (await opened.outbox.heads(at, 1000)).map((r) => r.id).filter((id) => [killedReply, liveReply, killedLease].includes(id));
    try {
      expect(await live.reap(at)).toBe(0);
      // A restart of a third instance releases nothing of a running one either.
      expect(await replies.releaseOrphans(new Date(at.getTime() + 1), 20_000)).toBe(0);
      expect(await dueNow()).toEqual([]);

      await killed.kill();
      let released = await live.reap(at);
      for (let i = 0; released === 0 && i < 40; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        released = await live.reap(at);
      }
      expect(released).toBe(2);
      expect((await dueNow()).sort()).toEqual([killedReply, killedLease].sort());
      expect(await live.reap(at)).toBe(0);
    } finally {
      await own.close();
      await live.close();
      for (const id of [killedReply, liveReply, killedLease]) await opened.outbox.markSent(id, at).catch(() => undefined);
    }
  });

  it("reaps on its own every period, and says so", async () => {
    const at = new Date();
    const killed = await holdingInstance(url!);
    const id = await leasedMessage(at);
    await setHolder(id, killed.holder);
    let told = 0;
    const live = await presence(async () => undefined, { now: () => at, reapEveryMs: 50, onReap: (n) => void (told += n) });
    try {
      await killed.kill();
      for (let i = 0; told === 0 && i < 100; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(told).toBe(1);
      expect((await opened.outbox.heads(at, 1000)).map((r) => r.id)).toContain(id);
    } finally {
      await live.close();
      await opened.outbox.markSent(id, at);
    }
  });

  async function onClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url! });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }
  const setHolder = (id: string, holder: number) => onClient((c) => c.query(`UPDATE "OutboxMessage" SET "holder" = $1 WHERE "id" = $2`, [holder, id]));
  const holderOf = (id: string) => onClient(async (c) => (await c.query<{ holder: number | null }>(`SELECT "holder" FROM "OutboxMessage" WHERE "id" = $1`, [id])).rows[0]?.holder);
});

/** Another process holding a holder lock, as a running instance does; `kill` is kill -9. */
async function holdingInstance(url: string): Promise<{ holder: number; kill(): Promise<void> }> {
  const holder = randomInt(1, 2 ** 31 - 1);
  const script = `const pg = require("pg"); const c = new pg.Client({ connectionString: process.env.URL });
    c.connect().then(() => c.query("SELECT pg_advisory_lock($1, $2)", [Number(process.env.CLASS), Number(process.env.HOLDER)])).then(() => process.stdout.write("holding"));
    setInterval(() => {}, 1000);`;
  const child: ChildProcess = spawn(process.execPath, ["-e", script], { env: { ...process.env, URL: url, CLASS: String(HOLDER_LOCK), HOLDER: String(holder) }, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  return {
    holder,
    async kill() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
