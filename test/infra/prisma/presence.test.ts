/**
 * A restarted instance on PostgreSQL ends the leases its killed predecessor's sender held, so
 * the chat's queue (and an owner's next answers in it) does not wait out a minute-long lease
 * (issue 10: owners' answers in the soak came up to ~50 s late, or were counted lost); but never
 * while another instance runs, whose leases are live. Needs TEST_DATABASE_URL.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openStore, type OpenedStore } from "../../../src/infra/prisma/open.js";
import { announcePresence, PRESENCE_LOCK } from "../../../src/infra/prisma/presence.js";

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

  it("alone, it ends a dead sender's lease before it goes on; a second instance is not alone and ends nothing", async () => {
    const at = new Date();
    const id = await leasedMessage(at);
    expect(await due(at)).toEqual([]);
    const first = await announcePresence(url!, release(at));
    try {
      expect(first.alone).toBe(true);
      expect(await due(at)).toEqual([id]);
      // Leased again by the first instance's sender: the second must leave it to that sender.
      const [record] = (await opened.outbox.heads(at, 1000)).filter((r) => r.id === id);
      expect(await opened.outbox.lease(id, record!.nextAttemptAt, new Date(at.getTime() + LEASE_MS))).toBe(true);
      let ran = false;
      const second = await announcePresence(url!, async () => void (ran = true));
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
    const alive = await announcePresence(url!, async () => undefined);
    expect(alive.alone).toBe(false);
    await alive.close();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    // The server drops a killed client's session as soon as it reads the closed connection.
    let next = await announcePresence(url!, async () => undefined);
    for (let i = 0; !next.alone && i < 20; i++) {
      await next.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      next = await announcePresence(url!, async () => undefined);
    }
    expect(next.alone).toBe(true);
    await next.close();
  });
});
