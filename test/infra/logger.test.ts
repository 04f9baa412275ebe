/**
 * The operator's log (issue 10, item 7): pino lines that LOG_LEVEL filters, with owners' phone
 * numbers and the bots' tokens never written, whether they come in a message, a field or an
 * error; and the events it promises (a job run at info, a delivery failure at warn) logged.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../src/core/logger.js";
import { loggedTransport } from "../../src/infra/logged-transport.js";
import { createLogger, redactText, type LogLevel } from "../../src/infra/logger.js";
import type { SendResult, Transport } from "../../src/infra/outbox/transport.js";
import { createJobLedger } from "../../src/infra/prisma/jobs.js";
import type { JobDeps } from "../../src/jobs/job.js";
import { createScheduler } from "../../src/jobs/scheduler.js";
import { freshSqliteStore } from "../support/db.js";

const PHONE = "13812345678";
const TOKEN = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";
const SLACK_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** A logger writing JSON lines into `lines`, as pino writes them to stderr. */
function collecting(level: LogLevel): { logger: Logger; raw: string[]; lines: () => Line[] } {
  const raw: string[] = [];
  const logger = createLogger({ level, format: "json", destination: { write: (s: string) => void raw.push(s) } });
  return { logger, raw, lines: () => raw.map((s) => JSON.parse(s) as Line) };
}

/** Everything a careless caller could log about an owner and a bot. */
function logEverything(logger: Logger): void {
  logger.error(`turn of owner ${PHONE} failed`, new Error(`POST https://api.telegram.org/bot${TOKEN}/sendMessage failed: 手机 138 1234 5678`));
  logger.warn(`slack refused ${SLACK_TOKEN}`, { phone: PHONE, token: TOKEN, nested: { botToken: SLACK_TOKEN, text: `call +86 138-1234-5678` } });
  logger.info(`owner said: 我的电话是${PHONE},座机 021-12345678`, { phone: Number(PHONE), contact: { phone: PHONE }, note: `+44 7911 123456` });
  logger.debug("request", { url: `https://api.telegram.org/bot${TOKEN}/getUpdates`, headers: { authorization: `Bearer ${SLACK_TOKEN}` } });
}

describe("redaction", () => {
  it("never writes a phone number or a token, in a message, a field, a nested field or an error", () => {
    const { logger, raw, lines } = collecting("debug");
    logEverything(logger);
    const all = raw.join("");
    for (const secret of [PHONE, "138 1234 5678", "138-1234-5678", "021-12345678", "7911 123456", TOKEN, TOKEN.split(":")[1]!, SLACK_TOKEN]) {
      expect(all).not.toContain(secret);
    }
    expect(lines()).toHaveLength(4); // every line still JSON, nothing dropped
    expect(all).toContain("[redacted]");
    // What is not secret stays readable, so a line still says what happened.
    expect(lines()[0]!.msg).toBe("turn of owner [redacted] failed");
    expect(JSON.stringify(lines()[0]!.err)).toContain("sendMessage failed");
  });

  it("leaves ticket numbers, times, chat ids and counts alone", () => {
    const text = "HG-0001 at 2026-11-23T02:00:00.000Z chat telegram:-1001234567890 update 123456789 took 1733500000000 ms";
    expect(redactText(text)).toBe(text);
  });

  it("is the same in the pretty format", async () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (b: Buffer) => (text += b.toString()));
    const logger = createLogger({ level: "debug", format: "pretty", destination: out });
    logEverything(logger);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(text).toContain("turn of owner [redacted] failed");
    for (const secret of [PHONE, TOKEN, SLACK_TOKEN]) expect(text).not.toContain(secret);
  });
});

describe("LOG_LEVEL", () => {
  it.each([
    ["debug", [20, 30, 40, 50]],
    ["info", [30, 40, 50]],
    ["warn", [40, 50]],
    ["error", [50]],
    ["silent", []],
  ] as const)("%s keeps %j", (level, kept) => {
    const { logger, lines } = collecting(level);
    logEverything(logger);
    expect(lines().map((l) => l.level).sort()).toEqual([...kept]);
  });
});

describe("what the log promises", () => {
  it("a job run at info, with the job, its slot and what it posted", async () => {
    const db = await freshSqliteStore();
    try {
      const ledger = db.use(createJobLedger);
      const { logger, lines } = collecting("info");
      const scheduler = createScheduler(
        {
          jobDeps: { ledger } as unknown as JobDeps,
          ledger,
          clock: { now: () => new Date("2026-11-23T01:00:00Z") },
          timeZone: "Asia/Shanghai",
          logger,
          reportFailure: async () => undefined,
        },
        [{ name: "daily_log", cron: "0 9 * * *", job: async () => ({ posted: 2, skipped: 0 }), catchUp: "latest" }],
      );
      await scheduler.tick();
      expect(lines()).toContainEqual(
        expect.objectContaining({ level: 30, job: "daily_log", slot: "2026-11-23T01:00:00.000Z", posted: 2, msg: expect.stringContaining("job daily_log ran") }),
      );
    } finally {
      await db.close();
    }
  });

  it("each delivery failure and 429 at warn (the outbox retries them), each delivery at debug", async () => {
    const results: SendResult[] = [
      { ok: false, kind: "failed", error: "502 Bad Gateway" },
      { ok: false, kind: "rate_limited", retryAfterMs: 3000 },
      { ok: true, messageId: "77" },
    ];
    const bare: Transport = {
      platform: "telegram",
      chatKind: () => "private",
      send: async () => results.shift()!,
      edit: async () => {
        throw new Error("network down");
      },
    };
    const { logger, lines } = collecting("debug");
    const transport = loggedTransport(bare, logger);
    const message = { text: "您好", choices: [] };
    expect(await transport.send("42", message, {})).toEqual({ ok: false, kind: "failed", error: "502 Bad Gateway" });
    await transport.send("42", message, {});
    await transport.send("42", message, {});
    await expect(transport.edit("42", "77", message)).rejects.toThrow("network down");
    expect(lines().map((l) => [l.level, l.msg])).toEqual([
      [40, "delivery: message to telegram:42 failed; the outbox retries it"],
      [40, "delivery: message to telegram:42 rate limited; retried in 3000 ms"],
      [20, "delivery: message to telegram:42 done"],
      [40, "delivery: edit to telegram:42 threw; the outbox retries it"],
    ]);
    expect(JSON.stringify(lines()[0]!.err)).toContain("502 Bad Gateway");
  });
});
