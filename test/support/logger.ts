/**
 * Loggers for tests. Each entry is kept with its level, so a test that expects nothing logged
 * still catches a warning, and one that expects a warning fails if it became an error.
 */
import type { Logger } from "../../src/core/logger.js";

/**
 * Keeps every warning and error as one line, "error: message cause" or "warn: message cause", in
 * order. Info and debug (what the bot is doing) are not trouble and are dropped.
 */
export function lineLogger(lines: string[]): Logger {
  const keep = (level: "error" | "warn") => (message: string, error?: unknown) => void lines.push(`${level}: ${message} ${error ?? ""}`.trim());
  return { error: keep("error"), warn: keep("warn"), info: () => undefined, debug: () => undefined };
}

/** Drops everything: for tests about something else, where failures show in their own assertions. */
export const quietLogger: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/**
 * Hands each warning and error to `keep` whatever its level: for tests whose assertion is that
 * nothing went wrong at all (or exactly what did), where a warning is as unexpected as an error.
 * Info and debug lines report normal work and are dropped.
 */
export function anyLevel(keep: (message: string, error: unknown) => void): Logger {
  return { error: keep, warn: keep, info: () => undefined, debug: () => undefined };
}
