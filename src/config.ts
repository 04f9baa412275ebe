/**
 * The only reader of the environment. Every key is validated at start-up; a bad value stops
 * the process with a message that names the key and says how to fix it.
 */
import { existsSync } from "node:fs";
import { isIP } from "node:net";
import { z } from "zod";
import { LOCALES } from "./core/text.js";
import { isCronExpression } from "./jobs/cron.js";
import { JOB_NAMES, JOB_SCHEDULES, scheduleEnvKey, type JobName } from "./jobs/defaults.js";

/** A host name as a bind address may be given (localhost, a container's name). */
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "use true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, {
      message: "use file:./data/guanjia.db for the embedded SQLite store, or postgresql://user:pass@host:5432/db",
    })
    .default("file:./data/guanjia.db"),
  DATABASE_POOL_SIZE: z.coerce.number({ message: "use a whole number of connections, e.g. 10" }).int({ message: "use a whole number of connections, e.g. 10" }).min(1, { message: "use at least 1 connection" }).max(500, { message: "use at most 500 connections (PostgreSQL's own max_connections is usually 100)" }).default(10),
  DATABASE_TX_WAIT_MS: z.coerce.number({ message: "use milliseconds, e.g. 10000" }).int({ message: "use whole milliseconds, e.g. 10000" }).min(100, { message: "use at least 100 ms" }).max(600_000, { message: "use at most 600000 ms (10 minutes)" }).default(10_000),
  TIMEZONE: z
    .string()
    .refine(validTimeZone, { message: "use an IANA time zone such as Asia/Shanghai" })
    .default("Asia/Shanghai"),
  DEFAULT_LOCALE: z.enum(LOCALES, { message: `use one of ${LOCALES.join(", ")}` }).default("zh-CN"),
  CONSOLE_USER: z
    .string()
    .regex(/^[\w.-]{1,64}$/, { message: "use letters, digits, dots, dashes or underscores (at most 64)" })
    .default("local"),
  SEED_DEMO_PROPERTY: bool.default(true),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"], { message: "use debug, info, warn, error or silent" }).default("info"),
  LOG_FORMAT: z.enum(["auto", "json", "pretty"], { message: "use auto (pretty on a terminal, JSON otherwise), json or pretty" }).default("auto"),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, { message: "paste the token @BotFather gave you, like 123456789:AA…" })
    .optional(),
  TELEGRAM_API_ROOT: z.url({ message: "use the Bot API server's URL, e.g. https://api.telegram.org" }).default("https://api.telegram.org"),
  TELEGRAM_RUNTIME: z.enum(["grammy", "telegraf"], { message: "use grammy (the default) or telegraf" }).default("grammy"),
  TELEGRAM_WEBHOOK_URL: z.url({ message: "use the public HTTPS address Telegram should POST to, e.g. https://bot.example.com/telegram" }).optional(),
  TELEGRAM_WEBHOOK_PORT: z.coerce.number({ message: "use a port number" }).int().min(1).max(65535).default(8443),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, { message: "use 16 to 256 letters, digits, _ or -, e.g. from: openssl rand -hex 32" })
    .optional(),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, { message: "use the Bot User OAuth Token (starts with xoxb-)" }).optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, { message: "copy the Signing Secret from the app's Basic Information page" }).optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, { message: "use an app-level token with connections:write (starts with xapp-)" }).optional(),
  SLACK_PORT: z.coerce.number({ message: "use a port number" }).int().min(1).max(65535).default(3000),
  PLAYGROUND: z.enum(["auto", "on", "off"], { message: "use auto (only with no platform token), on or off" }).default("auto"),
  PLAYGROUND_PORT: z.coerce.number({ message: "use a port number" }).int().min(0).max(65535).default(8480),
  // The optional LLM (issue 15): any OpenAI-compatible service; without a key, keywords only.
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/, message: "use the service's base URL, e.g. https://api.deepseek.com/v1 or http://127.0.0.1:11434/v1 for Ollama; unset for OpenAI" }).optional(),
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_TIMEOUT_MS: z.coerce.number({ message: "use milliseconds, e.g. 2500" }).int().min(100).max(30000).default(2500),
  OPENAI_SEND_PII: bool.default(false),
  OPENAI_DAILY_TOKENS: z.coerce.number({ message: "use a whole number of tokens, or leave unset for no cap" }).int().positive().optional(),
  SLACK_HOST: z
    .string()
    .refine((v) => isIP(v) !== 0 || HOSTNAME.test(v), { message: "use the address to listen on, e.g. 127.0.0.1 behind a proxy on this machine, or 0.0.0.0; unset listens on every interface" })
    .optional(),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, message: "use the Web API's base URL ending in /api/, e.g. https://slack-gov.com/api/ for GovSlack; unset for slack.com" })
    .optional(),
  ...scheduleKeys(),
}).superRefine((c, ctx) => {
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET) {
    ctx.addIssue({ code: "custom", path: ["SLACK_SIGNING_SECRET"], message: "required with SLACK_BOT_TOKEN: copy it from the app's Basic Information page" });
  }
  if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({ code: "custom", path: ["TELEGRAM_WEBHOOK_SECRET"], message: "required with TELEGRAM_WEBHOOK_URL, so only Telegram can post updates (e.g. openssl rand -hex 32)" });
  }
  if (c.SLACK_APP_TOKEN && !c.SLACK_BOT_TOKEN) {
    ctx.addIssue({ code: "custom", path: ["SLACK_BOT_TOKEN"], message: "required with SLACK_APP_TOKEN (Socket Mode still posts with the bot token)" });
  }
});

