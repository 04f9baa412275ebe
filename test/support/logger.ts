/**
 * Loggers for tests. Each entry is kept with its level, so a test that expects nothing logged
 * still catches a warning, and one that expects a warning fails if it became an error.
 */
import type { Logger } from "../../src/core/logger.js";

/** Keeps every entry as one line, "error: message cause" or "warn: message cause", in order. */
export function lineLogger(lines: string[]): Logger {
  const keep = (level: "error" | "warn") => (message: string, error?: unknown) => void lines.push(`${level}: ${message} ${error ?? ""}`.trim());
  return { error: keep("error"), warn: keep("warn") };
}

/** Drops everything: for tests about something else, where failures show in their own assertions. */
export const quietLogger: Logger = { error: () => undefined, warn: () => undefined };

/**
 * Hands each entry to `keep` whatever its level: for tests whose assertion is that nothing was
 * logged at all (or exactly what was), where a warning is as unexpected as an error.
 */
export function anyLevel(keep: (message: string, error: unknown) => void): Logger {
  return { error: keep, warn: keep };
}
