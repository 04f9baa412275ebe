/** A playground over a fresh copy of the migrated SQLite template, on a free port of 127.0.0.1. */
import { randomUUID } from "node:crypto";
import { copyFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { inject } from "vitest";
import type { Locale } from "../../../src/core/text.js";
import { JOB_SCHEDULES } from "../../../src/jobs/defaults.js";
import { startPlayground, type Playground } from "../../../src/playground.js";
import { sh } from "../../support/reports-fixture.js";
import { lineLogger } from "../../support/logger.js";

/** The real time the playground's own runs ahead of: fixed, so the steps land on known times. */
export const REAL_NOW = sh("2026-12-07 10:00");

export interface TestPlayground extends Playground {
  api(path: string, body?: unknown): Promise<Response>;
  /** Every warning and error the playground logged. */
  readonly troubles: string[];
}

export async function testPlayground(staffLocale: Locale = "zh-CN"): Promise<TestPlayground> {
  const file = join(dirname(inject("sqliteTemplate")), `${randomUUID()}.db`);
  copyFileSync(inject("sqliteTemplate"), file);
  const troubles: string[] = [];
  const playground = await startPlayground({
    port: 0,
    databaseFile: file,
    migrated: true,
    timeZone: "Asia/Shanghai",
    staffLocale,
    schedules: JOB_SCHEDULES,
    logger: lineLogger(troubles),
    realClock: { now: () => new Date(REAL_NOW) },
  });
  return {
    ...playground,
    troubles,
    api: (path, body) =>
      fetch(new URL(path, playground.url), body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    async stop() {
      await playground.stop();
      for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.clock`]) rmSync(f, { force: true });
    },
  };
}
