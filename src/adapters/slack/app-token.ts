/**
 * Socket Mode's app-level token, tried once before the app starts. The Socket Mode client gives
 * up at once only on a few errors (invalid_auth, not_authed…); on others, such as a token without
 * the connections:write scope (`missing_scope`), it retries apps.connections.open for ever and the
 * bot sits there, started and deaf. Asked here, Slack's refusal fails the start with what to do.
 * An unreachable Slack does not: the client's own reconnecting is right for that.
 */
import { webApi } from "@slack/bolt";

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

export async function checkAppToken(appToken: string, clientOptions: webApi.WebClientOptions): Promise<void> {
  // The URL this opens goes unused; Slack lets it expire.
  const client = new webApi.WebClient(appToken, { ...clientOptions, retryConfig: { retries: 0 } });
  try {
    await client.apps.connections.open({});
  } catch (e) {
    const error = e as { code?: string; data?: { error?: unknown } };
    if (error.code === webApi.ErrorCode.PlatformError && typeof error.data?.error === "string") throw new SlackAppTokenError(error.data.error);
  }
}