export type Config = Readonly<{
  databaseUrl: string;
  /** PostgreSQL's connection pool; SQLite ignores it. */
  databasePool: { size: number; txWaitMs: number };
  timeZone: string;
  defaultLocale: (typeof LOCALES)[number];
  consoleUser: string;
  seedDemoProperty: boolean;
  /**
   * debug: every step; info: start-up and each job run, with warnings and errors; warn: warnings
   * (each delivery failure and retry) and errors; error: errors only (what needs a person); silent: nothing.
   */
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** JSON lines, or pino-pretty's; null: pretty on a terminal, JSON otherwise. */
  logFormat: "json" | "pretty" | null;
  telegram: { token: string; apiRoot: string; runtime: "grammy" | "telegraf"; webhook: { url: string; port: number; secretToken: string } | null } | null;
  /**
   * `host`: where the Events API receiver listens (null: every interface, as Node does by default);
   * `apiUrl`: the Web API's base URL (null: https://slack.com/api/), for GovSlack or a proxy.
   */
  slack: { botToken: string; signingSecret: string; appToken: string | null; port: number; host: string | null; apiUrl: string | null } | null;
  /**
   * The browser playground (its own database and clock) on 127.0.0.1: null when off. "auto" starts
   * it only with no platform token, beside the console; "on" with tokens too.
   */
  playground: { port: number; asked: boolean } | null;
  /**
   * The optional LLM beside the keyword classifier (issue 15): null without OPENAI_API_KEY.
   * `budgetMs`: how long an owner's turn waits for it; `sendPii`: names and phones leave unmasked;
   * `dailyTokens`: a cap per day, null for none.
   */
  openai: { apiKey: string; baseUrl: string | null; model: string; budgetMs: number; sendPii: boolean; dailyTokens: number | null } | null;
  /** Each scheduled job's cron expression, or null when turned off. */
  schedules: Readonly<Record<JobName, string | null>>;
}>;

/** SCHEDULE_<JOB>: a cron expression (minute hour day month weekday) or "off". */
function scheduleKeys() {
  const cronOrOff = z
    .string()
    .refine((v) => v === "off" || isCronExpression(v), { message: 'use a cron expression such as "30 8 * * *" (minute hour day month weekday), or off' });
  return Object.fromEntries(JOB_NAMES.map((name) => [scheduleEnvKey(name), cronOrOff.default(JOB_SCHEDULES[name])])) as Record<
    `SCHEDULE_${Uppercase<JobName>}`,
    z.ZodDefault<typeof cronOrOff>
  >;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Reads `.env` (if present) under the real environment, which wins, then validates. */
export function loadConfig(env: NodeJS.ProcessEnv = readEnvironment()): Config {
  const parsed = schema.safeParse(blankAsMissing(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration (see .env.example):\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    databasePool: { size: c.DATABASE_POOL_SIZE, txWaitMs: c.DATABASE_TX_WAIT_MS },
    timeZone: c.TIMEZONE,
    defaultLocale: c.DEFAULT_LOCALE,
    consoleUser: c.CONSOLE_USER,
    seedDemoProperty: c.SEED_DEMO_PROPERTY,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT === "auto" ? null : c.LOG_FORMAT,
    telegram: c.TELEGRAM_BOT_TOKEN
      ? {
          token: c.TELEGRAM_BOT_TOKEN,
          apiRoot: c.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
          runtime: c.TELEGRAM_RUNTIME,
          webhook:
            c.TELEGRAM_WEBHOOK_URL && c.TELEGRAM_WEBHOOK_SECRET
              ? { url: c.TELEGRAM_WEBHOOK_URL, port: c.TELEGRAM_WEBHOOK_PORT, secretToken: c.TELEGRAM_WEBHOOK_SECRET }
              : null,
        }
      : null,
    slack:
      c.SLACK_BOT_TOKEN && c.SLACK_SIGNING_SECRET
        ? {
            botToken: c.SLACK_BOT_TOKEN,
            signingSecret: c.SLACK_SIGNING_SECRET,
            appToken: c.SLACK_APP_TOKEN ?? null,
            port: c.SLACK_PORT,
            host: c.SLACK_HOST ?? null,
            // The WebClient joins method names onto it: without the trailing slash it would call ".../apiauth.test".
            apiUrl: c.SLACK_API_URL ? c.SLACK_API_URL.replace(/\/*$/, "/") : null,
          }
        : null,
    playground:
      c.PLAYGROUND === "on" || (c.PLAYGROUND === "auto" && !c.TELEGRAM_BOT_TOKEN && !c.SLACK_BOT_TOKEN) ? { port: c.PLAYGROUND_PORT, asked: c.PLAYGROUND === "on" } : null,
    openai: c.OPENAI_API_KEY
      ? {
          apiKey: c.OPENAI_API_KEY,
          baseUrl: c.OPENAI_BASE_URL ?? null,
          model: c.OPENAI_MODEL,
          budgetMs: c.OPENAI_TIMEOUT_MS,
          sendPii: c.OPENAI_SEND_PII,
          dailyTokens: c.OPENAI_DAILY_TOKENS ?? null,
        }
      : null,
    schedules: Object.fromEntries(
      JOB_NAMES.map((name) => {
        const value = (c as unknown as Record<string, string>)[scheduleEnvKey(name)] ?? JOB_SCHEDULES[name];
        return [name, value === "off" ? null : value];
      }),
    ) as Record<JobName, string | null>,
  };
}

function readEnvironment(): NodeJS.ProcessEnv {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return process.env;
}

/** `KEY=` in a .env file means "not set", so the default applies. */
function blankAsMissing(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== "") out[k] = v.trim();
  return out;
}

/** For entry points: a bad configuration ends the process with the message, never a stack trace. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
