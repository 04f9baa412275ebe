/**
 * Socket Mode's app-level token, tried once before the app starts. The Socket Mode client gives
 * up at once only on a few errors (invalid_auth, not_authed…); on others, such as a token without
 * the connections:write scope (`missing_scope`), it retries apps.connections.open for ever and the
 * bot sits there, started and deaf. Asked here, Slack's refusal fails the start with what to do.
 * An unreachable Slack does not: the client's own reconnecting is right for that.
 */
import { webApi } from "@slack/bolt";
import type { Logger } from "../../core/logger.js";
import { boltLogger } from "./support.js";

export class SlackAppTokenError extends Error {
  constructor(readonly slackError: string) {
    super(
      `Slack refused the app-level token (SLACK_APP_TOKEN) for Socket Mode: ${slackError}. ` +
        "In the app's settings, under Basic Information → App-Level Tokens, create a token with the " +
        "connections:write scope and set SLACK_APP_TOKEN to it (it starts with xapp-); " +
        "and check that Socket Mode is enabled for the app.",
    );
    this.name = "SlackAppTokenError";
  }
}

/**
 * Slack's answers that mean the token or the app's settings are wrong: nothing but a person can
 * fix them. Anything else (internal_error, service_unavailable, a 429, a network failure) is
 * Slack having a bad moment, left to the Socket Mode client's reconnecting.
 */
const REFUSALS = new Set([
  "missing_scope", "not_allowed_token_type", "invalid_auth", "not_authed", "token_revoked", "token_expired",
  "account_inactive", "no_permission", "team_disabled", "user_removed_from_team", "invalid_token",
]);
/** A stalled connection must not hold the start up; the client's own connecting tries again. */
const PROBE_TIMEOUT_MS = 10_000;

export async function checkAppToken(appToken: string, clientOptions: webApi.WebClientOptions, logger?: Logger): Promise<void> {
  // The URL this opens goes unused; Slack lets it expire. (The method is in Slack's lowest rate
  // tier, which tolerates this small burst with the client's own call right after.)
  const client = new webApi.WebClient(appToken, {
    ...clientOptions,
    ...(logger ? { logger: boltLogger(logger) } : {}),
    timeout: PROBE_TIMEOUT_MS,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  try {
    await client.apps.connections.open({});
  } catch (e) {
    const error = e as { code?: string; data?: { error?: unknown } };
    const code = error.code === webApi.ErrorCode.PlatformError ? error.data?.error : undefined;
    if (typeof code === "string" && REFUSALS.has(code)) throw new SlackAppTokenError(code);
  }
}
