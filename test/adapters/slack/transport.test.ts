/**
 * The outbox's Slack transport through a real WebClient against the fake Web API: what it
 * posts, and how each Slack failure is sorted into what the sender does next.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chatKind, sendResultOf, slackSenderClient, slackTransport } from "../../../src/adapters/slack/transport.js";
import type { Transport } from "../../../src/infra/outbox/transport.js";
import { buttonsOf, FakeSlack, OWNER, textOf } from "../../fakes/slack.js";

const CHANNEL = "C0STAFF";
const card = { text: "🆕 HG-0001 · 投诉\n状态:待受理", choices: [{ value: "claim:HG-0001", label: "受理" }, { value: "ticket:HG-0001", label: "详情" }] };

let slack: FakeSlack;
let transport: Transport;
beforeEach(async () => {
  slack = await new FakeSlack().start();
  slack.addUser({ id: OWNER.user, dm: OWNER.channel });
  transport = slackTransport(slackSenderClient("xoxb-test", { slackApiUrl: slack.apiUrl }));
});
afterEach(() => slack.stop());

describe("sending", () => {
  it("posts blocks with the choices as buttons and a plain-text fallback, in a thread when asked", async () => {
    const sent = await transport.send(CHANNEL, card, {});
    expect(sent).toEqual({ ok: true, messageId: expect.stringMatching(/^\d+\.\d+$/) });
    const ts = sent.ok ? sent.messageId : "";
    const [posted] = slack.postedTo(CHANNEL);
    expect(posted).toMatchObject({ ts, text: "🆕 HG-0001 · 投诉\n状态:待受理" });
    expect(textOf(posted!)).toBe(card.text);
    expect(buttonsOf(posted!).map((b) => [b.text.text, b.value])).toEqual([["受理", "claim:HG-0001"], ["详情", "ticket:HG-0001"]]);

    expect(await transport.send(CHANNEL, { text: "⚠️ 不满意", choices: [] }, { threadOf: ts })).toMatchObject({ ok: true });
    expect(slack.thread(CHANNEL, ts).map(textOf)).toEqual(["⚠️ 不满意"]);
    expect(slack.callsOf("chat.postMessage")[1]!.params).toMatchObject({ channel: CHANNEL, thread_ts: ts });
  });

  it("edits in place and gives back the same id", async () => {
    const sent = await transport.send(CHANNEL, card, {});
    const ts = sent.ok ? sent.messageId : "";
    const edited = await transport.edit(CHANNEL, ts, { text: "状态:已受理", choices: [card.choices[1]!] });
    expect(edited).toEqual({ ok: true, messageId: ts });
    expect(slack.callsOf("chat.update")[0]!.params).toMatchObject({ channel: CHANNEL, ts });
    expect(textOf(slack.postedTo(CHANNEL)[0]!)).toBe("状态:已受理");
    // Slack takes an unchanged update as a success: "not modified" is no failure.
    expect(await transport.edit(CHANNEL, ts, { text: "状态:已受理", choices: [card.choices[1]!] })).toEqual({ ok: true, messageId: ts });
  });

  it("posts to a user id into the app's DM, and can edit and thread there too", async () => {
    const sent = await transport.send(OWNER.user, { text: "您的工单已受理", choices: [] }, {});
    expect(sent).toEqual({ ok: true, messageId: expect.stringMatching(new RegExp(`^${OWNER.channel}:\\d+\\.\\d+$`)) });
    const id = sent.ok ? sent.messageId : "";
    expect(await transport.edit(OWNER.user, id, { text: "改过了", choices: [] })).toEqual({ ok: true, messageId: id });
    expect(slack.postedTo(OWNER.channel).map(textOf)).toEqual(["改过了"]);
    await transport.send(OWNER.user, { text: "回复", choices: [] }, { threadOf: id });
    expect(slack.callsOf("chat.postMessage").at(-1)!.params).toMatchObject({ channel: OWNER.channel, thread_ts: id.split(":")[1] });
  });

  it("calls DMs and user ids private, channels groups", () => {
    expect(["D0OWNER1", "U0OWNER1", "W0ENTERPRISE"].map(chatKind)).toEqual(["private", "private", "private"]);
    expect(["C0STAFF", "G0PRIVATE"].map(chatKind)).toEqual(["group", "group"]);
    expect(transport.chatKind("C0STAFF")).toBe("group");
    expect(transport.platform).toBe("slack");
  });
});

describe("what a failure means to the sender", () => {
  it("hands a 429 back at once with its Retry-After, without waiting or retrying", async () => {
    slack.failNext("chat.postMessage", { status: 429, retryAfter: 3 });
    const started = Date.now();
    expect(await transport.send(CHANNEL, card, {})).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 3000 });
    expect(Date.now() - started).toBeLessThan(1000);
    slack.failNext("chat.update", { status: 429, retryAfter: 1 });
    expect(await transport.edit(CHANNEL, "1.2", card)).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 1000 });
    expect(slack.calls.filter((c) => c.method.startsWith("chat.")).map((c) => c.failed)).toEqual(["429", "429"]);
  });

  it("calls a channel gone when Slack says it can never take the message", async () => {
    for (const error of ["channel_not_found", "not_in_channel", "is_archived", "account_inactive"]) {
      slack.failNext("chat.postMessage", { error });
      expect(await transport.send(CHANNEL, card, {})).toEqual({ ok: false, kind: "gone", error });
      slack.failNext("chat.update", { error });
      expect(await transport.edit(CHANNEL, "1.2", card)).toEqual({ ok: false, kind: "gone", error });
    }
  });

  it("calls an edit's vanished target gone, so the sender posts the card anew", async () => {
    expect(await transport.edit(CHANNEL, "1763000099.000100", card)).toEqual({ ok: false, kind: "gone", error: "message_not_found" });
    slack.failNext("chat.update", { error: "cant_update_message" });
    expect(await transport.edit(CHANNEL, "1.2", card)).toEqual({ ok: false, kind: "gone", error: "cant_update_message" });
  });

  it("calls anything else failed, for a retry with backoff", async () => {
    for (const error of ["invalid_blocks", "internal_error", "message_not_found"]) {
      slack.failNext("chat.postMessage", { error });
      expect(await transport.send(CHANNEL, card, {})).toEqual({ ok: false, kind: "failed", error });
    }
    await slack.stop();
    expect(await transport.send(CHANNEL, card, {})).toMatchObject({ ok: false, kind: "failed" });
  });

  it("reads a bare HTTP 429 and a 'ratelimited' answer as rate limits too", () => {
    expect(sendResultOf({ code: "slack_webapi_http_error", statusCode: 429, headers: { "retry-after": "5" } })).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 5000 });
    expect(sendResultOf({ code: "slack_webapi_platform_error", data: { error: "ratelimited" } })).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 1000 });
    expect(sendResultOf({ code: "slack_webapi_http_error", statusCode: 503, message: "An HTTP protocol error occurred: statusCode = 503" })).toMatchObject({ kind: "failed" });
    expect(sendResultOf(new Error("boom"))).toEqual({ ok: false, kind: "failed", error: "boom" });
  });
});
