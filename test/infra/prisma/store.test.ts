/**
 * The repository suite: the same expectations on SQLite and, when TEST_DATABASE_URL is set,
 * PostgreSQL. The races are real concurrent calls, not simulations.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewTicket, NewTicketEvent } from "../../../src/core/ticket/store.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { backends, type TestStore } from "../../support/db.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

const T0 = new Date("2026-11-23T02:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe.each(backends())("Store on $name", (backend) => {
  let opened: TestStore;
  let store: Stores;
  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
  });
  afterEach(async () => {
    await opened.close();
  });

  const owner = (id = "u1") => store.person({ platform: "telegram", platformUserId: id, displayName: `Owner ${id}`, locale: "en" });
  const hongGang = () =>
    store.createProperty({
      code: "hg",
      name: "虹港家园",
      nameEn: "Honggang Garden",
      zones: [
        { code: "B", name: "B区" },
        { code: "A", name: "A区" },
      ],
      rooms: [{ label: "A-5-301", zoneCode: "A" }, { label: "B-12-0803", zoneCode: "B" }, { label: "LOBBY" }],
    });
  function intake(property: PropertyRecord, person: PersonRecord, over: Partial<NewTicket> = {}): NewTicket {
    return {
      intakeId: `intake-${Math.random()}`,
      propertyId: property.id,
      zoneId: property.zones[0]?.id ?? null,
      roomId: null,
      kind: "repair",
      category: "engineering",
      weight: "general",
      majorReasons: [],
      ownerId: person.id,
      roomLabel: "A-5-301",
      contactName: null,
      contactPhone: null,
      location: "home",
      place: null,
      description: "厨房水管漏水",
      since: "昨天",
      visitTime: null,
      photos: [],
      channel: "telegram",
      locale: "zh-CN",
      createdAt: T0,
      nextReplyDueAt: null,
      confirmation: { description: "厨房水管漏水", room: "A-5-301" },
      ...over,
    };
  }
  const staffEvent = (actorId: string, over: Partial<NewTicketEvent> = {}): NewTicketEvent => ({
    at: minutes(5),
    type: "transition",
    actorKind: "staff",
    actorId,
    channel: "slack",
    fromStatus: null,
    toStatus: null,
    data: {},
    ...over,
  });

  describe("people", () => {
    it("creates a person on first contact and finds the same one afterwards", async () => {
      const first = await owner();
      expect(first).toMatchObject({
        platform: "telegram",
        platformUserId: "u1",
        displayName: "Owner u1",
        name: null,
        phone: null,
        locale: "en",
        localeExplicit: false,
      });
      const again = await store.person({ platform: "telegram", platformUserId: "u1", displayName: "Renamed", locale: "zh-CN" });
      expect(again).toEqual(first);
      const elsewhere = await store.person({ platform: "slack", platformUserId: "u1", locale: "zh-CN" });
      expect(elsewhere.id).not.toBe(first.id);
      expect(elsewhere.displayName).toBeNull();
    });

    it("creates one person when first messages race", async () => {
      const all = await Promise.all(Array.from({ length: 8 }, () => owner("racer")));
      expect(new Set(all.map((p) => p.id)).size).toBe(1);
    });

    it("updates only the fields given", async () => {
      const p = await owner();
      const named = await store.updatePerson(p.id, { name: "王先生", phone: "13800000000" });
      expect(named).toMatchObject({ name: "王先生", phone: "13800000000", locale: "en", localeExplicit: false });
      const switched = await store.updatePerson(p.id, { locale: "zh-CN", localeExplicit: true });
      expect(switched).toMatchObject({ name: "王先生", locale: "zh-CN", localeExplicit: true });
      expect(await owner()).toEqual(switched);
      await expect(store.updatePerson("nobody", { name: "x" })).rejects.toThrow(/no person/);
      // Looked up without creating: the same record, the boolean a boolean on both databases.
      expect(await store.findPerson("telegram", { platformUserId: "u1" })).toEqual(switched);
      expect(await store.findPerson("slack", { platformUserId: "u1" })).toBeNull();
    });
  });

  describe("staff roles", () => {
    it("grants roles once, per property or zone, and finds people by id", async () => {
      const p = await hongGang();
      const zoneA = p.zones.find((z) => z.code === "A")!;
      const s = await owner("staff-1");
      await store.grantStaffRole(s.id, { propertyId: p.id, zoneId: null, role: "front_desk" });
      await store.grantStaffRole(s.id, { propertyId: p.id, zoneId: null, role: "front_desk" });
      await store.grantStaffRole(s.id, { propertyId: p.id, zoneId: zoneA.id, role: "zone_specialist" });
      const roles = await store.staffRoles(s.id);
      expect(roles).toHaveLength(2);
      expect(roles).toEqual(
        expect.arrayContaining([
          { propertyId: p.id, zoneId: null, role: "front_desk" },
          { propertyId: p.id, zoneId: zoneA.id, role: "zone_specialist" },
        ]),
      );
      expect(await store.staffRoles((await owner("u2")).id)).toEqual([]);
      expect(await store.personById(s.id)).toEqual(s);
      expect(await store.personById("no-such-person")).toBeNull();
    });
  });

  describe("properties", () => {
    it("stores a property with zones and a room registry", async () => {
      const created = await hongGang();
      expect(created).toMatchObject({ code: "HG", name: "虹港家园", nameEn: "Honggang Garden", hasRoomRegistry: true });
      expect(created.zones.map((z) => [z.code, z.name])).toEqual([
        ["A", "A区"],
        ["B", "B区"],
      ]);
      await store.createProperty({ code: "SY", name: "顺盈花园" });
      const all = await store.properties();
      expect(all.map((p) => [p.code, p.hasRoomRegistry, p.zones.length, p.nameEn])).toEqual([
        ["HG", true, 2, "Honggang Garden"],
        ["SY", false, 0, null],
      ]);
      expect(all[0]).toEqual(created);
    });

    it("refuses codes that ticket numbers cannot carry, and duplicates", async () => {
      await hongGang();
      await expect(store.createProperty({ code: "H-1", name: "x" })).rejects.toThrow(/1–6 letters/);
      await expect(store.createProperty({ code: "HG", name: "again" })).rejects.toThrow(/exists/);
      await expect(
        store.createProperty({ code: "ZZ", name: "z", rooms: [{ label: "1", zoneCode: "nope" }] }),
      ).rejects.toThrow(/unknown zone/);
      expect((await store.properties()).map((p) => p.code)).toEqual(["HG"]);
    });

    it("finds registered rooms by their normalised label", async () => {
      const p = await hongGang();
      const zoneA = p.zones.find((z) => z.code === "A")!;
      expect(await store.findRoom(p.id, "A-5-301")).toMatchObject({ label: "A-5-301", zoneId: zoneA.id });
      expect(await store.findRoom(p.id, "LOBBY")).toMatchObject({ label: "LOBBY", zoneId: null });
      expect(await store.findRoom(p.id, "A-5-302")).toBeNull();
    });
  });

  describe("conversations", () => {
    it("saves, loads and refuses stale revisions", async () => {
      const p = await owner();
      expect(await store.loadConversation("telegram:u1")).toBeNull();
      const state = { step: "ask_room", draft: { description: "漏水", photos: ["f1"] }, n: 1.5, ok: true, none: null };
      expect(await store.saveConversation("telegram:u1", p.id, state, 0, T0)).toEqual({ ok: true, revision: 1 });
      expect(await store.loadConversation("telegram:u1")).toEqual({ state, revision: 1 });
      expect(await store.saveConversation("telegram:u1", p.id, { step: "b" }, 1, minutes(1))).toEqual({ ok: true, revision: 2 });
      expect(await store.saveConversation("telegram:u1", p.id, { step: "c" }, 1, minutes(2))).toEqual({ ok: false, code: "conflict" });
      expect(await store.saveConversation("telegram:u1", p.id, { step: "d" }, 0, minutes(2))).toEqual({ ok: false, code: "conflict" });
      expect(await store.loadConversation("telegram:u1")).toEqual({ state: { step: "b" }, revision: 2 });
    });

    it("begins a turn with the person and their conversation in one read", async () => {
      const identity = { platform: "telegram" as const, platformUserId: "u9", displayName: "Nine", locale: "en" as const };
      const first = await store.beginTurn(identity, "telegram:u9");
      expect(first.person).toMatchObject({ platformUserId: "u9", displayName: "Nine", locale: "en", localeExplicit: false });
      expect(first.conversation).toBeNull();
      await store.updatePerson(first.person.id, { name: "王先生", localeExplicit: true, locale: "zh-CN" });
      await store.saveConversation("telegram:u9", first.person.id, { step: "ask" }, 0, T0);
      await store.saveConversation("telegram:u9", first.person.id, { step: "review" }, 1, minutes(1));
      const again = await store.beginTurn({ ...identity, locale: "en" }, "telegram:u9");
      expect(again.person).toEqual({ ...first.person, name: "王先生", locale: "zh-CN", localeExplicit: true });
      expect(again.conversation).toEqual({ state: { step: "review" }, revision: 2 });
      // Another conversation key of the same person has no state yet.
      expect((await store.beginTurn(identity, "telegram:group-1")).conversation).toBeNull();
    });

    it("lets exactly one of two racing saves win", async () => {
      const p = await owner();
      await store.saveConversation("k", p.id, { v: 0 }, 0, T0);
      const results = await Promise.all([1, 2, 3].map((v) => store.saveConversation("k", p.id, { v }, 1, T0)));
      expect(results.filter((r) => r.ok)).toEqual([{ ok: true, revision: 2 }]);
      const firstSaves = await Promise.all([1, 2].map((v) => store.saveConversation("new", p.id, { v }, 0, T0)));
      expect(firstSaves.filter((r) => r.ok)).toHaveLength(1);
    });
  });

  describe("filing tickets", () => {
    it("numbers tickets per property and records the whole filing", async () => {
      const p = await hongGang();
      const sy = await store.createProperty({ code: "SY", name: "顺盈花园" });
      const o = await owner();
      const photos = ["tg-file-1", "tg-file-2"];
      const first = await store.fileTicket(
        intake(p, o, {
          photos,
          majorReasons: ["flooding"],
          weight: "major",
          contactName: "王先生",
          contactPhone: "13800000000",
          nextReplyDueAt: minutes(30),
        }),
      );
      expect(first.created).toBe(true);
      expect(first.ticket).toMatchObject({
        number: "HG-0001",
        status: "new",
        ownerId: o.id,
        photoCount: 2,
        majorReasons: ["flooding"],
        weight: "major",
        assigneeId: null,
        createdAt: T0,
        confirmedAt: T0,
        nextReplyDueAt: minutes(30),
        resolvedAt: null,
        closedAt: null,
      });
      expect((await store.fileTicket(intake(p, o))).ticket.number).toBe("HG-0002");
      expect((await store.fileTicket(intake(sy, o, { zoneId: null }))).ticket.number).toBe("SY-0001");

      const events = await store.ticketEvents(first.ticket.id);
      expect(events.map((e) => [e.type, e.actorKind, e.actorId, e.toStatus])).toEqual([
        ["created", "owner", o.id, "new"],
        ["confirmed", "owner", o.id, null],
      ]);
      expect(events[0]!.data).toEqual({});
      expect(events[1]!.data).toEqual({ description: "厨房水管漏水", room: "A-5-301" });
      expect(events[0]!.at).toEqual(T0);

      expect(await owner()).toMatchObject({ name: "王先生", phone: "13800000000" });
    });

    it("returns the ticket already filed for the same intake", async () => {
      const p = await hongGang();
      const o = await owner();
      const input = intake(p, o, { intakeId: "intake-1" });
      const first = await store.fileTicket(input);
      const again = await store.fileTicket({ ...input, description: "changed" });
      expect(again).toEqual({ ticket: first.ticket, created: false });
      expect(await store.ticketEvents(first.ticket.id)).toHaveLength(2);
      expect((await store.fileTicket(intake(p, o))).ticket.number).toBe("HG-0002");
    });

    it("gives concurrent filings distinct consecutive numbers", async () => {
      const p = await hongGang();
      const o = await owner();
      const filed = await Promise.all(Array.from({ length: 20 }, () => store.fileTicket(intake(p, o))));
      const numbers = filed.map((f) => f.ticket.number).sort();
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `HG-${String(i + 1).padStart(4, "0")}`));
      expect(filed.every((f) => f.created)).toBe(true);
    });

    it("files a racing duplicate intake once", async () => {
      const p = await hongGang();
      const o = await owner();
      const input = intake(p, o, { intakeId: "dup" });
      const filed = await Promise.all(Array.from({ length: 5 }, () => store.fileTicket(input)));
      expect(new Set(filed.map((f) => f.ticket.id)).size).toBe(1);
      expect(filed.filter((f) => f.created)).toHaveLength(1);
      expect(await store.ticketsOfOwner(o.id, 10)).toHaveLength(1);
      // The losers' numbers were rolled back with them.
      expect((await store.fileTicket(intake(p, o))).ticket.number).toBe("HG-0002");
    });

    it("remembers the owner's rooms, most recently used first", async () => {
      const p = await hongGang();
      const o = await owner();
      const room = await store.findRoom(p.id, "B-12-0803");
      await store.fileTicket(intake(p, o, { roomLabel: "A-5-301", createdAt: minutes(0) }));
      await store.fileTicket(intake(p, o, { roomLabel: "B-12-0803", roomId: room!.id, zoneId: room!.zoneId, createdAt: minutes(10) }));
      await store.fileTicket(intake(p, o, { roomLabel: null, location: "common", place: "大堂", createdAt: minutes(20) }));
      expect(await store.ownerRooms(o.id)).toEqual([
        { propertyId: p.id, roomLabel: "B-12-0803", roomId: room!.id, zoneId: room!.zoneId },
        { propertyId: p.id, roomLabel: "A-5-301", roomId: null, zoneId: p.zones[0]!.id },
      ]);
      await store.fileTicket(intake(p, o, { roomLabel: "A-5-301", createdAt: minutes(30) }));
      expect((await store.ownerRooms(o.id)).map((r) => r.roomLabel)).toEqual(["A-5-301", "B-12-0803"]);
      expect(await store.ownerRooms((await owner("u2")).id)).toEqual([]);
    });

    it("finds tickets by number, as owners type them", async () => {
      const p = await hongGang();
      const o = await owner();
      const { ticket } = await store.fileTicket(intake(p, o));
      expect(await store.ticketByNumber("HG-0001")).toEqual(ticket);
      expect(await store.ticketByNumber(" hg 1 ")).toEqual(ticket);
      expect(await store.ticketByNumber("HG-0002")).toBeNull();
      expect(await store.ticketByNumber("not a number")).toBeNull();
    });

    it("reads a ticket by id as it was filed, a VIP's mark and every date included", async () => {
      const p = await hongGang();
      const { ticket } = await store.fileTicket({ ...intake(p, await owner()), vip: { note: "老领导" } });
      expect(ticket).toMatchObject({ vip: true, vipNote: "老领导" });
      expect(await store.ticketById(ticket.id)).toEqual(ticket);
      expect(await store.ticketById("no such id")).toBeNull();
    });

    it("lists an owner's tickets newest first", async () => {
      const p = await hongGang();
      const o = await owner();
      const other = await owner("u2");
      for (const [i, at] of [minutes(10), minutes(0), minutes(20)].entries()) {
        await store.fileTicket(intake(p, o, { createdAt: at, description: `t${i}` }));
      }
      await store.fileTicket(intake(p, other));
      expect((await store.ticketsOfOwner(o.id, 10)).map((t) => t.description)).toEqual(["t2", "t0", "t1"]);
      expect((await store.ticketsOfOwner(o.id, 2)).map((t) => t.description)).toEqual(["t2", "t0"]);
      expect(await store.ticketsOfOwner("nobody", 10)).toEqual([]);
    });
  });

  describe("ticket history", () => {
    it("appends events in order and stores added photos", async () => {
      const p = await hongGang();
      const o = await owner();
      const { ticket } = await store.fileTicket(intake(p, o, { photos: ["f1"] }));
      await store.appendEvent(ticket.id, {
        at: T0, // ties with `created` and `confirmed`: insertion order decides
        type: "info_added",
        actorKind: "owner",
        actorId: o.id,
        channel: "telegram",
        fromStatus: null,
        toStatus: null,
        data: { text: "水还在流" },
      });
      await store.appendEvent(ticket.id, {
        at: minutes(1),
        type: "photo_added",
        actorKind: "owner",
        actorId: o.id,
        channel: "telegram",
        fromStatus: null,
        toStatus: null,
        data: { fileRef: "f2" },
      });
      await store.appendEvent(ticket.id, staffEvent("staff-1", { type: "note", data: { text: "已派工" } }));
      const events = await store.ticketEvents(ticket.id);
      expect(events.map((e) => e.type)).toEqual(["created", "confirmed", "info_added", "photo_added", "note"]);
      expect(events[2]!.data).toEqual({ text: "水还在流" });
      expect(events[4]).toMatchObject({ actorKind: "staff", actorId: "staff-1", channel: "slack", at: minutes(5) });
      expect((await store.ticketByNumber(ticket.number))!.photoCount).toBe(2);
      await expect(store.appendEvent("missing", staffEvent("s"))).rejects.toThrow(/no ticket/);
    });
  });

  describe("transitions", () => {
    it("moves a ticket only from the status it is still in", async () => {
      const p = await hongGang();
      const o = await owner();
      const staff = await store.person({ platform: "slack", platformUserId: "S1", locale: "zh-CN" });
      const { ticket } = await store.fileTicket(intake(p, o));

      const claimed = await store.applyTransition(ticket.id, "new", "claimed", staffEvent(staff.id, { data: { action: "claim" } }), {
        assigneeId: staff.id,
      });
      expect(claimed).toMatchObject({ ok: true, ticket: { status: "claimed", assigneeId: staff.id } });
      expect(await store.applyTransition(ticket.id, "new", "claimed", staffEvent(staff.id))).toEqual({
        ok: false,
        code: "stale",
        current: "claimed",
      });
      expect(await store.applyTransition("missing", "new", "claimed", staffEvent(staff.id))).toEqual({
        ok: false,
        code: "not_found",
      });
      const resolved = await store.applyTransition(ticket.id, "claimed", "resolved", staffEvent(staff.id, { at: minutes(9) }), {
        resolvedAt: minutes(9),
      });
      expect(resolved).toMatchObject({ ok: true, ticket: { status: "resolved", resolvedAt: minutes(9), assigneeId: staff.id } });

      const transitions = (await store.ticketEvents(ticket.id)).filter((e) => e.type === "transition");
      expect(transitions.map((e) => [e.fromStatus, e.toStatus, e.actorId])).toEqual([
        ["new", "claimed", staff.id],
        ["claimed", "resolved", staff.id],
      ]);
      expect(transitions[0]!.data).toEqual({ action: "claim" });
    });

    it("lets exactly one of two staff claiming at once win", async () => {
      const p = await hongGang();
      const o = await owner();
      const [a, b] = await Promise.all(
        ["S1", "S2"].map((id) => store.person({ platform: "slack", platformUserId: id, locale: "zh-CN" })),
      );
      const { ticket } = await store.fileTicket(intake(p, o));
      const results = await Promise.all(
        [a!, b!].map((s) => store.applyTransition(ticket.id, "new", "claimed", staffEvent(s.id), { assigneeId: s.id })),
      );
      const winners = results.filter((r) => r.ok);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, code: "stale", current: "claimed" }]);
      const winner = winners[0]!.ok ? winners[0]!.ticket.assigneeId : null;
      expect((await store.ticketByNumber(ticket.number))!.assigneeId).toBe(winner);
      expect((await store.ticketEvents(ticket.id)).filter((e) => e.type === "transition")).toHaveLength(1);
    });
  });
});
