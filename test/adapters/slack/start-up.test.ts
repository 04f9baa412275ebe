/**
 * Issue 11 §7: a Slack that refuses the token or cannot be reached is reported at start-up within
 * seconds, with what to check, and tried again with backoff; against the fake Web API refusing
 * and a closed port on 127.0.0.1.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackApp } from "../../../src/adapters/slack/bolt.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer, type Renderer } from "../../../src/i18n/render.js";
import { FakeSlack } from "../../fakes/slack.js";
import { lineLogger } from "../../support/logger.js";
import { closedPort, GiveUp, recordedStart } from "../../support/start-up.js";

let renderer: Renderer;
beforeAll(async () => {
  renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
});

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close();
  cleanup = [];
});

/** An app whose start-up waits are recorded, not slept; `giveUpAfter` waits end the start. */
async function starting(slackApiUrl: string, giveUpAfter: number) {
  const logged: string[] = [];
  const app = createSlackApp({
    botToken: "xoxb-test",
    signingSecret: "test-signing-secret",
    desk: { handle: () => Promise.reject(new Error("not reached")) },
    renderer,
    logger: lineLogger(logged),
    mode: { kind: "http", port: 0, host: "127.0.0.1" },
    clientOptions: { slackApiUrl, retryConfig: { retries: 0 } },
    sleep: (ms) => sleep(ms),
  });
  cleanup.push(() => app.stop());
  let sleep: (ms: number) => Promise<void> = async () => undefined;
  return { ...(await recordedStart((s) => ((sleep = s), app.start()), giveUpAfter)), logged };
}

describe("starting the Slack app", () => {
  it("a refused token is reported at once, naming SLACK_BOT_TOKEN, and tried again with backoff", async () => {
    const slack = await new FakeSlack().start();
    cleanup.push(() => slack.stop());
    for (let i = 0; i < 3; i++) slack.failNext("auth.test", { error: "invalid_auth" });
    const r = await starting(slack.apiUrl, 3);
    expect(r.result).toMatchObject({ ok: false, error: expect.any(GiveUp) });
    expect(r.waits).toEqual([1000, 2000, 4000]);
    expect(r.logged).toHaveLength(3);
    expect(r.logged[0]).toMatch(/^error: slack: auth\.test failed: Slack refused the bot token \(invalid_auth\): check SLACK_BOT_TOKEN.*trying again in 1 s/);
    expect(r.ms).toBeLessThan(5000);
  });

  it("a closed port is reported at once, naming SLACK_API_URL and the network", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api/`;
    const r = await starting(url, 2);
    expect(r.result.ok).toBe(false);
    expect(r.logged[0]).toContain(`could not reach Slack at ${url} (ECONNREFUSED): check SLACK_API_URL`);
    expect(r.waits).toEqual([1000, 2000]);
    expect(r.ms).toBeLessThan(5000);
  });

  it("starts once Slack answers, and names the bot user", async () => {
    const slack = await new FakeSlack().start();
    cleanup.push(() => slack.stop());
    slack.failNext("auth.test", { error: "invalid_auth" });
    const r = await starting(slack.apiUrl, 10);
    expect(r.result).toMatchObject({ ok: true, value: { user: "guanjia", port: expect.any(Number) } });
    expect(r.waits).toEqual([1000]);
  });
});
