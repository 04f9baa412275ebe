/**
 * `npm run admin` as an operator runs it (issue 13 item 5): scripts/admin.mjs migrates a new
 * database, builds src/admin.ts with esbuild when the bundle is stale and runs dist/bin/admin.js.
 * Guards what only the bundle can break (the locales found from the module's URL, the roster
 * files' lazy chunk); the timing itself is measured by hand, not asserted.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "guanjia-admin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function admin(...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn("npm", ["run", "--silent", "admin", "--", ...args], {
    env: { ...process.env, DATABASE_URL: `file:${join(dir, "new.db")}`, DEFAULT_LOCALE: "en", LOG_LEVEL: "error" },
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, out })));
}

describe("npm run admin", () => {
  it("migrates a new database and answers property list from the compiled bundle", async () => {
    const first = await admin("property", "list");
    expect(first.out).toContain("No properties yet");
    expect(first.out).not.toMatch(/Error|error:|database .*up to date/);
    expect(first.code).toBe(0);
    expect(existsSync("dist/bin/admin.js")).toBe(true);

    expect((await admin("property", "add", "HG", "华庭花园", "--zones", "A:A区")).code).toBe(0);
    const listed = await admin("property", "list");
    expect(listed.out).toMatch(/HG\s+华庭花园/);
    expect(listed.code).toBe(0);
  }, 90_000);

  it("loads the roster files' chunk when a command needs it", async () => {
    const path = join(dir, "template.xlsx");
    const made = await admin("rooms", "template", "HG", path);
    expect(made.code).toBe(0);
    expect(existsSync(path)).toBe(true);
  }, 60_000);
});
