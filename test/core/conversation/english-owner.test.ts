/**
 * Issue 11 §5: English is first-class. An English-speaking owner types rooms as they write them,
 * is shown an English example and the property's English name, and the card staff get has no
 * "(-)" placeholders; a skipped photo is not "for staff to confirm".
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openChat, type Chat } from "../../support/chat.js";
import { staffCard } from "../../../src/core/staff/card.js";
import { announcement } from "../../../src/core/staff/announce.js";

let chat: Chat;
beforeEach(async () => {
  chat = await openChat();
  await chat.send("/lang en");
});
afterEach(async () => {
  expect(chat.errors).toEqual([]);
  await chat.close();
});

async function card(number: string, locale: "zh-CN" | "en"): Promise<string> {
  const ticket = await chat.store.ticketByNumber(number);
  return chat.renderer.reply((await staffCard(chat.store, ticket!.id, locale))!, locale).text;
}

describe("an English-speaking owner", () => {
  it.each(["Building 2, 1501", "Bldg 2 Unit 1 Rm 301", "2-1501"])("types the room as %j and it is taken", async (room) => {
    await chat.script(["The kitchen tap is broken and water is dripping everywhere", "1"]);
    const r = await chat.send(room);
    expect(r.text).not.toContain("doesn't look right");
    expect(r.text).toContain("How should we address you");
  });

  it("is shown an English example after a wrong room, with no Chinese room in it", async () => {
    await chat.script(["The kitchen tap is broken and water is dripping everywhere", "1"]);
    const r = await chat.send("my flat");
    expect(r.text).toContain("doesn't look right");
    expect(r.text).toMatch(/For example: .*Building/);
    expect(r.text).not.toMatch(/\p{Script=Han}/u);
  });

  it("reads the property's English name, and a skipped photo is not for staff to confirm", async () => {
    const r = await chat.script([
      "The kitchen tap is broken and water is dripping everywhere",
      "1",
      "Building 3, 1201",
      "Mr Smith",
      "13900001111",
      "1",
      "since yesterday",
      "Skip",
      "any time",
    ]);
    expect(r.text).toContain("Please check your report");
    expect(r.text).toContain("Property: Honggang Garden");
    expect(r.text).not.toContain("虹港家园");
    expect(r.text).not.toContain("For staff to confirm");
  });

  it("a required answer left for staff is still listed for staff to confirm", async () => {
    await chat.script(["The security guard at the south gate was very rude to me, I want to complain", "1"]);
    let r = await chat.script(["no idea", "no idea", "no idea"]);
    r = await chat.send(String(r.choices.length)); // the last option: leave it for staff
    r = await chat.script(["Mr Smith", "13900001111", "2", "south gate", "Skip"]);
    expect(r.text).toContain("For staff to confirm: Room");
  });
});

describe("an English-speaking owner of one of several properties", () => {
  it("is offered the properties by their English names", async () => {
    const other = await openChat({ properties: [{ code: "HG", name: "虹港家园", nameEn: "Honggang Garden" }, { code: "JX", name: "锦绣花园", nameEn: "Jinxiu Garden" }] });
    try {
      await other.send("/lang en");
      const r = await other.script(["The kitchen tap is broken and water is dripping everywhere", "1"]);
      expect(r.choices).toEqual(["Honggang Garden", "Jinxiu Garden"]);
    } finally {
      await other.close();
    }
  });
});

describe("the staff card", () => {
  it("has no (-) placeholders for a room without a zone or a room left for staff", async () => {
    await chat.script(["The kitchen tap is broken and water is dripping everywhere", "1", "Building 3, 1201", "Mr Smith", "13900001111", "1", "Skip", "Skip", "Skip", "1"]);
    // Another owner, who leaves the room for staff.
    await chat.send("/lang en", "u2");
    await chat.script(["The security guard at the south gate was very rude to me, I want to complain", "1", "x", "x"], "u2");
    const r = await chat.send("x", "u2");
    await chat.script([String(r.choices.length), "Ms Lee", "13900002222", "2", "south gate", "Skip", "1"], "u2");
    for (const locale of ["zh-CN", "en"] as const) {
      for (const number of ["HG-0001", "HG-0002"]) {
        const text = await card(number, locale);
        expect(text).not.toContain("(-)");
        expect(text).not.toContain("(-)");
        expect(text).not.toMatch(/: -|:-/);
      }
    }
    expect(await card("HG-0001", "en")).toContain("Room: 3-1201");
    expect(await card("HG-0002", "en")).toMatch(/Room: not given/);
  });
});

describe("the major-matter report", () => {
  it("has no (-) for a matter escalated without a reason the classifier saw, nor for a room not given", async () => {
    await chat.script(["The kitchen tap is broken and water is dripping everywhere", "1", "Building 3, 1201", "Mr Smith", "13900001111", "1", "Skip", "Skip", "Skip", "1"]);
    const property = (await chat.store.properties())[0]!;
    await chat.store.bindChat({ platform: "telegram", chatId: "-100200", propertyId: property.id, purpose: "director", department: null }, chat.clock.now());
    const ticket = (await chat.store.ticketByNumber("HG-0001"))!;
    const announce = await announcement(chat.store, property.id, true, "en");
    for (const [reasons, room] of [[[], null], [["flooding"], "3-1201"]] as const) {
      const [report] = announce({ ...ticket, weight: "major", majorReasons: [...reasons], roomLabel: room }).filter((m) => m.kind === "message");
      const text = report!.kind === "message" ? chat.renderer.text(report!.body.text[0]!, "en") : "";
      expect(text).toContain("🚨 Major matter: HG-0001");
      expect(text).not.toMatch(/\(-\)|: -/);
      expect(text).toContain(room === null ? "Room: not given" : "(water leak/flooding)");
    }
  });
});
