/**
 * The outbox sender's port on Slack: chat.postMessage, chat.update and files.uploadV2 over a
 * WebClient that never waits or retries by itself, with Slack's errors sorted into the few kinds
 * the sender acts on (see infra/outbox/transport.ts).
 */
import { webApi } from "@slack/bolt";
import type { Logger } from "../../core/logger.js";
import type { RenderedReply } from "../../i18n/render.js";
import type { SendResult, Transport } from "../../infra/outbox/transport.js";
import { slackMessage } from "./render.js";
import { boltLogger } from "./support.js";

type WebClient = InstanceType<typeof webApi.WebClient>;
type WebClientOptions = ConstructorParameters<typeof webApi.WebClient>[1];

/** Posting there can never work again until someone re-invites the bot or restores the channel. */
const GONE = new Set(["channel_not_found", "not_in_channel", "is_archived", "account_inactive"]);
/** chat.update's target no longer exists (deleted, or not ours to edit): the sender posts anew. */
const EDIT_TARGET_GONE = new Set(["message_not_found", "cant_update_message"]);
/** When Slack says "slow down" without a Retry-After, wait this long. */
const DEFAULT_RETRY_AFTER_MS = 1_000;
/** Below the sender's 60 s lease, so a hung request fails before another sender may take the message. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The WebClient for the outbox sender: a 429 comes straight back (`rejectRateLimitedCalls`)
 * and nothing is retried inside the client, because the sender keeps the queue's order and
 * timing itself. The default client would sleep through Retry-After with the chat's queue stuck
 * behind it, and retry for up to half an hour. With `logger`, Slack's warnings go to our log
 * rather than the console.
 */
export function slackSenderClient(botToken: string, options: WebClientOptions = {}, logger?: Logger): WebClient {
  return new webApi.WebClient(botToken, {
    timeout: REQUEST_TIMEOUT_MS,
    ...(logger ? { logger: boltLogger(logger) } : {}),
    ...options,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
}

export function slackTransport(client: WebClient): Transport {
  return {
    platform: "slack",
    async send(chatId, message, opts) {
      const thread = opts.threadOf === undefined ? undefined : parseMessageId(chatId, opts.threadOf);
      try {
        const res = await client.chat.postMessage({
          channel: thread?.channel ?? chatId,
          ...content(message),
          ...(thread ? { thread_ts: thread.ts } : {}),
        });
        if (!res.ts) return { ok: false, kind: "failed", error: "chat.postMessage returned no ts" };
        // A notice to a user id lands in the app's DM with them; chat.update needs that DM's id.
        const channel = res.channel ?? chatId;
        return { ok: true, messageId: channel === chatId ? res.ts : `${channel}:${res.ts}` };
      } catch (error) {
        return sendResultOf(error, GONE);
      }
    },
    async edit(chatId, messageId, message) {
      const { channel, ts } = parseMessageId(chatId, messageId);
      try {
        // Slack answers an update with unchanged content as a success, so "not modified" needs nothing.
        await client.chat.update({ channel, ts, ...content(message) });
        return { ok: true, messageId };
      } catch (error) {
        return sendResultOf(error, new Set([...GONE, ...EDIT_TARGET_GONE]));
      }
    },
    async sendDocument(chatId, file) {
      try {
        // files.completeUploadExternal shares only into a conversation (C…, G…, D…), never to a
        // user id as chat.postMessage allows: a DM is opened first (im:write).
        const channel = /^[UW]/.test(chatId) ? (await client.conversations.open({ users: chatId })).channel?.id : chatId;
        if (!channel) return { ok: false, kind: "failed", error: "conversations.open returned no channel" };
        // uploadV2: files.getUploadURLExternal, the bytes POSTed to its upload_url, then files.completeUploadExternal.
        const res = await client.filesUploadV2({
          channel_id: channel,
          file: Buffer.from(file.bytes),
          filename: file.filename,
          title: file.filename,
          ...(file.caption ? { initial_comment: file.caption } : {}),
        });
        const id = res.files.flatMap((f) => f.files ?? []).find((f) => f.id)?.id;
        return { ok: true, messageId: id ?? file.filename };
      } catch (error) {
        return sendResultOf(error, GONE);
      }
    },
    chatKind,
  };
}

/** DMs (D…) and user ids (U…/W…, which post into the app's DM) are private; channels are groups. */
export function chatKind(chatId: string): "private" | "group" {
  return /^[DUW]/.test(chatId) ? "private" : "group";
}

/**
 * A Web API failure as the sender reads it. `gone` lists the errors that mean the target can
 * never take this call again; everything unrecognised is `failed`, which the sender retries.
 */
export function sendResultOf(error: unknown, gone: ReadonlySet<string> = GONE): SendResult {
  const e = (error ?? {}) as { code?: unknown; retryAfter?: unknown; statusCode?: unknown; headers?: Record<string, unknown>; data?: { error?: unknown }; message?: unknown };
  if (e.code === webApi.ErrorCode.RateLimitedError) return rateLimited(e.retryAfter);
  if (e.code === webApi.ErrorCode.HTTPError && e.statusCode === 429) return rateLimited(e.headers?.["retry-after"]);
  if (e.code === webApi.ErrorCode.PlatformError && typeof e.data?.error === "string") {
    const code = e.data.error;
    if (code === "ratelimited" || code === "rate_limited") return rateLimited(undefined);
    return gone.has(code) ? { ok: false, kind: "gone", error: code } : { ok: false, kind: "failed", error: code };
  }
  return { ok: false, kind: "failed", error: typeof e.message === "string" ? e.message : String(error) };
}

function rateLimited(retryAfterSeconds: unknown): SendResult {
  const seconds = Number(retryAfterSeconds);
  return { ok: false, kind: "rate_limited", retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS };
}

function content(message: RenderedReply): { text: string; blocks: webApi.KnownBlock[] } {
  const { text, blocks } = slackMessage(message);
  // Our blocks are a subset of Block Kit's; the SDK's union is wider than we need to spell out.
  return { text, blocks: blocks as unknown as webApi.KnownBlock[] };
}

/** Our message ids: a ts, or `<DM id>:<ts>` where Slack put the message in another channel than we named. */
function parseMessageId(chatId: string, messageId: string): { channel: string; ts: string } {
  const at = messageId.indexOf(":");
  return at < 0 ? { channel: chatId, ts: messageId } : { channel: messageId.slice(0, at), ts: messageId.slice(at + 1) };
}
