/**
 * Filing on PostgreSQL as one statement (src/infra/prisma/pg-filing.ts): taken whenever it can
 * be, it writes exactly the rows the transaction writes, numbers as formatTicketNumber does, and
 * leaves every case it cannot tell apart (a second filing, a missing property, messages that use
 * the number in a way a placeholder cannot stand for) to the transaction. Needs TEST_DATABASE_URL.
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import type { NewOutboxMessage } from "../../../src/core/outbox.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { formatTicketNumber } from "../../../src/core/ticket/number.js";
import type { NewTicket, TicketRecord } from "../../../src/core/ticket/store.js";
import type { Ctx } from "../../../src/infra/prisma/db.js";
import { ticketStore } from "../../../src/infra/prisma/tickets.js";
import { freshPgStore, type TestStore } from "../../support/db.js";

const url = inject("testDatabaseUrl");
const T0 = new Date("2026-11-23T02:00:00.123Z");

describe.skipIf(!url)("filing on PostgreSQL in one statement", () => {
  let opened: TestStore | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function world() {
    opened = await freshPgStore();
    const ctx = await opened.use((c) => ({ ctx: async () => c })).ctx();
    const property = await opened.store.createProperty({ code: "hg", name: "虹港家园", zones: [{ code: "A", name: "A区" }], rooms: [{ label: "A-5-301", zoneCode: "A" }] });
    const owner = (id: string) => opened!.store.person({ platform: "telegram", platformUserId: id, displayName: `Owner ${id}`, locale: "zh-CN" });
    return { ctx, property, owner };
  }

  /** The ticket store over `ctx`, recording whether each filing went as one statement or a transaction. */
  function counted(ctx: Ctx, opts: { postgres: boolean }) {
    const calls: string[] = [];
    const sql = {
      all: (q: string, p: readonly unknown[]) => (calls.push("statement"), ctx.sql.all(q, p)),
      run: (q: string, p: readonly unknown[]) => (calls.push("statement"), ctx.sql.run(q, p)),
      transaction: <T>(fn: Parameters<Ctx["sql"]["transaction"]>[0]) => (calls.push("transaction"), ctx.sql.transaction(fn) as Promise<T>),
      ...(opts.postgres ? { postgres: true as const } : {}),
    };
    return { tickets: ticketStore({ ...ctx, sql }), calls };
  }

  /** Messages that carry the number as it is: the staff card, and the owners' group told it. */
  const outbox = (ticket: TicketRecord): NewOutboxMessage[] => [
    { kind: "card", to: { platform: "telegram", chatId: "staff" }, ticketId: ticket.id },
    { kind: "message", to: { platform: "telegram", chatId: "group" }, body: { locale: "zh-CN", text: [{ key: "group.filed", params: { name: "王*", number: ticket.number } }] } },
  ];

  function intake(property: PropertyRecord, person: PersonRecord, over: Partial<NewTicket> = {}): NewTicket {
    return {
      intakeId: `intake-${person.id}`,
      propertyId: property.id,
      zoneId: property.zones[0]!.id,
      roomId: null,
      kind: "repair",
      category: "engineering",
      weight: "major",
      majorReasons: ["flooding"],
      ownerId: person.id,
      roomLabel: "A-5-301",
      contactName: "王先生",
      contactPhone: "13800000000",
      location: "home",
      place: null,
      description: "厨房水管漏水",
      since: "昨天",
      visitTime: "明天上午",
      photos: ["f1", "f2"],
      channel: "telegram",
      locale: "zh-CN",
      createdAt: T0,
      nextReplyDueAt: new Date("2026-11-23T02:30:00.000Z"),
      confirmation: { description: "厨房水管漏水", room: "A-5-301" },
      outbox,
      vip: { note: "业委会主任" },
      summary: "Kitchen pipe leaking",
      ...over,
    };
  }

  /** Every row a filing wrote, read through Prisma's model API, its own ids and number made alike. */
  async function rowsOf(ctx: Ctx, ticket: TicketRecord) {
    const where = { ticketId: ticket.id };
    const found = {
      ticket: (await ctx.db.ticket.findMany({ where: { id: ticket.id } })).map((t) => ({ ...t, seq: "-" })),
      attachments: await ctx.db.ticketAttachment.findMany({ where, orderBy: { fileRef: "asc" } }),
      events: await ctx.db.ticketEvent.findMany({ where, orderBy: { seq: "asc" } }),
      room: await ctx.db.ownerRoom.findMany({ where: { personId: ticket.ownerId } }),
      person: await ctx.db.person.findMany({ where: { id: ticket.ownerId }, select: { name: true, phone: true } }),
      outbox: await ctx.db.outboxMessage.findMany({ where: { OR: [{ ticketId: ticket.id }, { chatId: "group", payload: { contains: ticket.number } }] }, orderBy: { id: "asc" } }),
    };
    const alike = ["id", "ticketId", "personId", "ownerId", "intakeId", "actorId", "addedById", "platformUserId", "displayName", "updatedAt", "number"];
    return JSON.parse(JSON.stringify(found, (k, v) => (alike.includes(k) ? "-" : v)).replaceAll(ticket.number, "#"));
  }

  it("is taken, and writes exactly what the transaction writes", async () => {
    const { ctx, property, owner } = await world();
    const one = counted(ctx, { postgres: true });
    const first = await one.tickets.fileTicket(intake(property, await owner("u1")));
    expect(one.calls).toEqual(["statement"]);
    expect(first).toMatchObject({ created: true, ticket: { number: "HG-0001", photoCount: 2, vip: true } });

    const reference = counted(ctx, { postgres: false });
    const second = await reference.tickets.fileTicket(intake(property, await owner("u2")));
    expect(reference.calls).toEqual(["transaction"]);
    expect(second.ticket.number).toBe("HG-0002");

    const rows = await rowsOf(ctx, first.ticket);
    expect(rows).toEqual(await rowsOf(ctx, second.ticket));
    expect(rows.outbox.map((r: { payload: string }) => r.payload)).toEqual(["{}", expect.stringContaining(`"number":"#"`)]);
    expect(rows.events).toHaveLength(2);
    // What the statement answered is what a read gives.
    expect(first.ticket).toEqual(await opened!.store.ticketById(first.ticket.id));
    expect((await ctx.db.outboxMessage.findFirst({ where: { chatId: "group", payload: { contains: "HG-0001" } } }))?.ticketId).toBeNull();
  });

  it("numbers as formatTicketNumber does, past four digits too", async () => {
    const { ctx, property, owner } = await world();
    const one = counted(ctx, { postgres: true });
    for (const [last, n] of [
      [8, 9],
      [998, 999],
      [999, 1000],
      [12344, 12345],
    ] as const) {
      await ctx.db.property.update({ where: { id: property.id }, data: { ticketSeq: last } });
      const { ticket } = await one.tickets.fileTicket(intake(property, await owner(`n${n}`)));
      expect(ticket.number).toBe(formatTicketNumber("HG", n));
      const row = await ctx.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect([row.number, row.seq]).toEqual([ticket.number, n]);
    }
    expect(one.calls).toEqual(["statement", "statement", "statement", "statement"]);
  });

  it("leaves a second filing, a missing property and a number it cannot place to the transaction", async () => {
    const { ctx, property, owner } = await world();
    const one = counted(ctx, { postgres: true });
    const o = await owner("u1");
    const first = await one.tickets.fileTicket(intake(property, o));
    one.calls.splice(0);

    // The same intake again: the statement refuses, the transaction answers with the first ticket.
    expect(await one.tickets.fileTicket(intake(property, o, { description: "changed" }))).toEqual({ ticket: first.ticket, created: false });
    expect(one.calls.splice(0)).toEqual(["statement", "transaction"]);
    expect(await ctx.db.ticket.count()).toBe(1);
    expect((await ctx.db.property.findUniqueOrThrow({ where: { id: property.id } })).ticketSeq).toBe(1);

    await expect(one.tickets.fileTicket(intake(property, o, { intakeId: "lost", propertyId: "nowhere" }))).rejects.toThrow("no property nowhere");
    expect(one.calls.splice(0)).toEqual(["statement", "transaction"]);

    // A message that spells the number its own way: only the transaction can write it.
    const spelled = (ticket: TicketRecord): NewOutboxMessage[] => [
      { kind: "message", to: { platform: "telegram", chatId: "group" }, body: { locale: "zh-CN", text: [{ key: "group.filed", params: { name: "王*", number: ticket.number.toLowerCase() } }] } },
    ];
    const { ticket } = await one.tickets.fileTicket(intake(property, await owner("u3"), { outbox: spelled }));
    expect(one.calls.splice(0)).toEqual(["transaction"]);
    expect(await ctx.db.outboxMessage.count({ where: { chatId: "group", payload: { contains: `"number":"hg-0002"` } } })).toBe(1);
    expect(ticket.number).toBe("HG-0002");
    expect(await ctx.db.ticket.count()).toBe(2);
  });
});
