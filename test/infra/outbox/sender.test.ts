/**
 * The outbox sender over a real store, with a fake transport that records every call and answers
 * as each test programs it, a clock only the test (and the sender's `sleep`) moves, and a `sleep`
 * that returns at once after moving it. Times below are read off that clock, never the wall.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import type { Channel, ChatRef } from "../../../src/core/messages.js";
import type { NewOutboxMessage, OutboxStore } from "../../../src/core/outbox.js";
import type { Clock } from "../../../src/core/time/clock.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import type { RenderedReply } from "../../../src/i18n/render.js";
import { backoffMs, createOutboxSender, type DrainResult, type OutboxSender, type OutboxSenderDeps } from "../../../src/infra/outbox/sender.js";
import { NO_LIMITS, PLATFORM_LIMITS, SAFETY_MARGIN, Throttle, type Rate } from "../../../src/infra/outbox/throttle.js";
import type { SendOpts, SendResult, Transport } from "../../../src/infra/outbox/transport.js";
import { openStore } from "../../../src/infra/prisma/open.js";
import { isGroup, overLimits, type CountedCall } from "../../fakes/sliding-window.js";
import { backends, type TestStore } from "../../support/db.js";
import { anyLevel, quietLogger } from "../../support/logger.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import type { NotedCard } from "../../../src/core/desk/journal.js";
import { fileSentJournal, saveJournaledCards } from "../../../src/infra/sent-journal.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const T0 = new Date("2026-11-23T02:00:00Z").getTime();
const FAR = new Date("3000-01-01T00:00:00Z");

class FakeClock implements Clock {
  t = T0;
  now(): Date {
    return new Date(this.t);
  }
}

interface Call {
  readonly op: "send" | "edit";
  readonly chatId: string;
  readonly text: string;
  readonly messageId?: string;
  readonly threadOf?: string;
  readonly at: number;
  result?: SendResult;
}

type Program = (call: Call, n: number) => SendResult | undefined | Promise<SendResult | undefined>;

/** Telegram-like: negative ids are groups. Succeeds unless `program` answers otherwise. */
class FakeTransport implements Transport {
  readonly calls: Call[] = [];
  /** What each chat shows: message id → text. Delete one to have its edit answer "gone". */
  readonly shown = new Map<string, string>();
  program: Program = () => undefined;
  private ids = 0;

  constructor(
    readonly platform: Channel,
    private readonly clock: FakeClock,
    /** Shared by transports of senders racing each other. */
    private readonly log: Call[] = [],
  ) {}

  chatKind(chatId: string): "private" | "group" {
    return chatId.startsWith("-") ? "group" : "private";
  }

  /** Tells the watch what Telegram's fetch would: written, and failed on a refusal. */
  async send(chatId: string, message: RenderedReply, opts: SendOpts): Promise<SendResult> {
    const { watch, ...rest } = opts;
    watch?.writing();
    const result = await this.answer({ op: "send", chatId, text: message.text, ...rest, at: this.clock.t });
    if (!result.ok) watch?.failed();
    return result;
  }

  edit(chatId: string, messageId: string, message: RenderedReply): Promise<SendResult> {
    return this.answer({ op: "edit", chatId, messageId, text: message.text, at: this.clock.t });
  }

  /** The texts that reached `chatId`, in order. */
  delivered(chatId?: string): string[] {
    return this.calls.filter((c) => c.result?.ok && (chatId === undefined || c.chatId === chatId)).map((c) => c.text);
  }

  private async answer(call: Call): Promise<SendResult> {
    this.calls.push(call);
    this.log.push(call);
    await new Promise((r) => setImmediate(r)); // let a racing sender in
    const programmed = await this.program(call, this.calls.length);
    let result: SendResult;
    if (programmed) result = programmed;
    else if (call.op === "edit") result = this.shown.has(call.messageId!) ? { ok: true, messageId: call.messageId! } : { ok: false, kind: "gone", error: "message to edit not found" };
    else result = { ok: true, messageId: String(++this.ids) };
    if (result.ok) this.shown.set(result.messageId, call.text);
    call.result = result;
    return result;
  }
}

