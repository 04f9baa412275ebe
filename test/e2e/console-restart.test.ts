/**
 * The real console process over a real SQLite file: killed with SIGKILL in the middle of a
 * complaint, started again, and the owner carries on where they were.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "guanjia-e2e-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startConsole(dbFile: string): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(join("node_modules", ".bin", "tsx"), ["src/main.ts"], {
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, LOG_LEVEL: "error", CONSOLE_USER: "e2e", DEFAULT_LOCALE: "zh-CN" },
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  return { child, output: () => out };
}

async function waitFor(output: () => string, text: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!output().includes(text)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(text)} in:\n${output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("console process killed mid-conversation", () => {
  it("resumes the conversation after a restart and files the complaint once", async () => {
    const db = join(dir, "e2e.db");
    copyFileSync(inject("sqliteTemplate"), db);

    const first = startConsole(db);
    first.child.stdin.write("保安态度太差了,我要投诉\n1\n3-1201\n");
    await waitFor(first.output, "请问怎么称呼您");
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));

    const second = startConsole(db);
    second.child.stdin.write("王先生\n13900001111\n2\n南门岗亭\n跳过\n");
    await waitFor(second.output, "请核对登记内容");
    expect(second.output()).toContain("房号:3-1201");
    expect(second.output()).toContain("情况:保安态度太差了,我要投诉");
    second.child.stdin.end("1\n");
    await new Promise((r) => second.child.once("exit", r));
    expect(second.output()).toContain("工单号 HG-0001");
    expect(second.child.exitCode).toBe(0);
  });
});
