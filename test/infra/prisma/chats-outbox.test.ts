import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewOutboxMessage } from "../../../src/core/outbox.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { backends, type TestStore } from "../../support/db.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

const T0 = new Date("2026-11-23T02:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

describe.each(backends())("chats, invites and the outbox on $name", (backend) => {
  let opened: TestStore;
  let store: Stores;
  let property: PropertyRecord;
  let owner: PersonRecord;
  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
    property = await store.createProperty({ code: "HG", name: "虹港家园", zones: [{ code: "A", name: "A区" }] });
    owner = await store.person({ platform: "telegram", platformUserId: "o1", locale: "zh-CN" });
  });
  afterEach(async () => {
    await opened.close();
  });

  it("invite codes are one-time, expiring, of one kind, and readable", async () => {
    const join = await store.createInvite({ propertyId: property.id, grant: { kind: "join", role: "supervisor", zoneId: null }, expiresAt: later(3600_000), createdAt: T0 });
    expect(join.code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(await store.redeemInvite(join.code, "bind", owner.id, T0)).toEqual({ ok: false, code: "invite_wrong_kind" });
    const used = await store.redeemInvite(join.code.toLowerCase(), "join", owner.id, later(1000));
    expect(used).toMatchObject({ ok: true, invite: { grant: { kind: "join", role: "supervisor" } } });
    expect(await store.redeemInvite(join.code, "join", owner.id, later(2000))).toEqual({ ok: false, code: "invite_used" });
    const old = await store.createInvite({ propertyId: property.id, grant: { kind: "bind", purpose: "staff", department: null }, expiresAt: later(1000), createdAt: T0 });
    expect(await store.redeemInvite(old.code, "bind", owner.id, later(1000))).toEqual({ ok: false, code: "invite_expired" });
    expect(await store.redeemInvite("NOPE2345", "join", owner.id, T0)).toEqual({ ok: false, code: "invite_unknown" });
  });

  it("two people racing for one code: one gets it", async () => {
    const code = (await store.createInvite({ propertyId: property.id, grant: { kind: "join", role: "front_desk", zoneId: null }, expiresAt: later(3600_000), createdAt: T0 })).code;
    const other = await store.person({ platform: "telegram", platformUserId: "o2", locale: "zh-CN" });
    const results = await Promise.all([owner, other].map((p) => store.redeemInvite(code, "join", p.id, T0)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("binds chats, lists them by purpose, deactivates a chat the bot left", async () => {
    const staff = { platform: "telegram" as const, chatId: "-100111" };
    await store.bindChat({ ...staff, propertyId: property.id, purpose: "staff", department: null }, T0);
    await store.bindChat({ platform: "telegram", chatId: "-100222", propertyId: property.id, purpose: "department", department: "工程部" }, T0);
    expect(await store.propertyChats(property.id, "staff")).toEqual([{ ...staff, propertyId: property.id, purpose: "staff", department: null, active: true, zoneId: null }]);
    await store.deactivateChat(staff);
    expect(await store.propertyChats(property.id, "staff")).toEqual([]);
    expect((await store.chatBinding(staff))!.active).toBe(false);
    await store.bindChat({ ...staff, propertyId: property.id, purpose: "director", department: null }, later(1));
    expect(await store.chatBinding(staff)).toMatchObject({ purpose: "director", active: true });
  });

  it("a bind code for one zone binds the group to that zone; bound again without one, it is the whole property's", async () => {
    const zone = property.zones[0]!;
    const code = (await store.createInvite({ propertyId: property.id, grant: { kind: "bind", purpose: "staff", department: null, zoneId: zone.id }, expiresAt: later(3600_000), createdAt: T0 })).code;
    expect(await store.findInvite(code)).toMatchObject({ grant: { kind: "bind", purpose: "staff", zoneId: zone.id } });
    const join = await store.createInvite({ propertyId: property.id, grant: { kind: "bind", purpose: "staff", department: null }, expiresAt: later(3600_000), createdAt: T0 });
    expect((await store.findInvite(join.code))!.grant).toMatchObject({ zoneId: null });
    const group = { platform: "telegram" as const, chatId: "-100333" };
    await store.bindChat({ ...group, propertyId: property.id, purpose: "staff", department: null, zoneId: zone.id }, T0);
    expect(await store.propertyChats(property.id, "staff")).toMatchObject([{ ...group, zoneId: zone.id }]);
    await store.bindChat({ ...group, propertyId: property.id, purpose: "staff", department: null }, later(1));
    expect(await store.chatBinding(group)).toMatchObject({ zoneId: null, active: true });
  });

  it("remembers processed updates", async () => {
    expect(await store.processed("telegram", "1001")).toBe(false);
    await store.markProcessed("telegram", "1001", T0);
    await store.markProcessed("telegram", "1001", later(5));
    expect(await store.processed("telegram", "1001")).toBe(true);
    expect(await store.processed("slack", "1001")).toBe(false);
  });

  it("ends at a start the leases a killed sender held on untried messages, and nothing else's wait", async () => {
    const to = (chatId: string) => ({ platform: "telegram" as const, chatId });
    const body = { locale: "zh-CN" as const, text: [{ key: "notice.claimed" as const, params: { number: "HG-0001", name: "小王" } }] };
    await opened.outbox.enqueue([{ kind: "message", to: to("1"), body }, { kind: "message", to: to("2"), body }, { kind: "message", to: to("3"), body }], T0);
    const [leased, postponed, retried] = await opened.outbox.due(T0, 10);
    expect(await opened.outbox.lease(leased!.id, leased!.nextAttemptAt, later(60_000))).toBe(true);
    await opened.outbox.postpone(postponed!.id, later(30_000), "throttled: the platform's limit for this chat is spent");
    await opened.outbox.markRetry(retried!.id, later(8_000), "502 Bad Gateway");
    expect(await opened.outbox.releaseLeases(later(1_000), 60_000)).toBe(1);
    expect((await opened.outbox.due(later(1_000), 10)).map((r) => r.id)).toEqual([leased!.id]);
  });

  it("writes outbox messages in the same transaction as a filing and a transition", async () => {
    const staffChat = { platform: "telegram" as const, chatId: "-100111" };
    const { ticket } = await store.fileTicket({
      intakeId: "i1", propertyId: property.id, zoneId: null, roomId: null, kind: "repair", category: "engineering", weight: "general",
      majorReasons: [], ownerId: owner.id, roomLabel: "3-1201", contactName: null, contactPhone: null, location: "home", place: null,
      description: "漏水", since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: T0,
      nextReplyDueAt: null, confirmation: {}, outbox: (t) => [{ kind: "card", to: staffChat, ticketId: t.id }],
    });
    const notice: NewOutboxMessage = { kind: "message", to: { platform: "telegram", chatId: "o1" }, body: { locale: "zh-CN", text: [{ key: "notice.claimed", params: { number: ticket.number, name: "小王" } }] } };
    const staffEvent = { at: later(60_000), type: "transition" as const, actorKind: "staff" as const, actorId: null, channel: "telegram" as const, fromStatus: null, toStatus: null, data: {} };
    await store.applyTransition(ticket.id, "new", "claimed", staffEvent, {}, () => [notice]);
    // A move that loses the compare-and-set writes nothing to the outbox.
    await store.applyTransition(ticket.id, "new", "claimed", staffEvent, {}, () => [notice]);

    const due = await opened.outbox.due(later(60_000), 10);
    expect(due.map((d) => d.message)).toEqual([{ kind: "card", to: staffChat, ticketId: ticket.id }, notice]);
    expect(await opened.outbox.due(T0, 10)).toHaveLength(1); // the notice is not due before it was made

    await opened.outbox.markSent(due[0]!.id, later(61_000));
    await opened.outbox.markRetry(due[1]!.id, later(120_000), "429 retry after 59");
    expect(await opened.outbox.due(later(90_000), 10)).toEqual([]);
    const retried = await opened.outbox.due(later(120_000), 10);
    expect(retried).toMatchObject([{ id: due[1]!.id, attempts: 1 }]);
    await opened.outbox.markDead(retried[0]!.id, "chat not found");
    expect(await opened.outbox.due(later(999_000), 10)).toEqual([]);

    expect(await opened.outbox.cardMessage(ticket.id, staffChat)).toBeNull();
    await opened.outbox.saveCardMessage(ticket.id, staffChat, "42", later(61_000));
    await opened.outbox.saveCardMessage(ticket.id, staffChat, "43", later(62_000));
    expect(await opened.outbox.cardMessage(ticket.id, staffChat)).toBe("43");
  });
});

describe.each(backends())("the outbox sender's statements on $name", (backend) => {
  it("polls and sends past Prisma's query engine: heads, lease, markSent and the card's message id as hot statements", async () => {
    const opened = await backend.open();
    try {
      const ctx = await opened.use((c) => ({ ctx: async () => c })).ctx();
      const row = (id: string, chatId: string, bulk: boolean, at: Date) => ({
        id, platform: "telegram", chatId, kind: "message", payload: JSON.stringify({ locale: "zh-CN", text: [] }), nextAttemptAt: at, createdAt: at, bulk,
      });
      // A broadcast's message made first, a ticket's notice after it, in another chat.
      await ctx.db.outboxMessage.create({ data: row("m1", "-100broadcast", true, T0) });
      await ctx.db.outboxMessage.create({ data: row("m2", "o1", false, later(1000)) });
      await ctx.db.outboxMessage.create({ data: row("m3", "o1", false, later(2000)) });
      const client = ctx.db as unknown as Record<string, unknown>;
      const models = ["outboxMessage", "ticketCard", "$queryRawUnsafe", "$executeRawUnsafe", "$queryRaw", "$executeRaw", "$transaction"];
      const saved = models.map((name) => [name, client[name]] as const);
      for (const name of models) client[name] = new Proxy(() => {}, { get: () => client[name], apply: () => Promise.reject(new Error(`the sender went through Prisma's ${name}`)) });
      try {
        const heads = await opened.outbox.heads(later(5000), 10);
        // Ticket traffic first, each chat's first message only; dates read back as dates.
        expect(heads.map((h) => [h.id, h.createdAt.getTime()])).toEqual([["m2", later(1000).getTime()], ["m1", T0.getTime()]]);
        expect(await opened.outbox.heads(later(500), 10)).toMatchObject([{ id: "m1" }]);
        // Due at the very moment counts; a moment before, nothing is.
        expect(await opened.outbox.heads(T0, 10)).toMatchObject([{ id: "m1" }]);
        expect(await opened.outbox.heads(new Date(T0.getTime() - 1), 10)).toEqual([]);
        expect(await opened.outbox.lease("m2", heads[0]!.nextAttemptAt, later(65_000))).toBe(true);
        expect(await opened.outbox.lease("m2", heads[0]!.nextAttemptAt, later(65_000))).toBe(false);
        await opened.outbox.markSent("m2", later(6000));
        await expect(opened.outbox.markSent("gone", later(6000))).rejects.toThrow("no message gone");
        expect((await opened.outbox.heads(later(5000), 10)).map((h) => h.id)).toEqual(["m3", "m1"]);
        const group = { platform: "telegram" as const, chatId: "-100111" };
        expect(await opened.outbox.cardMessage("t1", group)).toBeNull();
        await opened.outbox.saveCardMessage("t1", group, "42", later(7000));
        await opened.outbox.saveCardMessage("t1", group, "43", later(8000));
        expect(await opened.outbox.cardMessage("t1", group)).toBe("43");
      } finally {
        for (const [name, value] of saved) client[name] = value;
      }
      const sent = await ctx.db.outboxMessage.findUnique({ where: { id: "m2" } });
      expect(sent).toMatchObject({ status: "sent", attempts: 1, sentAt: later(6000), nextAttemptAt: later(65_000) });
    } finally {
      await opened.close();
    }
  });
});

describe.each(backends())("outbox order within a chat on $name", (backend) => {
  it("keeps the write order of separate transactions in the same millisecond", async () => {
    const opened = await backend.open();
    try {
      const { store, outbox } = opened;
      const property = await store.createProperty({ code: "HG", name: "虹港家园" });
      const owner = await store.person({ platform: "telegram", platformUserId: "o1", locale: "zh-CN" });
      const { ticket } = await store.fileTicket({
        intakeId: "i1", propertyId: property.id, zoneId: null, roomId: null, kind: "repair", category: "engineering", weight: "general",
        majorReasons: [], ownerId: owner.id, roomLabel: null, contactName: null, contactPhone: null, location: null, place: null,
        description: "漏水", since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: T0,
        nextReplyDueAt: null, confirmation: {},
      });
      const to = { platform: "telegram" as const, chatId: "o1" };
      const at = later(1000); // every write at the same instant, as under a frozen clock
      for (let i = 1; i <= 12; i++) {
        await store.appendEvent(ticket.id, { at, type: "reply", actorKind: "staff", actorId: null, channel: "telegram", fromStatus: null, toStatus: null, data: { i } }, undefined, [
          { kind: "message", to, body: { locale: "zh-CN", text: [{ key: "common.raw", params: { value: String(i) } }] } },
        ]);
      }
      const order = (await outbox.due(at, 50)).map((r) => (r.message.kind === "message" ? r.message.body.text[0]!.params!.value : null));
      expect(order).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
    } finally {
      await opened.close();
    }
  });
});