const tg = (chatId: string): ChatRef => ({ platform: "telegram", chatId });

/** A message whose rendered text is `label`. */
function msg(to: ChatRef, label: string, ticketId?: string): NewOutboxMessage {
  const body = { locale: "zh-CN" as const, text: [{ key: "common.raw" as const, params: { text: label } }] };
  return ticketId ? { kind: "message", to, ticketId, body } : { kind: "message", to, body };
}

async function render(m: NewOutboxMessage): Promise<RenderedReply | null> {
  if (m.kind === "card") return { text: `card ${m.ticketId}`, choices: [] };
  const text = m.body.text.map((t) => String(t.params?.["text"])).join(" ");
  return text === "nothing" ? null : { text, choices: [] };
}

const add = (total: DrainResult, r: DrainResult) => {
  total.sent += r.sent;
  total.retried += r.retried;
  total.dead += r.dead;
};

/** Labels of `texts` belonging to one chat, in the order they were queued. */
function inOrder(texts: string[], queued: string[]): boolean {
  const positions = texts.map((t) => queued.indexOf(t));
  return positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!));
}

describe.each(backends())("the outbox sender on $name", (backend) => {
  let opened: TestStore;
  let store: Stores;
  let outbox: OutboxStore;
  let ticket: TicketRecord;
  let clock: FakeClock;
  let sleeps: number[];

  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.t += ms;
  };

  beforeEach(async () => {
    opened = await backend.open();
    ({ store, outbox } = opened);
    clock = new FakeClock();
    sleeps = [];
    const property = await store.createProperty({ code: "HG", name: "虹港家园", zones: [] });
    const owner = await store.person({ platform: "telegram", platformUserId: "201", locale: "zh-CN" });
    ({ ticket } = await store.fileTicket({
      intakeId: "i1", propertyId: property.id, zoneId: null, roomId: null, kind: "repair", category: "engineering", weight: "general",
      majorReasons: [], ownerId: owner.id, roomLabel: null, contactName: null, contactPhone: null, location: "home", place: null,
      description: "漏水", since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: clock.now(),
      nextReplyDueAt: null, confirmation: {},
    }));
  });
  afterEach(async () => {
    await opened.close();
  });

  /** Writes messages the way the core does: inside a ticket change's transaction, one transaction per call. */
  async function queue(...messages: NewOutboxMessage[]): Promise<void> {
    const event = { at: clock.now(), type: "note" as const, actorKind: "staff" as const, actorId: null, channel: "telegram" as const, fromStatus: null, toStatus: null, data: {} };
    await store.appendEvent(ticket.id, event, undefined, messages);
    clock.t += 1; // later writes are later, as with a real clock
  }

  function sender(transports: Transport[], over: Partial<OutboxSenderDeps> = {}): OutboxSender {
    return createOutboxSender({ outbox, store, transports, render, clock, sleep, logger: quietLogger, ...over });
  }

  /** Drain, move the clock to the next pending message's time, again, until nothing is pending. */
  async function settle(senders: OutboxSender[], out: OutboxStore = outbox): Promise<DrainResult> {
    const total = { sent: 0, retried: 0, dead: 0 };
    for (let i = 0; i < 500; i++) {
      for (const r of await Promise.all(senders.map((s) => s.drainOnce()))) add(total, r);
      const [next] = await out.due(FAR, 1);
      if (!next) return total;
      clock.t = Math.max(clock.t + 250, next.nextAttemptAt.getTime());
    }
    throw new Error("the outbox never emptied");
  }

  it("sends everything pending once, each chat in order, paced to the chat's limit", async () => {
    const telegram = new FakeTransport("telegram", clock);
    const slack = new FakeTransport("slack", clock);
    const [a, b, g] = [tg("101"), tg("102"), tg("-100")];
    await queue(msg(a, "a1"), msg(a, "a2"), msg(g, "g1"));
    await queue(msg(b, "b1"), msg(a, "a3"), msg({ platform: "slack", chatId: "C1" }, "s1"));
    await queue(msg(g, "g2"), msg(a, "nothing"), msg(a, "a4"));

    const result = await sender([telegram, slack]).drainOnce();

    expect(result).toEqual({ sent: 9, retried: 0, dead: 0 });
    expect(telegram.delivered("101")).toEqual(["a1", "a2", "a3", "a4"]);
    expect(telegram.delivered("102")).toEqual(["b1"]);
    expect(telegram.delivered("-100")).toEqual(["g1", "g2"]);
    expect(slack.delivered()).toEqual(["s1"]);
    expect(telegram.calls).toHaveLength(7); // "nothing" rendered to null: marked sent, never sent
    const times = telegram.calls.filter((c) => c.chatId === "101").map((c) => c.at);
    times.slice(1).forEach((t, i) => expect(t - times[i]!).toBeGreaterThanOrEqual(1_000)); // 1 a second in a private chat
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(1_040);

    expect(await sender([telegram, slack]).drainOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(telegram.calls).toHaveLength(7);
    expect(await outbox.due(FAR, 10)).toEqual([]);
  });

  it("notes each plain message the platform accepted in the sent journal before its mark, and forgets it once marked", async () => {
    const telegram = new FakeTransport("telegram", clock);
    const events: string[] = [];
    const journal = {
      note: (ids: readonly string[]) => void events.push(`note ${ids.length}`),
      noteCard: (c: NotedCard) => void events.push(`card ${c.messageId}`),
      settled: (ids: readonly string[]) => void events.push(`settled ${ids.length}`),
      sending: (ids: readonly string[]) => void events.push(`sending ${ids.length}`),
      notSent: (ids: readonly string[]) => void events.push(`not sent ${ids.length}`),
      noted: () => [],
      inFlight: () => [],
      notedCards: () => [],
      clear: () => undefined,
    };
    const marking: OutboxStore = { ...outbox, markSent: async (id, at) => (events.push("markSent"), outbox.markSent(id, at)) };
    await queue(msg(tg("101"), "m1"));
    await settle([sender([telegram], { journal, outbox: marking })]);
    expect(events).toEqual(["sending 1", "note 1", "markSent", "settled 1"]);
    events.length = 0;
    await queue({ kind: "card", to: tg("-100111"), ticketId: ticket.id });
    await settle([sender([telegram], { journal, outbox: marking })]);
    expect(events).toEqual(["sending 1", `card ${await outbox.cardMessage(ticket.id, tg("-100111"))}`, "markSent", "settled 1"]);
    // A card's edit is not watched: done twice it changes nothing.
    events.length = 0;
    await queue({ kind: "card", to: tg("-100111"), ticketId: ticket.id });
    await settle([sender([telegram], { journal, outbox: marking })]);
    expect(events).toEqual(["markSent", "settled 1"]);
    // A refused send: noted as not sent, so a kill before the retry leaves it to be sent again.
    events.length = 0;
    telegram.program = () => ({ ok: false, kind: "failed", error: "500" });
    await queue(msg(tg("101"), "m2"));
    await sender([telegram], { journal, outbox: marking }).drainOnce();
    expect(events).toEqual(["sending 1", "not sent 1"]);
  });

  it("a card posted by a process killed before its save is edited after the restart, not posted again", async () => {
    const telegram = new FakeTransport("telegram", clock);
    const group = tg("-100111");
    const dir = mkdtempSync(join(tmpdir(), "guanjia-cards-"));
    try {
      const journal = fileSentJournal(join(dir, "sent"));
      const killed: OutboxStore = { ...outbox, saveCardMessage: () => Promise.reject(new Error("kill -9")) };
      await queue({ kind: "card", to: group, ticketId: ticket.id });
      await expect(sender([telegram], { journal, outbox: killed }).drainOnce()).rejects.toThrow("kill -9");
      expect(await outbox.cardMessage(ticket.id, group)).toBeNull();
      journal.close();

      // The next start: the journal's card is saved before the sender runs; its lease ends.
      const next = fileSentJournal(join(dir, "sent"));
      expect(await saveJournaledCards(next, outbox, clock.now())).toBe(1);
      clock.t += 120_000;
      await settle([sender([telegram], { journal: next })]);
      expect(telegram.calls.map((c) => c.op)).toEqual(["send", "edit"]);
      expect(await outbox.cardMessage(ticket.id, group)).toBe((telegram.calls[0]!.result as { messageId: string }).messageId);
      next.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rides out a 429 storm: holds the chat, then the platform; nothing lost, nothing twice, order kept", async () => {
    const telegram = new FakeTransport("telegram", clock);
    const retryAfter = [3_000, 5_000, 2_000, 4_000, 1_000];
    telegram.program = (_call, n) => (n <= retryAfter.length ? { ok: false, kind: "rate_limited", retryAfterMs: retryAfter[n - 1]! } : undefined);
    const chats = ["101", "102", "-100"];
    const queued = new Map(chats.map((c) => [c, [1, 2, 3].map((i) => `${c}#${i}`)]));
    for (const i of [0, 1, 2]) await queue(...chats.map((c) => msg(tg(c), queued.get(c)![i]!)));

    const result = await settle([sender([telegram])]);

    expect(result).toEqual({ sent: 9, retried: 5, dead: 0 });
    for (const c of chats) {
      expect(telegram.delivered(c)).toEqual(queued.get(c));
      // Never a later message tried while an earlier one waited.
      expect(inOrder([...new Set(telegram.calls.filter((x) => x.chatId === c).map((x) => x.text))], queued.get(c)!)).toBe(true);
    }
    const calls = telegram.calls;
    calls.forEach((call, i) => {
      if (call.result?.ok !== false || call.result.kind !== "rate_limited") return;
      const until = call.at + call.result.retryAfterMs;
      const nextToChat = calls.slice(i + 1).find((x) => x.chatId === call.chatId);
      expect(nextToChat!.at).toBeGreaterThanOrEqual(until);
      // A second chat answering 429 in a row: the limit is the bot's, every chat waits.
      const previous = calls[i - 1];
      if (previous?.result?.ok === false && previous.result.kind === "rate_limited" && previous.chatId !== call.chatId) {
        for (const later of calls.slice(i + 1)) expect(later.at).toBeGreaterThanOrEqual(until);
      }
    });
    expect(clock.t - T0).toBeGreaterThanOrEqual(3_000 + 5_000); // the first two 429s alone hold everything that long
  });

  it("backs off 1 s, 2 s, 4 s… after failures, capped at 5 minutes, and gives up after maxAttempts", async () => {
    const telegram = new FakeTransport("telegram", clock);
    telegram.program = () => ({ ok: false, kind: "failed", error: "502 Bad Gateway" });
    await queue(msg(tg("101"), "m"));

    const infos: string[] = [];
    const logger = { ...quietLogger, info: (m: string) => void infos.push(m) };
    const result = await settle([sender([telegram], { maxAttempts: 12, limits: {}, logger })]); // the backoff alone, not the chat's 1.04 s

    expect(result).toEqual({ sent: 0, retried: 11, dead: 1 });
    // The operator reads when each failed message is tried again.
    expect(infos.filter((m) => m.includes("next try at"))).toHaveLength(11);
    const times = telegram.calls.map((c) => c.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map((s) => s * 1_000));
    const first = infos.find((m) => m.includes("next try at"))!;
    expect(first).toContain(`(attempt 1 of 12); next try at ${new Date(times[0]! + 1_000).toISOString()}`);
    expect(backoffMs(0)).toBe(1_000);
    expect(await outbox.due(FAR, 10)).toEqual([]);
  });

  it("counts a transport that throws as a failure, and gives up after the default 10", async () => {
    const telegram = new FakeTransport("telegram", clock);
    telegram.program = () => {
      throw new Error("socket hang up");
    };
    const errors: unknown[] = [];
    await queue(msg(tg("101"), "m"));

    const result = await settle([sender([telegram], { logger: anyLevel((_m, e) => void errors.push(e)) })]);

    expect(result).toEqual({ sent: 0, retried: 9, dead: 1 });
    expect(telegram.calls).toHaveLength(10);
    expect(errors).toEqual(["socket hang up"]);
  });

  it("a chat that is gone: its message and everything queued behind it dead, the chat deactivated, someone told", async () => {
    const telegram = new FakeTransport("telegram", clock);
    const group = tg("-100111");
    const [property] = await store.properties();
    await store.bindChat({ ...group, propertyId: property!.id, purpose: "staff", department: null }, clock.now());
    telegram.program = (call) => (call.chatId === group.chatId ? { ok: false, kind: "gone", error: "Forbidden: bot was kicked from the supergroup chat" } : undefined);
    const gone = vi.fn(async (_to: ChatRef, _error: string) => {});
    await queue(msg(group, "g1"), msg(group, "g2"), msg(tg("201"), "o1"));
    await queue(msg(group, "g3"));

    const s = sender([telegram], { onChatGone: gone });
    expect(await s.drainOnce()).toEqual({ sent: 1, retried: 0, dead: 3 });

    expect(telegram.calls.map((c) => c.text)).toEqual(["g1", "o1"]); // g2 and g3 never tried
    expect(gone.mock.calls).toEqual([[group, "Forbidden: bot was kicked from the supergroup chat"]]);
    expect((await store.chatBinding(group))!.active).toBe(false);
    expect(await outbox.due(FAR, 10)).toEqual([]);
    expect(await s.drainOnce()).toEqual({ sent: 0, retried: 0, dead: 0 });
  });

  it("after a restart, a new sender finishes what the old one left, including a message leased when it died", async () => {
    const first = new FakeTransport("telegram", clock);
    let inFlight!: () => void;
    const reached = new Promise<void>((resolve) => (inFlight = resolve));
    first.program = (call) => {
      if (call.text === "a2") {
        inFlight();
        return new Promise<undefined>(() => {}); // the process dies mid-send
      }
      return call.text === "b1" ? { ok: false, kind: "rate_limited", retryAfterMs: 2_000 } : undefined;
    };
    await queue(msg(tg("101"), "a1"), msg(tg("102"), "b1"));
    await queue(msg(tg("101"), "a2"), msg(tg("101"), "a3"));
    const diedAt = clock.t;
    // Unthrottled, so that the lease is taken at leasedAt: a throttled sender leases before it waits for the slot.
    void sender([first], { leaseMs: 30_000, limits: {} }).drainOnce();
    await reached;
    expect(first.delivered()).toEqual(["a1"]);
    const leasedAt = clock.t;

    const second = new FakeTransport("telegram", clock);
    const restarted = sender([second]);
    expect(await restarted.drainOnce()).toEqual({ sent: 0, retried: 0, dead: 0 }); // a2 is leased, b1 waits out its 429
    clock.t = diedAt + 2_000;
    expect(await restarted.drainOnce()).toMatchObject({ sent: 1 });
    expect(second.delivered()).toEqual(["b1"]);
    clock.t = leasedAt + 30_000 - 1;
    expect(await restarted.drainOnce()).toMatchObject({ sent: 0 }); // the lease still holds
    clock.t = leasedAt + 30_000;
    expect(await restarted.drainOnce()).toMatchObject({ sent: 2 });
    expect(second.delivered()).toEqual(["b1", "a2", "a3"]);
    expect(second.calls.find((c) => c.text === "a2")!.at).toBeGreaterThanOrEqual(leasedAt + 30_000);
    expect(await outbox.due(FAR, 10)).toEqual([]);
  });

  /** PostgreSQL: a second client, as a second instance would have. SQLite has one writer anyway. */
  async function secondInstance() {
    const url = inject("testDatabaseUrl");
    return backend.name === "postgresql" && url ? await openStore({ databaseUrl: url }) : null;
  }

  it("a lease goes to one of many racing takers, and holds the message back until it ends", async () => {
    const other = await secondInstance();
    try {
      await queue(msg(tg("101"), "m1"), msg(tg("101"), "m2"));
      const [row] = await outbox.heads(clock.now(), 10);
      const until = new Date(clock.t + 60_000);
      const takers = Array.from({ length: 10 }, (_, i) => (i % 2 ? other?.outbox ?? outbox : outbox));
      const won = await Promise.all(takers.map((o) => o.lease(row!.id, row!.nextAttemptAt, until)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await outbox.heads(clock.now(), 10)).toEqual([]); // nor m2, which must not overtake it
      expect((await outbox.heads(until, 10)).map((r) => r.id)).toEqual([row!.id]);
    } finally {
      await other?.close();
    }
  });

  it("two senders draining one database deliver each message exactly once, each chat in order", async () => {
    const other = await secondInstance();
    try {
      const log: Call[] = [];
      const [one, two] = [new FakeTransport("telegram", clock, log), new FakeTransport("telegram", clock, log)];
      const chats = ["101", "102", "103", "-100", "-200"];
      const queued = new Map(chats.map((c) => [c, [1, 2, 3, 4, 5].map((i) => `${c}#${i}`)]));
      for (const i of [0, 1, 2, 3, 4]) await queue(...chats.map((c) => msg(tg(c), queued.get(c)![i]!)));
      const senders = [
        sender([one]),
        createOutboxSender({ outbox: other?.outbox ?? outbox, store: other?.store ?? store, transports: [two], render, clock, sleep, logger: quietLogger }),
      ];

      const result = await settle(senders);

      expect(result.sent).toBe(25);
      const delivered = log.filter((c) => c.result?.ok);
      expect(delivered).toHaveLength(25);
      for (const c of chats) expect(delivered.filter((x) => x.chatId === c).map((x) => x.text)).toEqual(queued.get(c));
      expect(one.calls.length + two.calls.length).toBe(25);
    } finally {
      await other?.close();
    }
  });

  it("posts a ticket's card once, then edits it; threads messages under it; posts again if it was deleted", async () => {
    const telegram = new FakeTransport("telegram", clock);
    const group = tg("-100111");
    const s = sender([telegram]);
    const card: NewOutboxMessage = { kind: "card", to: group, ticketId: ticket.id };

    await queue(card);
    await s.drainOnce();
    const first = await outbox.cardMessage(ticket.id, group);
    expect(telegram.calls.map(({ op, text }) => ({ op, text }))).toEqual([{ op: "send", text: `card ${ticket.id}` }]);
    expect(first).toBe((telegram.calls[0]!.result as { messageId: string }).messageId);

    await queue(card, msg(group, "claimed", ticket.id), msg(tg("201"), "notice", ticket.id));
    await s.drainOnce();
    // The owner's chat first: the group just had the card and waits out its one a second.
    expect(telegram.calls.slice(1).map(({ op, chatId, messageId, threadOf }) => ({ op, chatId, messageId, threadOf }))).toEqual([
      { op: "send", chatId: "201", messageId: undefined, threadOf: undefined }, // no card in the owner's chat
      { op: "edit", chatId: group.chatId, messageId: first, threadOf: undefined },
      { op: "send", chatId: group.chatId, messageId: undefined, threadOf: first },
    ]);

    telegram.shown.delete(first!); // someone deleted the card in the group
    await queue(card);
    await s.drainOnce();
    const second = await outbox.cardMessage(ticket.id, group);
    expect(second).not.toBe(first);
    expect(telegram.calls.slice(4).map(({ op, messageId }) => ({ op, messageId }))).toEqual([
      { op: "edit", messageId: first },
      { op: "send", messageId: undefined },
    ]);
    await queue(card);
    await s.drainOnce();
    expect(telegram.calls.at(-1)).toMatchObject({ op: "edit", messageId: second });
  });

  it("start() polls, kick() drains without waiting for the poll, stop() waits for the send in flight", async () => {
    const telegram = new FakeTransport("telegram", clock);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const inFlight = new Promise<void>((resolve) => (reached = resolve));
    telegram.program = async (call) => {
      if (call.text !== "slow") return undefined;
      reached();
      await held;
      return undefined;
    };
    const polls: number[] = [];
    // The poll never ends by itself: only a kick (or stop) wakes the loop.
    const s = sender([telegram], { sleep: (ms) => (polls.push(ms), new Promise<void>(() => {})) });
    s.start(500);
    await vi.waitFor(() => expect(polls).toEqual([500]));
    await queue(msg(tg("101"), "first"));
    s.kick();
    await vi.waitFor(() => expect(telegram.delivered()).toEqual(["first"]));

    clock.t += 1_040; // past the chat's one a second, measured 4 % long: no throttle sleep, which would never end here
    await queue(msg(tg("101"), "slow"));
    s.kick();
    await inFlight;
    const stopped = s.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    release();
    await stopped;
    expect(telegram.delivered()).toEqual(["first", "slow"]);
    expect(await outbox.due(FAR, 10)).toEqual([]);
  });
});

describe("the throttle", () => {
  const telegram = PLATFORM_LIMITS.telegram!;
  /** The platform's limits to the millisecond, without the safety margin, for exact arithmetic. */
  const exact = (limits = telegram) => new Throttle(limits, 0);

  it("lets one message a second into a private chat", () => {
    const t = exact();
    expect([0, 0, 0].map(() => t.reserve("101", "private", 0))).toEqual([0, 1_000, 2_000]);
    expect(t.reserve("101", "private", 2_500)).toBe(500);
    expect(t.reserve("102", "private", 2_500)).toBe(0); // another chat is not held up
  });

  it("lets one message a second into a group too", () => {
    const t = exact();
    expect([0, 0, 0].map(() => t.reserve("-100", "group", 0))).toEqual([0, 1_000, 2_000]);
    expect(t.reserve("-200", "group", 0)).toBe(0);
  });

  it("measures every window 4 % longer than the platform's, unless told otherwise", () => {
    const t = new Throttle(telegram);
    expect(SAFETY_MARGIN).toBe(0.04);
    expect([0, 0].map(() => t.reserve("101", "private", 0))).toEqual([0, 1_040]);
    for (let s = 1; s <= 20; s++) t.reserve("-100", "group", s * 2_000);
    expect(t.wait("-100", "group", 40_000)).toBe(2_000 + 62_400 - 40_000);
    expect(t.lookback("group")).toEqual({ globalMs: 1_040, chatMs: 62_400 });
    expect(t.lookback("private")).toEqual({ globalMs: 1_040, chatMs: 1_040 });
    expect(new Throttle({ ...telegram, margin: 0.1 }).lookback("group")).toEqual({ globalMs: 1_100, chatMs: 66_000 });
  });

  it("takes what the database booked in place of what it knew", () => {
    const t = exact();
    t.reserve("-100", "group", 0);
    t.load([], "-100", "group", []);
    expect(t.wait("-100", "group", 0)).toBe(0); // forgotten: the database knew of no call
    t.load([...Array(30).keys()].map((i) => i * 10), "-100", "group", [500]);
    expect(t.wait("-100", "group", 500)).toBe(1_000); // the bot's 30 leave the window at 1000 ms, the chat's one at 1500 ms
    expect(t.wait("-200", "group", 500)).toBe(500);
  });

  it("lets 20 messages a minute into a group, over any sliding minute", () => {
    const t = exact();
    for (let s = 0; s < 20; s++) expect(t.reserve("-100", "group", s * 1_000)).toBe(0);
    expect(t.wait("-100", "group", 19_500)).toBe(60_000 - 19_500);
    expect(t.reserve("-100", "group", 60_000)).toBe(0); // the message at 0 s has left the window
    expect(t.reserve("-100", "group", 60_000)).toBe(1_000); // the one at 1 s has not
  });

  it("lets 30 messages a second out across all chats", () => {
    const t = exact();
    for (let c = 0; c < 30; c++) expect(t.reserve(String(c), "private", 0)).toBe(0);
    expect(t.reserve("31", "private", 0)).toBe(1_000);
    expect(t.reserve("-31", "group", 400)).toBe(600);
  });

  it("fits a message before one reserved for later, when every window allows it", () => {
    const t = exact();
    t.reserve("101", "private", 0);
    expect(t.reserve("101", "private", 0)).toBe(1_000);
    expect(t.reserve("102", "private", 0)).toBe(0);
  });

  it("wait() looks without taking the slot", () => {
    const t = exact();
    expect(t.wait("101", "private", 0)).toBe(0);
    expect(t.wait("101", "private", 0)).toBe(0);
    expect(t.reserve("101", "private", 0)).toBe(0);
    expect(t.wait("101", "private", 0)).toBe(1_000);
  });

  it("holds a chat after its 429, and the whole platform after 429s from two chats in a row", () => {
    const t = exact();
    t.rateLimited("101", 5_000);
    expect(t.wait("101", "private", 0)).toBe(5_000);
    expect(t.wait("102", "private", 0)).toBe(0);
    t.succeeded();
    t.rateLimited("102", 3_000); // a success came between: still one chat's problem
    expect(t.wait("103", "private", 0)).toBe(0);
    t.rateLimited("103", 4_000);
    expect(t.wait("104", "private", 0)).toBe(4_000);
    expect(t.wait("101", "private", 0)).toBe(5_000);
  });

  it("never lets more than a limit into any window, however the asks come", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const t = exact();
    const chats = ["101", "102", "-100", "-200", "-300"];
    const slots = new Map<string, number[]>(chats.map((c) => [c, []]));
    let now = 0;
    for (let i = 0; i < 600; i++) {
      now += Math.floor(random() * 150);
      const chat = chats[Math.floor(random() * chats.length)]!;
      slots.get(chat)!.push(now + t.reserve(chat, chat.startsWith("-") ? "group" : "private", now));
    }
    const within = (times: number[], rates: readonly Rate[]) => rates.every((r) => times.every((a) => times.filter((s) => s >= a && s < a + r.perMs).length <= r.count));
    expect(within([...slots.values()].flat(), [telegram.global])).toBe(true);
    for (const [chat, times] of slots) expect(within(times, chat.startsWith("-") ? telegram.group : telegram.private)).toBe(true);
  });

  it("with its margin, keeps every closed window of the platform's length within the limit", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const t = new Throttle(telegram);
    const calls: CountedCall[] = [];
    let now = 0;
    for (let i = 0; i < 900; i++) {
      now += Math.floor(random() * 40);
      const chatId = random() < 0.5 ? `-${1 + Math.floor(random() * 3)}` : String(1 + Math.floor(random() * 40));
      calls.push({ chatId, text: "", at: now + t.reserve(chatId, isGroup(chatId) ? "group" : "private", now) });
    }
    expect(overLimits(calls)).toEqual({ "bot 30/s": 0, "chat 1/s": 0, "group 20/min": 0 });
  });

  it("does not limit a platform without limits", () => {
    const t = new Throttle(NO_LIMITS);
    for (let i = 0; i < 100; i++) expect(t.reserve("1", "private", 0)).toBe(0);
  });
});
