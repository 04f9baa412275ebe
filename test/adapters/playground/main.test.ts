/**
 * The real entry point: with PLAYGROUND=on and a piped console, main.ts prints the playground's
 * address, serves the page from its own database beside the deployment's (never the deployment's
 * file), keeps serving after the console's script ends, and stops cleanly on SIGTERM. Its clock's
 * offset survives a restart, so its time never runs backwards.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "guanjia-playground-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(): { url: Promise<string>; exited: Promise<number | null>; stop: () => void; output: () => string } {
  const child = spawn(join("node_modules", ".bin", "tsx"), ["src/main.ts"], {
    env: { ...process.env, DATABASE_URL: `file:${join(dir, "guanjia.db")}`, LOG_LEVEL: "error", PLAYGROUND: "on", PLAYGROUND_PORT: "0", DEFAULT_LOCALE: "zh-CN" },
  });
  child.stdin.end();
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.on("exit", () => reject(new Error(`exited before printing the address:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { url, exited, stop: () => child.kill("SIGTERM"), output: () => out };
}

describe("npm start's playground", () => {
  it("prints its address, serves the page from its own database, and keeps its time across a restart", async () => {
    // Migrated beforehand, as `npm start` migrates the deployment's; the playground's is found up to date.
    copyFileSync(inject("sqliteTemplate"), join(dir, "guanjia.db"));
    copyFileSync(inject("sqliteTemplate"), join(dir, "playground.db"));
    const first = start();
    const url = await first.url;
    expect(first.output()).toContain(join(dir, "playground.db"));
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/app.js");
    const moved = await fetch(new URL("/api/clock", url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ step: "morning" }) });
    expect(moved.status).toBe(200);
    const ahead = ((await (await fetch(new URL("/api/state", url))).json()) as { now: string }).now;
    // 08:30 tomorrow in Shanghai is at least 8.5 hours from any moment today.
    expect(new Date(ahead).getTime() - Date.now()).toBeGreaterThan(8 * 3_600_000);
    first.stop();
    expect(await first.exited).toBe(0);
    expect(Number(readFileSync(join(dir, "playground.db.clock"), "utf8"))).toBeGreaterThan(8 * 3_600_000);

    const second = start();
    const now = ((await (await fetch(new URL("/api/state", await second.url))).json()) as { now: string }).now;
    expect(new Date(now).getTime()).toBeGreaterThanOrEqual(new Date(ahead).getTime());
    second.stop();
    expect(await second.exited).toBe(0);
    expect(existsSync(join(dir, "guanjia.db"))).toBe(true);
  }, 90_000);
});
