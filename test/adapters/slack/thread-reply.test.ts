/** An owner writing in the thread of one of the bot's DM messages, as the owner desk is given it (events.ts). */
import { describe, expect, it } from "vitest";
import { fromMessage, threadOf, type OwnerMessage } from "../../../src/adapters/slack/events.js";

const event = (fields: Partial<OwnerMessage>): OwnerMessage => ({ type: "message", channel_type: "im", channel: "D1", user: "U1", text: "好的,谢谢", ts: "1700000002.000100", ...fields });

describe("a message in a thread", () => {
  it("answers the thread's parent; a message outside a thread, or the parent itself, answers nothing", () => {
    expect(threadOf(event({ thread_ts: "1700000001.000100" }))).toBe("1700000001.000100");
    expect(threadOf(event({}))).toBeNull();
    expect(threadOf(event({ thread_ts: "1700000002.000100" }))).toBeNull();
  });

  it("carries the reference on every inbound it makes, photos included", () => {
    const replyTo = { messageId: "1700000001.000100", text: "工单 HG-0001 的工作人员回复:明天" };
    const inbounds = fromMessage(event({ text: "门口", files: [{ id: "F1", mimetype: "image/jpeg" }, { id: "F2", mimetype: "image/png" }] }), "T1", {}, replyTo);
    expect(inbounds.map((i) => [i.body.type, i.replyTo])).toEqual([["photo", replyTo], ["photo", replyTo]]);
    expect(fromMessage(event({}), "T1")[0]).not.toHaveProperty("replyTo");
  });
});
