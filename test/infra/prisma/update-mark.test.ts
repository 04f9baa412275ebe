/**
 * A staff action's update is marked processed with the action's own ticket write (issue 10,
 * item 1; src/infra/prisma/update-mark.ts), on both databases: a crash after the write can no
 * longer leave an update that, delivered again, records the note or the reply twice.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StaffDeskPort } from "../../../src/core/desk/inbound.js";
import type { StaffInbound } from "../../../src/core/messages.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { markingStaffDesk } from "../../../src/infra/prisma/update-mark.js";
import { TestClock } from "../../support/chat.js";
import { backends, type TestStore } from "../../support/db.js";

const clock = new TestClock();
const T0 = clock.now();
const inbound: StaffInbound = {
  channel: "telegram",
  chat: { id: "-100111", kind: "group" },
  sender: { platformUserId: "s1", displayName: "王磊", languageCode: "zh-hans" },
  body: { type: "command", command: "note", args: "HG-0001 已联系业主" },
};

describe.each(backends())("a staff action's update mark on $name", (backend) => {
  let db: TestStore;
  let ticket: TicketRecord;
  beforeEach(async () => {
    db = await backend.open();
    const property = await db.store.createProperty({ code: "HG", name: "虹港家园", zones: [] });
    const owner = await db.store.person({ platform: "telegram", platformUserId: "o1", locale: "zh-CN" });
    ({ ticket } = await db.store.fileTicket({
      intakeId: "i1", propertyId: property.id, zoneId: null, roomId: null, kind: "repair", category: "engineering", weight: "general",
      majorReasons: [], ownerId: owner.id, roomLabel: "3-1201", contactName: null, contactPhone: null, location: "home", place: null,
      description: "漏水", since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: T0,
      nextReplyDueAt: null, confirmation: {},
    }));
  });
  afterEach(() => db.close());

  /** A desk whose action is one note on the ticket, as the workflow's `record` writes it; `fail` throws after it. */
  const noteDesk = (fail = false): StaffDeskPort => ({
    async handle() {
      const note = { at: T0, type: "note" as const, actorKind: "staff" as const, actorId: null, channel: "telegram" as const, fromStatus: null, toStatus: null, data: { text: "已联系业主" } };
      await db.store.appendEvent(ticket.id, note);
      if (fail) throw new Error("killed after the write");
      return { locale: "zh-CN", replies: [{ text: [{ key: "staff.done.note", params: { number: ticket.number } }] }] };
    },
  });
  const notes = async () => (await db.store.ticketEvents(ticket.id)).filter((e) => e.type === "note").length;

  it("is stored by the write itself, before the adapter marks anything", async () => {
    const desk = markingStaffDesk(noteDesk(), clock);
    const outcome = await desk.handle(inbound, "7001");
    expect(outcome.replies).toHaveLength(1);
    // The adapter has not marked it (it would, after this): the write did.
    expect(await db.store.processed("telegram", "7001")).toBe(true);
    expect(await db.store.processed("slack", "7001")).toBe(false);
  });

  it("makes a second delivery that races past the redelivery check write nothing and say nothing", async () => {
    const desk = markingStaffDesk(noteDesk(), clock);
    await desk.handle(inbound, "7002");
    const again = await desk.handle(inbound, "7002");
    expect(again.replies).toEqual([]);
    expect(await notes()).toBe(1);
  });

  it("without an update id (the console) writes no mark", async () => {
    await markingStaffDesk(noteDesk(), clock).handle(inbound);
    expect(await notes()).toBe(1);
    expect(await db.store.processed("telegram", "7003")).toBe(false);
  });

  it("keeps no mark from a write whose action failed before it: the mark commits with the write, never alone", async () => {
    // The action's write committed, then the action failed: the mark is there with the note.
    await expect(markingStaffDesk(noteDesk(true), clock).handle(inbound, "7004")).rejects.toThrow("killed after the write");
    expect(await db.store.processed("telegram", "7004")).toBe(true);
    // A write that never happened marks nothing.
    const nothing: StaffDeskPort = { handle: () => Promise.reject(new Error("killed before the write")) };
    await expect(markingStaffDesk(nothing, clock).handle(inbound, "7005")).rejects.toThrow("killed before the write");
    expect(await db.store.processed("telegram", "7005")).toBe(false);
  });
});
