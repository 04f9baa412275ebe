/**
 * The outbox sender's Telegram transport: how Telegram's errors become the sender's few kinds,
 * and what the transport sends, over real HTTP against the fake Bot API.
 */
import { GrammyError, HttpError } from "grammy";
import type { Message } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatKind, sendResultOf, telegramSenderApi, telegramTransport } from "../../../src/adapters/telegram/transport.js";
import type { Transport } from "../../../src/infra/outbox/transport.js";
import { buttonRows, DEFAULT_USER, FakeBotApi } from "../../fakes/telegram-bot-api.js";

const tgError = (error_code: number, description: string, retry_after?: number) =>
  new GrammyError(`Call failed! (${error_code}: ${description})`, { ok: false, error_code, description, ...(retry_after === undefined ? {} : { parameters: { retry_after } }) }, "sendMessage", {});

describe("Telegram errors as the outbox sender's kinds", () => {
  it("a 429 waits retry_after, in milliseconds; a 429 without one waits a second", () => {
    expect(sendResultOf(tgError(429, "Too Many Requests: retry after 7", 7), "send")).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 7000 });
    expect(sendResultOf(tgError(429, "Too Many Requests"), "edit")).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 1000 });
  });

  it("a chat the bot can never post in again is gone", () => {
    for (const [code, description] of [
      [403, "Forbidden: bot was kicked from the supergroup chat"],
      [403, "Forbidden: bot was kicked from the group chat"],
      [403, "Forbidden: bot was blocked by the user"],
      [403, "Forbidden: bot is not a member of the supergroup chat"],
      [403, "Forbidden: user is deactivated"],
      [400, "Bad Request: chat not found"],
      [400, "Bad Request: group chat was upgraded to a supergroup chat"],
    ] as const) {
      for (const op of ["send", "edit"] as const) {
        expect(sendResultOf(tgError(code, description), op), `${op} ${description}`).toEqual({ ok: false, kind: "gone", error: `${code}: ${description}` });
      }
    }
  });

  it("an edit whose message vanished is gone, so the sender posts the card anew; a send never is for that", () => {
    for (const description of ["Bad Request: message to edit not found", "Bad Request: MESSAGE_ID_INVALID", "Bad Request: message can't be edited"]) {
      expect(sendResultOf(tgError(400, description), "edit")).toMatchObject({ kind: "gone" });
      expect(sendResultOf(tgError(400, description), "send")).toMatchObject({ kind: "failed" });
    }
  });

  it("everything else is failed, to be retried with backoff", () => {
    expect(sendResultOf(tgError(400, "Bad Request: message text is empty"), "send")).toEqual({ ok: false, kind: "failed", error: "400: Bad Request: message text is empty" });
    expect(sendResultOf(tgError(403, "Forbidden: not enough rights to send text messages to the chat"), "send")).toMatchObject({ kind: "failed" });
    expect(sendResultOf(tgError(502, "Bad Gateway"), "send")).toMatchObject({ kind: "failed" });
    expect(sendResultOf(new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNREFUSED")), "send")).toEqual({
      ok: false,
      kind: "failed",
      error: "Network request for 'sendMessage' failed!",
    });
    expect(sendResultOf("odd", "send")).toEqual({ ok: false, kind: "failed", error: "odd" });
  });

  it("negative chat ids are groups", () => {
    expect(chatKind("-1001234567890")).toBe("group");
    expect(chatKind("-5")).toBe("group");
    expect(chatKind("1001")).toBe("private");
  });
});

