/**
 * The store's side of the durable fast path (ReplyOutbox over Prisma) and the desk's settling,
 * on SQLite and PostgreSQL: the conversation and its replies are written together or not at all,
 * held replies wait for the adapter, and settling marks or releases exactly the rows it names.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverDirectly, OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import type { HeldReplies, ReplyOutbox } from "../../../src/core/conversation/store.js";
import type { OutboxRecord } from "../../../src/core/outbox.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import { t, type MessageKey } from "../../../src/core/text.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { createReplyOutbox } from "../../../src/infra/prisma/conversations.js";
import { fileSentJournal } from "../../../src/infra/sent-journal.js";
import { sequentialIds, TestClock } from "../../support/chat.js";
import { backends, type TestStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";

const T0 = new Date("2026-11-23T02:00:00Z");
const journalDir = mkdtempSync(join(tmpdir(), "guanjia-journal-"));
afterAll(() => rmSync(journalDir, { recursive: true, force: true }));
const FAR = new Date("3000-01-01T00:00:00Z");
const TO = { platform: "telegram", chatId: "1001" } as const;
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const held = (holdUntil: Date, ...keys: MessageKey[]): HeldReplies => ({ to: TO, holdUntil, bodies: keys.map((key) => ({ locale: "zh-CN", text: [t(key)] })) });
const keysOf = (records: readonly OutboxRecord[]) => records.map((r) => (r.message.kind === "message" ? r.message.body.text[0]!.key : r.message.kind));

describe.each(backends())("owner replies queued with the conversation on $name", (backend) => {
  let db: TestStore;
  let replies: ReplyOutbox;
  let owner: PersonRecord;

  beforeEach(async () => {
    db = await backend.open();
    replies = db.use(createReplyOutbox);
    owner = await db.store.person({ platform: "telegram", platformUserId: "1001", locale: "zh-CN" });
  });
  afterEach(() => db.close());

  /** Every pending row, due or not, in the sender's order. */
  const pending = () => db.outbox.due(FAR, 100);

  it("writes the conversation and its replies together, held until the hold ends, and nothing on a conflict", async () => {
    const first = await replies.saveConversation("k", owner.id, { step: "a" }, 0, T0, held(at(20), "ask.room", "ask.name"));
    expect(first).toMatchObject({ ok: true, revision: 1, held: true });
    expect(first.ok && first.ids).toHaveLength(2);
    expect(await db.store.loadConversation("k")).toEqual({ state: { step: "a" }, revision: 1 });
    expect(keysOf(await pending())).toEqual(["ask.room", "ask.name"]);
    expect((await pending()).map((r) => r.nextAttemptAt)).toEqual([at(20), at(20)]);
    // Held: no chat head is due before the hold ends.
    expect(await db.outbox.heads(at(19), 10)).toEqual([]);
    expect(keysOf(await db.outbox.heads(at(20), 10))).toEqual(["ask.room"]);

    // Lost races, a first save's and a later one's: neither the state nor any reply is stored.
    expect(await replies.saveConversation("k", owner.id, { step: "b" }, 0, at(1), held(at(21), "ask.phone"))).toEqual({ ok: false, code: "conflict" });
    expect(await replies.saveConversation("k", owner.id, { step: "b" }, 7, at(1), held(at(21), "ask.phone"))).toEqual({ ok: false, code: "conflict" });
    expect(await db.store.loadConversation("k")).toEqual({ state: { step: "a" }, revision: 1 });
    expect(keysOf(await pending())).toEqual(["ask.room", "ask.name"]);
  });

  it("queues replies due at once, not held, behind messages still pending to the chat", async () => {
    const first = await replies.saveConversation("k", owner.id, { step: "a" }, 0, T0, held(at(20), "ask.room"));
    const second = await replies.saveConversation("k", owner.id, { step: "b" }, 1, at(1), held(at(21), "ask.name"));
    expect(second).toMatchObject({ ok: true, revision: 2, held: false });
    expect((await pending()).map((r) => [keysOf([r])[0], r.nextAttemptAt])).toEqual([
      ["ask.name", at(1)],
      ["ask.room", at(20)],
    ]);
    // Due, but behind the held reply: the chat's head is still the first.
    expect(await db.outbox.heads(at(2), 10)).toEqual([]);
    expect(first.ok && keysOf(await db.outbox.heads(at(20), 10))).toEqual(["ask.room"]);

    // Another chat is not held back by this one.
    const other = await replies.saveConversation("k2", owner.id, {}, 0, at(2), { ...held(at(22), "ask.phone"), to: { platform: "telegram", chatId: "2002" } });
    expect(other).toMatchObject({ ok: true, held: true });
  });

  it("marks delivered replies sent and releases the others, only while still under their hold", async () => {
    const saved = await replies.saveConversation("k", owner.id, {}, 0, T0, held(at(20), "ask.room", "ask.name", "ask.phone"));
    if (!saved.ok) throw new Error("not saved");
    const [room, name, phone] = saved.ids as [string, string, string];
    await replies.markDelivered([room], at(1));
    await replies.release([name], at(20), at(1));
    // A hold that is not this row's (say the sender leased it meanwhile) leaves it alone.
    await replies.release([phone], at(99), at(1));
    expect((await pending()).map((r) => [keysOf([r])[0], r.nextAttemptAt])).toEqual([
      ["ask.name", at(1)],
      ["ask.phone", at(20)],
    ]);
    expect(keysOf(await db.outbox.heads(at(1), 10))).toEqual(["ask.name"]);
    // Once sent, a row is never made pending again by a late release.
    await replies.release([room], at(20), at(2));
    expect(keysOf(await pending())).toEqual(["ask.name", "ask.phone"]);
  });

  it("marks the update a turn answers in the save's transaction: a redelivery writes nothing, a lost race leaves no mark", async () => {
    const update = (u: string, holdUntil: Date, ...keys: MessageKey[]): HeldReplies => ({ ...held(holdUntil, ...keys), update: u });
    // A lost race: nothing written, the update left unmarked for the turn run again.
    expect(await replies.saveConversation("k", owner.id, { step: "x" }, 5, T0, update("41", at(20), "ask.room"))).toEqual({ ok: false, code: "conflict" });
    expect(await db.store.processed("telegram", "41")).toBe(false);

    expect(await replies.saveConversation("k", owner.id, { step: "a" }, 0, T0, update("41", at(20), "ask.room"))).toMatchObject({ ok: true, revision: 1 });
    expect(await db.store.processed("telegram", "41")).toBe(true);
    expect(await db.store.processed("slack", "41")).toBe(false);
    // Delivered again (Telegram, after a crash before confirming it): the turn is dropped whole.
    expect(await replies.saveConversation("k", owner.id, { step: "b" }, 1, at(1), update("41", at(21), "ask.name"))).toEqual({ ok: false, code: "processed" });
    expect(await db.store.loadConversation("k")).toEqual({ state: { step: "a" }, revision: 1 });
    expect(keysOf(await pending())).toEqual(["ask.room"]);
    // A turn with nothing to say still marks its update.
    expect(await replies.saveConversation("k", owner.id, { step: "c" }, 1, at(2), update("42", at(22)))).toMatchObject({ ok: true, ids: [] });
    expect(await db.store.processed("telegram", "42")).toBe(true);
  });

  it("releases at start-up only the replies a gone process held, not what the sender postponed or leased", async () => {
    const orphan = await replies.saveConversation("k", owner.id, {}, 0, T0, held(at(20), "ask.room"));
    const later = await replies.saveConversation("k2", owner.id, {}, 0, at(1), { ...held(at(21), "ask.name"), to: { platform: "telegram", chatId: "2002" } });
    const leased = await replies.saveConversation("k3", owner.id, {}, 0, T0, { ...held(at(20), "ask.phone"), to: { platform: "telegram", chatId: "3003" } });
    const postponed = await replies.saveConversation("k4", owner.id, {}, 0, T0, { ...held(at(20), "ask.since"), to: { platform: "telegram", chatId: "4004" } });
    if (!orphan.ok || !later.ok || !leased.ok || !postponed.ok) throw new Error("not saved");
    // The sender took one when its hold ended (a 60 s lease) and was told to wait 5 s by a 429 for another.
    expect(await db.outbox.lease(leased.ids[0]!, at(20), at(80))).toBe(true);
    await db.outbox.postpone(postponed.ids[0]!, at(25), "429");
    // Restarted at T0 + 1 s: the replies made before then and still held are due now.
    expect(await replies.releaseOrphans(at(1), 20_000)).toBe(1);
    expect((await pending()).map((r) => [keysOf([r])[0], r.nextAttemptAt])).toEqual([
      ["ask.room", at(1)],
      ["ask.name", at(21)],
      ["ask.since", at(25)],
      ["ask.phone", at(80)],
    ]);
  });

  describe("through the owner desk", () => {
    let clock: TestClock;
    let desk: OwnerDesk;
    let errors: unknown[];

    beforeEach(async () => {
      await db.store.createProperty(DEMO_PROPERTY);
      clock = new TestClock(T0);
      errors = [];
      desk = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies, replyHoldMs: 20_000 });
    });
    afterEach(() => expect(errors).toEqual([]));

    const send = (body: Parameters<OwnerDesk["handle"]>[0]["body"], route = true) => {
      clock.advance(1000);
      return desk.handle({ channel: "telegram", conversationKey: "telegram:1001:1001", sender: { platformUserId: "1001" }, body }, route ? { to: TO } : undefined);
    };

    it("leaves to the sender only the replies the adapter did not deliver", async () => {
      for (const body of [{ type: "text", text: "保安态度太差了,我要投诉" }, { type: "choice", value: "1" }] as const) {
        const outcome = await send(body);
        await outcome.delivery!.settle(outcome.replies.length);
      }
      await desk.settled();
      expect(await pending()).toEqual([]);
      const voice = await send({ type: "unsupported", media: "voice" });
      expect(voice.replies.length).toBe(2);
      expect(voice.delivery).toMatchObject({ direct: true });
      expect(voice.delivery!.inTime()).toBe(true);
      await voice.delivery!.settle(1);
      // Settling twice changes nothing.
      await voice.delivery!.settle(0);
      await desk.settled();
      const left = await pending();
      expect(left).toHaveLength(1);
      expect(left[0]!.nextAttemptAt).toEqual(clock.now());
      expect(left[0]!.message).toMatchObject({ kind: "message", to: TO, body: { locale: "zh-CN", text: voice.replies[1]!.text } });
    });

    it("marks each message sent before the next is sent, so a crash during the next repeats nothing (issue 10, item 2)", async () => {
      const voice = await send({ type: "unsupported", media: "voice" });
      expect(voice.replies.length).toBe(2);
      const pendingAtEachSend: number[] = [];
      const messages = voice.replies.map((_, i) => ({ through: i + 1 }));
      await deliverDirectly(voice, messages, async () => void pendingAtEachSend.push((await pending()).length));
      // At the second send, a process killed then would resend only the second: the first is marked.
      expect(pendingAtEachSend).toEqual([2, 1]);
      await desk.settled();
      expect(await pending()).toEqual([]);
    });

    it("never sends again, after a crash, a reply the platform accepted before its mark was written (issue 10, item 2)", async () => {
      const journal = fileSentJournal(join(journalDir, `${backend.name}.sent`));
      // The mark's UPDATE never completes: the process is killed while it waits.
      const stuck: ReplyOutbox = { ...replies, markDelivered: () => new Promise(() => undefined) };
      desk = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies: stuck, replyHoldMs: 20_000, journal });
      const outcome = await send({ type: "text", text: "保安态度太差了,我要投诉" });
      const sent: unknown[] = [];
      void deliverDirectly(outcome, outcome.replies.map((_, i) => ({ through: i + 1 })), async (m) => void sent.push(m));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sent).toHaveLength(1);
      expect(await pending()).toHaveLength(1); // still held in the database

      // The next process: the journal says it was sent, so it is marked, not handed to the sender.
      const next = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies, journal: fileSentJournal(join(journalDir, `${backend.name}.sent`)) });
      await next.releaseOrphans();
      expect(await pending()).toEqual([]);
      journal.close();
    });

    it("counts a reply delivered when the process died with its request written and unanswered; one Telegram refused goes again", async () => {
      const path = join(journalDir, `${backend.name}-flight.sent`);
      const journal = fileSentJournal(path);
      desk = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies, replyHoldMs: 20_000, journal });
      const voice = await send({ type: "unsupported", media: "voice" });
      expect(voice.replies.length).toBe(2);
      // The first reply's send is written and answered; the second's is written and the process
      // dies before the answer: the send never settles.
      const watched: string[] = [];
      void deliverDirectly(voice, voice.replies.map((_, i) => ({ through: i + 1 })), (m, watch) => {
        watch.writing();
        watched.push(`${m.through}`);
        return m.through === 1 ? Promise.resolve() : new Promise(() => undefined);
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(watched).toEqual(["1", "2"]);
      expect(await pending()).toHaveLength(1);

      const next = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies, journal: fileSentJournal(path) });
      await next.releaseOrphans();
      expect(await pending()).toEqual([]);

      // A refused send: written, then failed. After a kill it is the sender's to send, at once.
      desk = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies, replyHoldMs: 20_000, journal });
      const again = await send({ type: "unsupported", media: "voice" });
      void deliverDirectly(again, again.replies.map((_, i) => ({ through: i + 1 })), (_m, watch) => {
        watch.writing();
        watch.failed();
        return new Promise(() => undefined); // killed before the refusal reached the desk
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      clock.advance(2_000); // the restart
      const after = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies, journal: fileSentJournal(path) });
      expect(await after.releaseOrphans()).toBe(2);
      expect((await pending()).map((r) => r.nextAttemptAt)).toEqual([clock.now(), clock.now()]);
      await db.outbox.markSent((await pending())[0]!.id, clock.now());
      await db.outbox.markSent((await pending())[0]!.id, clock.now());

      // Where another live instance may share the journal, a send in flight is not counted
      // delivered (it may yet fail): the reply goes again rather than risk never going.
      desk = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies, replyHoldMs: 20_000, journal });
      const third = await send({ type: "unsupported", media: "voice" });
      void deliverDirectly(third, third.replies.map((_, i) => ({ through: i + 1 })), (_m, watch) => (watch.writing(), new Promise(() => undefined)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      clock.advance(2_000);
      const shared = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies, journal: fileSentJournal(path) });
      expect(await shared.releaseOrphans(false)).toBe(2);
      journal.close();
    });

    it("marks in one UPDATE the replies of every turn settled while another mark was being written, and settles once marked", async () => {
      const marks: number[] = [];
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const gated: ReplyOutbox = { ...replies, markDelivered: async (ids, at) => (marks.push(ids.length), marks.length === 1 && (await gate), replies.markDelivered(ids, at)) };
      desk = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies: gated });
      const outcomes = [];
      for (const user of ["1001", "1002", "1003"]) {
        const inbound = { channel: "telegram", conversationKey: `telegram:${user}:${user}`, sender: { platformUserId: user }, body: { type: "text", text: "保安态度太差了,我要投诉" } } as const;
        outcomes.push(await desk.handle(inbound, { to: { platform: "telegram", chatId: user } }));
      }
      let settled = 0;
      const settling = outcomes.map((o) => o.delivery!.settle(o.replies.length).then(() => void settled++));
      // A turn's settle is over only once its mark is written (issue 10, item 2): until then a
      // crash would leave the replies to be sent a second time.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled).toBe(0);
      open();
      await Promise.all(settling);
      expect(settled).toBe(3);
      const [a, b, c] = outcomes.map((o) => o.replies.length) as [number, number, number];
      expect(marks).toEqual([a, b + c]);
      expect(await pending()).toEqual([]);
    });

    it("with a journal, gathered marks ride in the next turn's save: no commit of their own, and the owner's next answer still goes direct", async () => {
      const journal = fileSentJournal(join(journalDir, `${backend.name}-gather.sent`));
      const writes: number[] = [];
      const counted: ReplyOutbox = { ...replies, markDelivered: async (ids, at) => (writes.push(ids.length), replies.markDelivered(ids, at)) };
      // The gathering timer fires only when the test says.
      let fire!: () => void;
      const sleep = () => new Promise<void>((resolve) => (fire = resolve));
      desk = new OwnerDesk({ store: db.store, clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void errors.push(e)), replies: counted, journal, gatherMarks: { ms: 200, sleep } });
      const first = await send({ type: "text", text: "保安态度太差了,我要投诉" });
      await deliverDirectly(first, first.replies.map((_, i) => ({ through: i + 1 })), async () => undefined);
      expect(await pending()).toHaveLength(first.replies.length); // delivered, the mark still gathering
      expect(journal.noted()).toHaveLength(first.replies.length);

      const second = await send({ type: "choice", value: "1" });
      // Without the carried marks the first turn's replies would still be pending ahead of these.
      expect(second.delivery).toMatchObject({ direct: true });
      expect(await pending()).toHaveLength(second.replies.length);
      await deliverDirectly(second, second.replies.map((_, i) => ({ through: i + 1 })), async () => undefined);
      fire();
      await desk.settled();
      expect(await pending()).toEqual([]);
      expect(writes).toEqual([second.replies.length]); // only the last turn's, when nothing came to carry them
      expect(journal.noted()).toEqual([]);
      journal.close();
    });

    it("says when a direct send would come too close to the hold's end, and queues nothing without a route", async () => {
      const outcome = await send({ type: "text", text: "保安态度太差了,我要投诉" });
      clock.advance(14_999);
      expect(outcome.delivery!.inTime()).toBe(true);
      clock.advance(1);
      expect(outcome.delivery!.inTime()).toBe(false);
      await outcome.delivery!.settle(0);
      expect(await pending()).toHaveLength(1);

      const console = await send({ type: "choice", value: "1" }, false);
      expect(console.delivery).toBeUndefined();
      expect(await pending()).toHaveLength(1);
    });
  });
});
