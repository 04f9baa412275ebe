import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { JOB_SCHEDULES } from "../src/jobs/defaults.js";

describe("config", () => {
  it("starts with nothing set: console, embedded database, Shanghai time", () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: "file:./data/guanjia.db",
      databasePool: { size: 10, txWaitMs: 10_000 },
      timeZone: "Asia/Shanghai",
      defaultLocale: "zh-CN",
      consoleUser: "local",
      seedDemoProperty: true,
      logLevel: "info",
      logFormat: null,
      telegram: null,
      slack: null,
      playground: { port: 8480, asked: false },
      openai: null,
      schedules: JOB_SCHEDULES,
    });
  });

  it("turns the LLM on with a key, defaults its budget to 2.5 s and masks names and phones unless told", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).openai).toEqual({
      apiKey: "sk-test",
      baseUrl: null,
      model: "gpt-4o-mini",
      budgetMs: 2500,
      sendPii: false,
      dailyTokens: null,
    });
    const qwen = { OPENAI_API_KEY: "k", OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_MODEL: "qwen2.5", OPENAI_TIMEOUT_MS: "1500", OPENAI_SEND_PII: "true", OPENAI_DAILY_TOKENS: "200000" };
    expect(loadConfig(qwen).openai).toEqual({ apiKey: "k", baseUrl: "http://127.0.0.1:11434/v1", model: "qwen2.5", budgetMs: 1500, sendPii: true, dailyTokens: 200000 });
    expect(() => loadConfig({ OPENAI_API_KEY: "k", OPENAI_TIMEOUT_MS: "soon" })).toThrow(/OPENAI_TIMEOUT_MS: use milliseconds/);
    expect(() => loadConfig({ OPENAI_BASE_URL: "deepseek" })).toThrow(/OPENAI_BASE_URL/);
  });

  it("starts the playground with no token, never beside a platform unless asked (PLAYGROUND=on)", () => {
    const token = { TELEGRAM_BOT_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" };
    expect(loadConfig({ PLAYGROUND: "off" }).playground).toBeNull();
    expect(loadConfig(token).playground).toBeNull();
    expect(loadConfig({ ...token, PLAYGROUND: "on", PLAYGROUND_PORT: "9001" }).playground).toEqual({ port: 9001, asked: true });
    expect(() => loadConfig({ PLAYGROUND: "yes" })).toThrow(/PLAYGROUND: use auto/);
  });

  it("treats blank values as unset, as a copied .env.example has them", () => {
    expect(loadConfig({ DATABASE_URL: "", TELEGRAM_BOT_TOKEN: "  " }).telegram).toBeNull();
  });

  it("names each bad key and how to fix it", () => {
    const bad = () =>
      loadConfig({ DATABASE_URL: "mysql://x", TIMEZONE: "Mars/Olympus", TELEGRAM_BOT_TOKEN: "abc", SEED_DEMO_PROPERTY: "maybe" });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      const m = (e as Error).message;
      expect(m).toContain("DATABASE_URL: use file:./data/guanjia.db");
      expect(m).toContain("TIMEZONE: use an IANA time zone");
      expect(m).toContain("TELEGRAM_BOT_TOKEN: paste the token @BotFather gave you");
      expect(m).toContain("SEED_DEMO_PROPERTY: use true or false");
    }
  });

  it("checks keys that go together once each key is valid on its own", () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: "xoxb-1" })).toThrow("SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN");
    expect(() => loadConfig({ SLACK_APP_TOKEN: "xapp-1" })).toThrow("SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN");
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", TELEGRAM_WEBHOOK_URL: "https://bot.example.com/tg" })).toThrow(
      "TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL",
    );
    const hooked = loadConfig({
      TELEGRAM_BOT_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
      TELEGRAM_WEBHOOK_URL: "https://bot.example.com/tg",
      TELEGRAM_WEBHOOK_SECRET: "0123456789abcdef0123",
    });
    expect(hooked.telegram!.webhook).toEqual({ url: "https://bot.example.com/tg", port: 8443, secretToken: "0123456789abcdef0123" });
  });

  it("reads LOG_LEVEL warn (warnings and errors) and names the levels when it is wrong", () => {
    expect(loadConfig({ LOG_LEVEL: "warn" }).logLevel).toBe("warn");
    expect(loadConfig({ LOG_LEVEL: "error" }).logLevel).toBe("error");
    expect(() => loadConfig({ LOG_LEVEL: "warning" })).toThrow("LOG_LEVEL: use debug, info, warn, error or silent");
  });

  it("reads LOG_FORMAT: auto decides by the terminal, json and pretty are forced", () => {
    expect(loadConfig({ LOG_FORMAT: "auto" }).logFormat).toBeNull();
    expect(loadConfig({ LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(loadConfig({ LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
    expect(() => loadConfig({ LOG_FORMAT: "text" })).toThrow("LOG_FORMAT: use auto");
  });

  it("reads platform settings", () => {
    const c = loadConfig({
      TELEGRAM_BOT_TOKEN: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      SLACK_BOT_TOKEN: "xoxb-123",
      SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
      SLACK_PORT: "3100",
    });
    expect(c.telegram).toEqual({ token: "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", apiRoot: "http://127.0.0.1:8081", runtime: "grammy", webhook: null });
    expect(c.slack).toEqual({ botToken: "xoxb-123", signingSecret: "8f742231b10e8888abcd99yyyzzz85a5", appToken: null, port: 3100, host: null, apiUrl: null });
  });

  it("reads SLACK_HOST (the receiver's bind address) and SLACK_API_URL (GovSlack, a proxy), and refuses nonsense naming the key", () => {
    const slack = { SLACK_BOT_TOKEN: "xoxb-123", SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5" };
    expect(loadConfig({ ...slack, SLACK_HOST: "127.0.0.1", SLACK_API_URL: "https://slack-gov.com/api" }).slack).toMatchObject({ host: "127.0.0.1", apiUrl: "https://slack-gov.com/api/" });
    expect(loadConfig({ ...slack, SLACK_HOST: "::1" }).slack).toMatchObject({ host: "::1" });
    expect(loadConfig({ ...slack, SLACK_HOST: "localhost" }).slack).toMatchObject({ host: "localhost" });
    expect(() => loadConfig({ ...slack, SLACK_HOST: "http://0.0.0.0:3000" })).toThrow(/SLACK_HOST: use the address to listen on/);
    expect(() => loadConfig({ ...slack, SLACK_API_URL: "slack-gov.com/api" })).toThrow(/SLACK_API_URL: use the Web API's base URL/);
    expect(() => loadConfig({ ...slack, SLACK_API_URL: "ftp://slack.com/api/" })).toThrow(/SLACK_API_URL/);
  });
});

describe("the PostgreSQL pool", () => {
  it("reads DATABASE_POOL_SIZE and DATABASE_TX_WAIT_MS, and refuses what would not hold, naming the key", () => {
    expect(loadConfig({ DATABASE_POOL_SIZE: "25", DATABASE_TX_WAIT_MS: "30000" }).databasePool).toEqual({ size: 25, txWaitMs: 30_000 });
    expect(() => loadConfig({ DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE: use at least 1 connection/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: "2.5" })).toThrow(/DATABASE_POOL_SIZE: use a whole number/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: "lots" })).toThrow(/DATABASE_POOL_SIZE: use a whole number/);
    expect(() => loadConfig({ DATABASE_TX_WAIT_MS: "10" })).toThrow(/DATABASE_TX_WAIT_MS: use at least 100 ms/);
    expect(() => loadConfig({ DATABASE_TX_WAIT_MS: "1e9" })).toThrow(/DATABASE_TX_WAIT_MS: use at most/);
  });
});

describe("schedules", () => {
  it("default to the documented crons, can be changed or turned off, and refuse nonsense with a hint", () => {
    const base = loadConfig({});
    expect(base.schedules.director_digest).toBe("30 8 * * *");
    const set = loadConfig({ SCHEDULE_DIRECTOR_DIGEST: "0 8 * * *", SCHEDULE_PRUNE: "off" });
    expect(set.schedules).toMatchObject({ director_digest: "0 8 * * *", prune: null, overdue_sweep: "*/5 * * * *" });
    expect(() => loadConfig({ SCHEDULE_DAILY_LOG: "every evening" })).toThrow(/SCHEDULE_DAILY_LOG: use a cron expression/);
  });
});
