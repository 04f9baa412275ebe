/**
 * The README's start command as a newcomer runs it, on an empty database file: `npm start`
 * migrates, compiles the bot (scripts/build.mjs) and serves the console from dist/bin/main.js.
 * Guards what only the bundle can break: a path resolved from the module's URL, a dynamic import.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "guanjia-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start", () => {
  it("migrates a new database, builds, and answers on the console from compiled JavaScript", async () => {
    const child = spawn("npm", ["start", "--silent"], {
      env: { ...process.env, DATABASE_URL: `file:${join(dir, "new.db")}`, LOG_LEVEL: "error", CONSOLE_USER: "start", DEFAULT_LOCALE: "en" },
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.stdin.end("/help\n");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(out).toContain("/status");
    expect(out).not.toMatch(/Error|error:/);
    expect(code).toBe(0);
  }, 60_000);
});
