/**
 * The README's pictures of the playground (docs/img/playground-*.png), taken in headless Chromium
 * over a scratch database: `npx tsx test/adapters/playground/screenshots.ts`. A script, not a
 * test: it walks part of the guided minute (./walk.ts) and photographs the page.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locale } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createLogger } from "../../../src/infra/logger.js";
import { systemClock } from "../../../src/infra/system.js";
import { JOB_SCHEDULES } from "../../../src/jobs/defaults.js";
import { startPlayground } from "../../../src/playground.js";
import { launch } from "./browser.js";
import { guidedMinute } from "./walk.js";

/** Each picture: the language, how far into the guided minute, and the file. */
const SHOTS: readonly { locale: Locale; through: string; file: string }[] = [
  { locale: "zh-CN", through: "promise_reply", file: "docs/img/playground-zh-CN.png" },
  { locale: "zh-CN", through: "morning", file: "docs/img/playground-digest.png" },
  { locale: "en", through: "claim", file: "docs/img/playground-en.png" },
];

const dir = mkdtempSync(join(tmpdir(), "guanjia-shots-"));
const browser = await launch();
const catalog = await loadCatalog();
try {
  for (const [i, shot] of SHOTS.entries()) {
    const playground = await startPlayground({
      port: 0,
      databaseFile: join(dir, `shot-${i}.db`),
      timeZone: "Asia/Shanghai",
      staffLocale: shot.locale,
      schedules: JOB_SCHEDULES,
      logger: createLogger({ level: "warn" }),
      realClock: systemClock,
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
      await page.goto(`${playground.url}?lang=${shot.locale}`);
      await page.locator("body[data-ready=true]").waitFor();
      const { steps } = guidedMinute(page, catalog, shot.locale);
      for (const [step, act] of steps) {
        await act();
        await page.locator(`#guide li[data-step="${step}"].done`).waitFor();
        if (step === shot.through) break;
      }
      await page.screenshot({ path: shot.file, fullPage: true });
      console.log(`wrote ${shot.file}`);
      await page.close();
    } finally {
      await playground.stop();
    }
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
