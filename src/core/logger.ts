/**
 * The operator's log, as the core and the adapters see it. Two levels, chosen by what the bot
 * could do about the trouble, not by how it was thrown.
 */
export interface Logger {
  /**
   * Something was lost or needs a person: a message given up, a job that failed, an owner's turn
   * that failed, a chat the bot could not report lost. An operator should read every one.
   */
  error(message: string, error: unknown): void;
  /**
   * The bot coped: a fallback was used, a retry is scheduled, a platform refused one request
   * (a Slack 429, a callback query too old to answer, a blocked user). Worth seeing when many
   * come together; none needs a person on its own.
   */
  warn(message: string, error?: unknown): void;
}
