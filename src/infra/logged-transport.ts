/**
 * A platform's transport that tells the operator's log what each delivery came to: a failure
 * (the sender retries it with backoff) and a 429 (retried after the wait) as warnings, a delivery
 * at debug. The sender decides; this only reports, so a given-up message is still the sender's
 * one error line and a lost chat main.ts's one warning.
 */
import type { Logger } from "../core/logger.js";
import type { SendResult, Transport } from "./outbox/transport.js";

export function loggedTransport(transport: Transport, logger: Logger): Transport {
  const where = (chatId: string) => `${transport.platform}:${chatId}`;
  const report = (what: string, chatId: string, result: SendResult): SendResult => {
    if (result.ok) logger.debug(`delivery: ${what} to ${where(chatId)} done`, { messageId: result.messageId });
    else if (result.kind === "rate_limited") logger.warn(`delivery: ${what} to ${where(chatId)} rate limited; retried in ${result.retryAfterMs} ms`);
    else if (result.kind === "failed") logger.warn(`delivery: ${what} to ${where(chatId)} failed; the outbox retries it`, result.error);
    else logger.debug(`delivery: ${what} to ${where(chatId)}: chat gone`, { error: result.error });
    return result;
  };
  const thrown = (what: string, chatId: string) => (e: unknown): never => {
    logger.warn(`delivery: ${what} to ${where(chatId)} threw; the outbox retries it`, e);
    throw e;
  };
  const sendDocument = transport.sendDocument?.bind(transport);
  return {
    platform: transport.platform,
    chatKind: (chatId) => transport.chatKind(chatId),
    send: (chatId, message, opts) => transport.send(chatId, message, opts).then((r) => report("message", chatId, r), thrown("message", chatId)),
    edit: (chatId, messageId, message) => transport.edit(chatId, messageId, message).then((r) => report(`edit of ${messageId}`, chatId, r), thrown("edit", chatId)),
    ...(sendDocument
      ? { sendDocument: (chatId, file) => sendDocument(chatId, file).then((r) => report(`file ${file.filename}`, chatId, r), thrown("file", chatId)) }
      : {}),
  };
}
