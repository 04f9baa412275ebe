/**
 * Documents through both transports over real HTTP: grammY's multipart sendDocument against the
 * fake Bot API, the Slack WebClient's files.uploadV2 (three calls) against the fake Web API. The
 * bytes that arrive are compared with the bytes sent, so a mangled upload fails here.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackSenderClient, slackTransport } from "../../src/adapters/slack/transport.js";
import { telegramSenderApi, telegramTransport } from "../../src/adapters/telegram/transport.js";
import type { DocumentFile, Transport } from "../../src/infra/outbox/transport.js";
import { FakeSlack, OWNER } from "../fakes/slack.js";
import { FakeBotApi } from "../fakes/telegram-bot-api.js";

/** Binary that trips a careless parser: CR LF, dashes like a boundary, NULs and high bytes. */
const bytes = Buffer.concat([Buffer.from("\r\n--\r\n\r\n"), randomBytes(64 * 1024), Buffer.from([0, 255, 13, 10])]);
const file = (over: Partial<DocumentFile> = {}): DocumentFile => ({
  filename: "HG-2026-10-月度统计.xlsx",
  mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  bytes,
  caption: "📎 虹港家园 2026-10 月度统计表",
  ...over,
});

describe("Telegram sendDocument", () => {
  const GROUP = -1001;
  let api: FakeBotApi;
  let transport: Transport;
  beforeEach(async () => {
    api = new FakeBotApi();
    const root = await api.start();
    transport = telegramTransport(telegramSenderApi(api.token, root));
    api.userMessage({ chat: { id: GROUP, title: "主任群" }, text: "/where" });
  });
  afterEach(() => api.stop());

  it("uploads the bytes as they are, with the Chinese file name and the caption", async () => {
    const sent = await transport.sendDocument!(String(GROUP), file());
    expect(sent).toMatchObject({ ok: true });
    const [doc] = api.botDocuments(GROUP);
    expect(doc!.upload.filename).toBe("HG-2026-10-月度统计.xlsx");
    expect(doc!.upload.bytes.equals(bytes)).toBe(true);
    expect(doc!.message.caption).toBe("📎 虹港家园 2026-10 月度统计表");
    expect(sent.ok && sent.messageId).toBe(String(doc!.message.message_id));
  });

  it("cuts a caption to Telegram's 1,024 characters and sends none when there is none", async () => {
    expect(await transport.sendDocument!(String(GROUP), file({ caption: "统".repeat(3000) }))).toMatchObject({ ok: true });
    expect(await transport.sendDocument!(String(GROUP), file({ caption: null }))).toMatchObject({ ok: true });
    const [long, bare] = api.botDocuments(GROUP);
    expect(long!.message.caption).toHaveLength(1024);
    expect(long!.message.caption!.endsWith("…")).toBe(true);
    expect(bare!.message.caption).toBeUndefined();
  });

  it("sorts failures like a message's: 429 waits, a kicked bot's chat is gone", async () => {
    api.failNext("sendDocument", { error_code: 429, retry_after: 3 });
    expect(await transport.sendDocument!(String(GROUP), file())).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 3000 });
    api.removeBot({ chat: { id: GROUP } });
    expect(await transport.sendDocument!(String(GROUP), file())).toMatchObject({ ok: false, kind: "gone" });
    expect(api.botDocuments(GROUP)).toHaveLength(0);
  });
});

describe("Slack files.uploadV2", () => {
  const CHANNEL = "C0DIRECTOR";
  let slack: FakeSlack;
  let transport: Transport;
  beforeEach(async () => {
    slack = await new FakeSlack().start();
    slack.addUser({ id: OWNER.user, dm: OWNER.channel });
    transport = slackTransport(slackSenderClient("xoxb-test", { slackApiUrl: slack.apiUrl }));
  });
  afterEach(() => slack.stop());

  it("asks for an upload URL, posts the bytes there and shares the file in the channel with the caption", async () => {
    expect(await transport.sendDocument!(CHANNEL, file())).toMatchObject({ ok: true });
    expect(slack.calls.map((c) => c.method)).toEqual(["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]);
    expect(slack.callsOf("files.getUploadURLExternal")[0]!.params).toMatchObject({ filename: "HG-2026-10-月度统计.xlsx", length: String(bytes.length) });
    const [shared] = slack.uploads;
    expect(shared).toMatchObject({ channel: CHANNEL, filename: "HG-2026-10-月度统计.xlsx", initialComment: "📎 虹港家园 2026-10 月度统计表" });
    expect(shared!.bytes.equals(bytes)).toBe(true);
  });

  it("opens the DM first for a user id, which files.completeUploadExternal does not take", async () => {
    expect(await transport.sendDocument!(OWNER.user, file({ caption: null }))).toMatchObject({ ok: true });
    expect(slack.callsOf("conversations.open")[0]!.params).toMatchObject({ users: OWNER.user });
    expect(slack.uploads[0]).toMatchObject({ channel: OWNER.channel });
    expect(slack.uploads[0]!.initialComment).toBeUndefined();
  });

  it("sorts failures like a message's: 429 waits, a channel the bot left is gone", async () => {
    slack.failNext("files.getUploadURLExternal", { status: 429, retryAfter: 4 });
    expect(await transport.sendDocument!(CHANNEL, file())).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 4000 });
    slack.leave(CHANNEL);
    expect(await transport.sendDocument!(CHANNEL, file())).toEqual({ ok: false, kind: "gone", error: "not_in_channel" });
    expect(slack.uploads).toHaveLength(0);
  });
});
