/**
 * Start-up against a platform that does not answer as it should: the first call (Telegram's
 * getMe, Slack's auth.test) is made on a client that neither retries nor waits long, so a bad
 * token, a wrong API address or no network is in the operator's log within seconds, saying what
 * to check, and the call is tried again with backoff instead of an SDK retrying silently for
 * minutes (issue 11 §7). Both runtimes and the Slack app start through `untilAnswered`.
 */
import { Api, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Logger } from "../../core/logger.js";
import { botApiClient } from "./bot-api-fetch.js";

/** Longer than this and the operator would be left guessing; the next try comes soon anyway. */
export const PROBE_TIMEOUT_SECONDS = 5;
/** Waits between tries: 1 s, 2 s, 4 s … up to a minute. */
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 60_000;

export interface Retrying {
  readonly logger: Logger;
  /** Injected so tests do not wait; setTimeout in production. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it answers. Each failure is logged at once as an error with `explain`'s
 * words (what to check), then tried again after a doubling wait; the success after failures is
 * logged too, so the log says the trouble is over.
 */
export async function untilAnswered<T>(what: string, probe: () => Promise<T>, explain: (error: unknown) => string, o: Retrying): Promise<T> {
  const sleep = o.sleep ?? realSleep;
  for (let attempt = 0, wait = FIRST_RETRY_MS; ; attempt++, wait = Math.min(wait * 2, MAX_RETRY_MS)) {
    try {
      const answer = await probe();
      if (attempt > 0) o.logger.info(`${what}: answered after ${attempt + 1} tries`);
      return answer;
    } catch (error) {
      o.logger.error(`${what} failed: ${explain(error)}; trying again in ${Math.round(wait / 1000)} s`, error);
      await sleep(wait);
    }
  }
}

/** Who the bot is, from getMe on a plain client: the runtimes then start without asking again. */
export function telegramBotInfo(token: string, apiRoot: string | undefined, o: Retrying): Promise<UserFromGetMe> {
  const api = new Api(token, botApiClient(apiRoot, { timeoutSeconds: PROBE_TIMEOUT_SECONDS }));
  const root = apiRoot ?? "https://api.telegram.org";
  return untilAnswered("telegram: getMe", () => api.getMe(), (e) => whatToCheck(e, root), o);
}

/** Telegram's refusal or the network's, in the words of the settings that fix it. */
export function whatToCheck(error: unknown, apiRoot: string): string {
  if (error instanceof GrammyError) {
    if (error.error_code === 401) return `Telegram refused the token (401 Unauthorized): check TELEGRAM_BOT_TOKEN (as @BotFather gave it; a revoked token must be replaced)`;
    if (error.error_code === 404) return `${apiRoot} answered 404 Not Found: check TELEGRAM_BOT_TOKEN, and that TELEGRAM_API_ROOT is a Bot API server (the default is https://api.telegram.org)`;
    return `${apiRoot} answered ${error.error_code} ${error.description}: check TELEGRAM_API_ROOT`;
  }
  if (error instanceof HttpError) {
    return `could not reach the Bot API at ${apiRoot} (${causeOf(error)}): check TELEGRAM_API_ROOT and that this machine can reach it (network, proxy, firewall)`;
  }
  return `${error instanceof Error ? error.message : String(error)}: check TELEGRAM_API_ROOT and TELEGRAM_BOT_TOKEN`;
}

/** The network's own words (ECONNREFUSED, ENOTFOUND, ETIMEDOUT) under the SDK's wrapping, or its message. */
export function causeOf(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    const inner = e as { error?: unknown; original?: unknown; cause?: unknown };
    e = inner.error ?? inner.original ?? inner.cause;
  }
  return error instanceof Error ? error.message : String(error);
}
