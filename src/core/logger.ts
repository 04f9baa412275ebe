/**
 * The operator's log, as the core and the adapters see it. Four levels, chosen by what an
 * operator does with a line, not by how it was thrown; LOG_LEVEL keeps that level and those above.
 * The implementation (src/infra/logger.ts) redacts phone numbers and tokens, so a caller may
 * name what it worked on without thinking about who reads the log.
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
  /** What the bot is doing, a line per event an operator follows: start-up, each job run. */
  info(message: string, fields?: LogFields): void;
  /** Each step, for finding a fault: every message delivered, the SDKs' own chatter. */
  debug(message: string, fields?: LogFields): void;
}

/** Facts a line carries beside its message, e.g. `{ job: "daily_log", posted: 3 }`. */
export type LogFields = Readonly<Record<string, unknown>>;
