import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { registryStore } from "../../../src/infra/prisma/registry.js";
import { backends, type TestStore } from "../../support/db.js";

describe.each(backends())("the roster as the owner's conversation reads it, on $name", (backend) => {
  let opened: TestStore;
  let property: PropertyRecord;
  const at = new Date("2026-12-06T10:00:00Z");

  beforeEach(async () => {
    opened = await backend.open();
    property = await opened.store.createProperty(DEMO_PROPERTY);
    const zoneId = property.zones[0]!.id;
    const room = { zoneId, vip: false, vipNote: null, notes: null };
    const added = [
      { ...room, label: "A-6-0102", ownerName: "周先生", ownerPhone: "13900003333" },
      { ...room, label: "A-6-0101", ownerName: "周先生", ownerPhone: "13900003333" },
      { ...room, label: "A-3-1201", ownerName: null, ownerPhone: null },
    ];
    await opened.use(registryStore).applyRoster(property.id, { added, changed: [] }, { propertyId: property.id, at, actor: "cli", action: "rooms_imported", subject: null, data: {} });
  });
  afterEach(() => opened.close());

  it("finds a room by its exact label and the rooms of a phone, by label, with their ids and zones", async () => {
    const { store } = opened;
    const one = await store.rosterRoom(property.id, "A-6-0101");
    expect(one).toMatchObject({ label: "A-6-0101", ownerName: "周先生", ownerPhone: "13900003333", zoneId: property.zones[0]!.id, roomId: expect.any(String) });
    expect(await store.findRoom(property.id, "A-6-0101")).toMatchObject({ id: one!.roomId });
    expect(await store.rosterRoom(property.id, "A-9-0101")).toBeNull();
    expect((await store.rosterRoomsByPhone(property.id, "13900003333")).map((r) => r.label)).toEqual(["A-6-0101", "A-6-0102"]);
    expect(await store.rosterRoomsByPhone(property.id, "13900009999")).toEqual([]);
  });

  it("links an owner to a room once, however often it is linked, as filing does", async () => {
    const { store } = opened;
    const owner = await store.person({ platform: "telegram", platformUserId: "o1", locale: "zh-CN" });
    const match = (await store.rosterRoom(property.id, "A-6-0101"))!;
    const room = { propertyId: property.id, roomLabel: match.label, roomId: match.roomId, zoneId: match.zoneId };
    await store.linkOwnerRoom(owner.id, room, at);
    await store.linkOwnerRoom(owner.id, room, new Date(at.getTime() + 60_000));
    expect(await store.ownerRooms(owner.id)).toEqual([room]);
  });
});
