/**
 * Slack's first call, auth.test, made before Bolt's own: Bolt's client retries a failing call for
 * about half an hour in silence, so a bad SLACK_BOT_TOKEN, a wrong SLACK_API_URL or no network
 * would leave the operator guessing. Here each failure is logged at once with what to check and
 * tried again with backoff (../telegram/start-up.ts), and the app starts once Slack answers.
 */
import { webApi } from "@slack/bolt";
import type { Logger } from "../../core/logger.js";
import { causeOf, PROBE_TIMEOUT_SECONDS, untilAnswered, type Retrying } from "../telegram/start-up.js";

/** The Web API's address when SLACK_API_URL is not set. */
export const SLACK_API_DEFAULT = "https://slack.com/api/";

/** Answers that only a new token or the app's settings fix. */
const TOKEN_REFUSALS = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "not_allowed_token_type", "invalid_token", "team_disabled"]);

/** Who the app is on Slack: its bot user's name, for the start-up line. */
export interface SlackIdentity {
  readonly user: string;
  readonly team: string;
}

export async function slackIdentity(botToken: string, clientOptions: webApi.WebClientOptions, o: Retrying & { readonly logger: Logger }): Promise<SlackIdentity> {
  const client = new webApi.WebClient(botToken, {
    ...clientOptions,
    logger: quiet,
    timeout: PROBE_TIMEOUT_SECONDS * 1000,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const url = clientOptions.slackApiUrl ?? SLACK_API_DEFAULT;
  const answer = await untilAnswered("slack: auth.test", () => client.auth.test(), (e) => whatToCheck(e, url), o);
  return { user: answer.user ?? "?", team: answer.team ?? "?" };
}

/** Slack's refusal or the network's, in the words of the settings that fix it. */
export function whatToCheck(error: unknown, url: string): string {
  const e = error as { code?: string; data?: { error?: unknown }; statusCode?: number };
  if (e.code === webApi.ErrorCode.PlatformError) {
    const code = String(e.data?.error);
    if (TOKEN_REFUSALS.has(code)) return `Slack refused the bot token (${code}): check SLACK_BOT_TOKEN (the Bot User OAuth Token, xoxb-…; reinstall the app if it was revoked)`;
    return `Slack answered ${code}: check SLACK_BOT_TOKEN and the app's settings`;
  }
  if (e.code === webApi.ErrorCode.HTTPError) return `${url} answered HTTP ${e.statusCode ?? "?"}: check SLACK_API_URL (unset for slack.com; https://slack-gov.com/api/ for GovSlack)`;
  if (e.code === webApi.ErrorCode.RateLimitedError) return "Slack is rate limiting auth.test: wait, or check that only one instance runs with this token";
  return `could not reach Slack at ${url} (${causeOf(error)}): check SLACK_API_URL and that this machine can reach it (network, proxy, firewall)`;
}

/** The probe's own failures are reported above, with what to check; the client's lines would repeat them. */
const quiet: webApi.Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => undefined,
};
