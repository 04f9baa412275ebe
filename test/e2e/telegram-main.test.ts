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
import { openStore } from "../../src/infra/prisma/open.js";

const dir = mkdtempSync(join(tmpdir(), "guanjia-tg-"));
const TOKEN = "123456789:AAtestTOKENtestTOKENtest12";
const api = new FakeBotApi(TOKEN);
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm start with a Telegram token", () => {
  it("binds a staff group, serves an owner, delivers the card through the outbox, stops on SIGTERM", async () => {
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
      expect(out).toContain(`telegram (grammy): @${api.botInfo.username} is polling`);

      // An admin's binding code, made in the same database the bot uses.
      const admin = await openStore({ databaseUrl: `file:${db}` });
      const property = (await admin.store.properties())[0]!; // the demo property, seeded at start
      const code = (await admin.store.createInvite({ propertyId: property.id, grant: { kind: "bind", purpose: "staff", department: null }, expiresAt: new Date(Date.now() + 3_600_000), createdAt: new Date() })).code;
      await admin.close();
      const group = { id: -1001234, type: "supergroup" as const, title: "虹港家园客服群" };
      let since = api.calls.length;
      api.userMessage({ chat: group, from: { id: 2001, is_bot: false, first_name: "王" }, text: `/bind ${code}` });
      let sent = await api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id === group.id, { since, timeoutMs: 10_000 });
      expect(String(sent.params.text)).toContain("本群已绑定为【虹港家园】的客服工作群");

      // An owner files a repair request in a private chat...
      const say = async (text: string): Promise<string> => {
        const at = api.calls.length;
        api.userMessage({ text });
        const reply = await api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id !== group.id, { since: at, timeoutMs: 10_000 });
        return String(reply.params.text);
      };
      expect(await say("楼上漏水,我家天花板都泡了")).toContain("【报修 · 工程维修】");
      since = api.calls.length;
      for (const answer of ["1", "3-1201", "张三", "13812345678", "1", "昨天晚上", "跳过", "随时"]) await say(answer);
      expect(await say("1")).toContain("工单号 HG-0001");
      // ...and the outbox sender delivers its card to the staff group.
      sent = await api.waitForCall((c) => c.method === "sendMessage" && c.params.chat_id === group.id, { since, timeoutMs: 10_000 });
      expect(String(sent.params.text)).toContain("HG-0001");
      expect(String(sent.params.text)).toContain("138****5678");
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    expect(child.exitCode).toBe(0);
  });
});
