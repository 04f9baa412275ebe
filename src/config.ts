/**
 * The only reader of the environment. Every key is validated at start-up; a bad value stops
 * the process with a message that names the key and says how to fix it.
 */
import { existsSync } from "node:fs";
import { z } from "zod";
import { LOCALES } from "./core/text.js";

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
  LOG_LEVEL: z.enum(["debug", "info", "error", "silent"], { message: "use debug, info, error or silent" }).default("info"),
});

export type Config = Readonly<{
  databaseUrl: string;
  timeZone: string;
  defaultLocale: (typeof LOCALES)[number];
  consoleUser: string;
  seedDemoProperty: boolean;
  logLevel: "debug" | "info" | "error" | "silent";
}>;

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
    timeZone: c.TIMEZONE,
    defaultLocale: c.DEFAULT_LOCALE,
    consoleUser: c.CONSOLE_USER,
    seedDemoProperty: c.SEED_DEMO_PROPERTY,
    logLevel: c.LOG_LEVEL,
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