describe("the Telegram transport against the fake Bot API", () => {
  const group = { id: -1001234567890, title: "虹港家园客服群" };
  let api: FakeBotApi;
  let transport: Transport;
  beforeEach(async () => {
    api = new FakeBotApi();
    transport = telegramTransport(telegramSenderApi(api.token, await api.start()));
    api.userMessage({ chat: group, text: "大家好" }); // the bot can post where someone has spoken
    api.userMessage({ text: "你好" });
  });
  afterEach(() => api.stop());

  const shown = (chatId: number, messageId: string): Message => api.messages.get(`${chatId}/${messageId}`)!;
  const card = { text: "🆕 HG-0001 · 投诉\n状态:待受理", choices: [{ value: "claim:HG-0001", label: "受理" }, { value: "ticket:HG-0001", label: "详情" }] };

  it("sends text with its buttons, and a ticket's later message as a reply to its card", async () => {
    const sent = await transport.send(String(group.id), card, {});
    expect(sent).toEqual({ ok: true, messageId: expect.stringMatching(/^\d+$/) });
    const id = (sent as { messageId: string }).messageId;
    expect(buttonRows(shown(group.id, id))).toEqual([["受理", "详情"]]);

    const alert = await transport.send(String(group.id), { text: "⚠️ 不满意", choices: [] }, { threadOf: id });
    const message = shown(group.id, (alert as { messageId: string }).messageId);
    expect(message.reply_to_message?.message_id).toBe(Number(id));
    expect(message.reply_markup).toBeUndefined();
    // A card deleted meanwhile does not stop the message.
    expect(await transport.send(String(group.id), { text: "still", choices: [] }, { threadOf: "9999" })).toMatchObject({ ok: true });
    const plain = await transport.send(String(DEFAULT_USER.id), { text: "您的工单已受理", choices: [] }, {});
    expect(shown(DEFAULT_USER.id, (plain as { messageId: string }).messageId).text).toBe("您的工单已受理");
    expect(api.calls.filter((c) => c.method === "sendMessage").every((c) => c.params.parse_mode === undefined)).toBe(true);
  });

  it("edits in place, taking buttons off; the same content again is fine; a vanished message is gone", async () => {
    const id = ((await transport.send(String(group.id), card, {})) as { messageId: string }).messageId;
    const claimed = { text: "🆕 HG-0001 · 投诉\n状态:已受理 · 跟进人:王强", choices: [{ value: "ticket:HG-0001", label: "详情" }] };
    expect(await transport.edit(String(group.id), id, claimed)).toEqual({ ok: true, messageId: id });
    expect(shown(group.id, id).text).toContain("跟进人:王强");
    expect(buttonRows(shown(group.id, id))).toEqual([["详情"]]);
    expect(await transport.edit(String(group.id), id, claimed)).toEqual({ ok: true, messageId: id });
    expect(api.calls.filter((c) => c.method === "editMessageText").map((c) => c.error)).toEqual([undefined, 400]);
    await transport.edit(String(group.id), id, { text: "closed", choices: [] });
    expect(shown(group.id, id).reply_markup).toBeUndefined();

    expect(await transport.edit(String(group.id), "9999", claimed)).toEqual({ ok: false, kind: "gone", error: "400: Bad Request: message to edit not found" });
  });

  it("a 429 comes straight back with its retry_after: the transport never waits itself", async () => {
    api.failNext("sendMessage", { error_code: 429, retry_after: 30 });
    const started = Date.now();
    expect(await transport.send(String(group.id), card, {})).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(api.calls.filter((c) => c.method === "sendMessage")).toHaveLength(1);
  });

  it("a group the bot was kicked from, or a chat that never was, is gone", async () => {
    const id = ((await transport.send(String(group.id), card, {})) as { messageId: string }).messageId;
    api.removeBot({ chat: group });
    expect(await transport.send(String(group.id), card, {})).toEqual({ ok: false, kind: "gone", error: "403: Forbidden: bot was kicked from the supergroup chat" });
    expect(await transport.edit(String(group.id), id, card)).toMatchObject({ ok: false, kind: "gone" });
    expect(await transport.send("777", card, {})).toEqual({ ok: false, kind: "gone", error: "400: Bad Request: chat not found" });
  });

  it("a text over Telegram's limit goes in parts, the buttons and the id being the last part's", async () => {
    const long = { text: Array.from({ length: 30 }, () => "楼道灯坏了。".repeat(50)).join("\n"), choices: card.choices };
    const sent = (await transport.send(String(group.id), long, {})) as { messageId: string };
    const mine = api.botMessages(group.id);
    expect(mine.length).toBe(3); // 9,029 characters
    expect(mine.map((m) => m.text).join("\n")).toBe(long.text);
    expect(sent.messageId).toBe(String(mine.at(-1)!.message_id));
    expect(mine.map((m) => m.reply_markup === undefined)).toEqual([true, true, false]);
  });
});
