/** The bot message an owner answered with Telegram's "reply", as the owner desk is given it (updates.ts). */
import type { Message, Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { inboundFromUpdate } from "../../../src/adapters/telegram/updates.js";

const owner = { id: 42, is_bot: false, first_name: "Li" };
const bot = { id: 99, is_bot: true, first_name: "管家", username: "guanjia_bot" };
const chat = { id: 42, type: "private", first_name: "Li" };
const quoted = (fields: Partial<Message>) => ({ message_id: 5, date: 1_700_000_000, chat, ...fields }) as NonNullable<Message["reply_to_message"]>;
const update = (fields: Partial<Message>) => ({ update_id: 1, message: { message_id: 7, date: 1_700_000_000, chat, from: owner, ...fields } }) as Update;

describe("a reply to the bot's message", () => {
  it("carries that message's id and text, for text and photos alike", () => {
    const notice = quoted({ from: bot, text: "工单 HG-0001 的工作人员回复:明天上午处理" });
    expect(inboundFromUpdate(update({ text: "好的,谢谢", reply_to_message: notice }))!.replyTo).toEqual({ messageId: "5", text: "工单 HG-0001 的工作人员回复:明天上午处理" });
    const photo = update({ photo: [{ file_id: "p", file_unique_id: "up", width: 9, height: 9 }], reply_to_message: notice });
    expect(inboundFromUpdate(photo)).toMatchObject({ body: { type: "photo", fileRef: "tg:p" }, replyTo: { messageId: "5" } });
    expect(inboundFromUpdate(update({ text: "ok", reply_to_message: quoted({ from: bot, caption: "HG-0002" }) }))!.replyTo).toEqual({ messageId: "5", text: "HG-0002" });
  });

  it("is absent for a reply to the owner's own message, and for a message that answers nothing", () => {
    expect(inboundFromUpdate(update({ text: "补充", reply_to_message: quoted({ from: owner, text: "HG-0001 漏水" }) }))).not.toHaveProperty("replyTo");
    expect(inboundFromUpdate(update({ text: "楼上漏水" }))).not.toHaveProperty("replyTo");
  });
});
