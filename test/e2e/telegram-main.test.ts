/**
 * The real entry point with a Telegram token, against our fake Bot API on loopback: what an
 * operator gets after `npm start` with TELEGRAM_BOT_TOKEN set.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { FakeBotApi } from "../fakes/telegram-bot-api.js";

const dir = mkdtempSync(join(tmpdir(), "guanjia-tg-"));
const TOKEN = "123456789:AAtestTOKENtestTOKENtest12";
const api = new FakeBotApi(TOKEN);
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm start with a Telegram token", () => {
  it("serves an owner on Telegram and stops cleanly on SIGTERM", async () => {
    const apiRoot = await api.start();
    const db = join(dir, "tg.db");
    copyFileSync(inject("sqliteTemplate"), db);
    const child = spawn(join("node_modules", ".bin", "tsx"), ["src/main.ts"], {
      env: { ...process.env, DATABASE_URL: `file:${db}`, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, LOG_LEVEL: "error" },
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    try {
      await api.waitForPoll(20_000);
      const since = api.calls.length;
      api.userMessage({ text: "楼上漏水,我家天花板都泡了" });
      const sent = await api.waitForCall((c) => c.method === "sendMessage", { since, timeoutMs: 10_000 });
      expect(String(sent.params.text)).toContain("【报修 · 工程维修】");
      expect(out).toContain("telegram: @guanjia_test_bot is polling");
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    expect(child.exitCode).toBe(0);
  });
});
