/**
 * What filing tells staff (the major-matter report) is in the staff's language, as configured
 * (DEFAULT_LOCALE), not always Chinese: the owner desk hands its staff locale to the turn.
 */
import { afterEach, describe, expect, it } from "vitest";
import { openChat, type Chat } from "../../support/chat.js";

describe("the major-matter report's language", () => {
  let chat: Chat;
  afterEach(() => chat.close());

  it.each([["en"], ["zh-CN"]] as const)("follows the staff locale %s, whatever the owner's", async (staffLocale) => {
    chat = await openChat({ staffLocale });
    const property = (await chat.store.properties())[0]!;
    await chat.store.bindChat({ platform: "telegram", chatId: "-100999", propertyId: property.id, purpose: "director", department: null }, chat.clock.now());
    await chat.script(["有人被困在电梯里了!", "1", "3-1201", "王先生", "13900001111", "公共区域", "3栋电梯", "跳过", "跳过", "1"]);
    const report = (await chat.outbox.due(chat.clock.now(), 50)).map((r) => r.message).find((m) => m.kind === "message" && m.to.chatId === "-100999");
    expect(report?.kind === "message" && report.body.locale).toBe(staffLocale);
  });
});
