/**
 * The one operator's log, on pino: JSON lines on stderr (what a log collector reads), or
 * pino-pretty's coloured lines when stderr is a terminal. Owners' phone numbers and the bots'
 * tokens never reach it: known fields are censored by path, and every finished line is also
 * searched for phone-looking numbers and token-looking strings (an SDK's error may quote a
 * request URL with the token in it, a failed turn may quote the owner's words).
 */
import { pino, type DestinationStream, type Logger as Pino } from "pino";
import { createRequire } from "node:module";
import type PinoPretty from "pino-pretty";
import type { LogFields, Logger } from "../core/logger.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export type LogFormat = "json" | "pretty";

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go; stderr unless given (a test passes a collecting stream). */
  readonly destination?: { write(line: string): unknown };
  /** "pretty" on a terminal; JSON otherwise. */
  readonly format?: LogFormat;
}

export const REDACTED = "[redacted]";

/** Fields censored wherever an object logged has them, one level deep and at the top. */
const REDACT_PATHS = ["token", "botToken", "appToken", "signingSecret", "secretToken", "phone", "authorization", "headers.authorization"].flatMap(
  (key) => [key, `*.${key}`],
);

/**
 * Telegram bot tokens (`123456789:AA…`, also inside `/bot<token>/` in API URLs) and Slack tokens
 * (`xoxb-…`, `xapp-…`, `xoxp-…`).
 */
const TOKEN = /(?<!\d)\d{5,12}:[A-Za-z0-9_-]{30,}|\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{10,}/g;
/**
 * Phone-looking numbers: a Chinese mobile (13812345678, +86 138 1234 5678, 138-1234-5678), a
 * landline with its area code (021-12345678), an international number written with "+". Digits
 * just before or after keep a run of digits (a timestamp, a chat id) from matching.
 */
const PHONE =
  /(?<![\d.])(?:(?:\+|00)86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?![\d])|(?<![\d.])0\d{2,3}[\s-]\d{7,8}(?!\d)|(?<![\w.])\+\d{1,3}(?:[\s-]?\(?\d+\)?){2,5}(?!\d)/g;

/** Both redactions over one string; what a line says around them stays readable. */
export function redactText(text: string): string {
  return text.replace(TOKEN, REDACTED).replace(PHONE, (found) => ((found.match(/\d/g) ?? []).length >= 7 ? REDACTED : found));
}

/** A phone logged as a bare JSON number: quoted when censored, so the line stays JSON. */
const BARE_PHONE = /(?<=[:[,])(?:86)?1[3-9]\d{9}(?=[,\]}])/g;

/** A stream that redacts each line before it reaches `out`. */
function redacting(out: { write(line: string): unknown }): DestinationStream {
  return { write: (line: string) => void out.write(redactText(line.replace(BARE_PHONE, `"${REDACTED}"`))) };
}

/**
 * pino-pretty (~9 MiB resident with its colours and date formatting) is loaded only for the
 * pretty format: a deployment logs JSON and never needs it (issue 16 item 5). Synchronously, so
 * creating a logger stays synchronous.
 */
const loadPretty = (): typeof PinoPretty => createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;

export function createLogger(o: LoggerOptions): Logger {
  const out = o.destination ?? process.stderr;
  const format = o.format ?? (process.stderr.isTTY ? "pretty" : "json");
  const sink =
    format === "pretty"
      ? loadPretty()({ destination: out as NodeJS.WritableStream, colorize: out === process.stderr && process.stderr.isTTY === true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname", singleLine: true })
      : out;
  const base = pino(
    {
      level: o.level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: pino.stdSerializers.err },
    },
    // Redacted before pino-pretty sees it, so both formats are safe.
    redacting(sink),
  );
  return fromPino(base);
}

/** The core's four levels onto pino's calls. An error that is not an Error is logged as a value. */
export function fromPino(p: Pino): Logger {
  const withError = (error: unknown) => (error === undefined || error === null ? {} : { err: error });
  return {
    error: (message, error) => p.error(withError(error), message),
    warn: (message, error) => p.warn(withError(error), message),
    info: (message, fields?: LogFields) => p.info({ ...fields }, message),
    debug: (message, fields?: LogFields) => p.debug({ ...fields }, message),
  };
}
