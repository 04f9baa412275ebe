/**
 * The acceptance of issue 17 in a real browser: the guided first minute walked in zh-CN and in
 * en (file a leak as an owner → claim it in the staff group → promise and reply → resolve → rate
 * → 08:30 tomorrow → sign the digest), each step checking off and each pane showing it; and a
 * month moved on, with the monthly report and its workbook in the director's chat.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locale } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import type { Catalog } from "../../../src/i18n/render.js";
import { launch, pane, skipReason } from "./browser.js";
import { testPlayground, type TestPlayground } from "./support.js";
import { guidedMinute } from "./walk.js";

const skip = skipReason();
if (skip) console.warn(`playground browser tests skipped: ${skip}`);

describe.skipIf(skip !== null)("the playground in Chromium", () => {
  // Awaited in each test, so a browser that cannot start fails every test (in CI), not only a hook.
  let browser: Promise<Browser>;
  let catalog: Catalog;
  const open: TestPlayground[] = [];

  beforeAll(async () => {
    browser = launch();
    browser.catch(() => undefined);
    catalog = await loadCatalog();
  });
  afterAll(async () => {
    await (await browser.catch(() => null))?.close();
    for (const p of open) await p.stop();
  });

  /** `errors`: script errors on the page, and any request that left the playground. */
  async function pageOn(locale: Locale): Promise<{ page: Page; pg: TestPlayground; errors: string[] }> {
    // Chinese by default; English through the page's own switch, staff side included.
    const pg = await testPlayground("zh-CN");
    open.push(pg);
    const page = await (await browser).newPage({ viewport: { width: 1500, height: 1200 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => {
      if (!r.url().startsWith(pg.url) && !r.url().startsWith("data:")) errors.push(`left 127.0.0.1: ${r.url()}`);
    });
    await page.goto(pg.url);
    await page.locator("body[data-ready=true]").waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    if (locale !== "zh-CN") {
      await page.locator("#lang").click();
      await page.locator(`html[lang="${locale}"]`).waitFor();
      await expect.poll(async () => ((await (await pg.api("/api/state")).json()) as { staffLocale: string }).staffLocale).toBe(locale);
    }
    return { page, pg, errors };
  }

  for (const locale of ["zh-CN", "en"] as const) {
    it(`walks the guided first minute in ${locale}`, async () => {
      const { page, pg, errors } = await pageOn(locale);
      const say = (key: string) => catalog[locale][key]!;
      const guide = page.locator("#guide li");
      await expect.poll(() => guide.count()).toBe(7);
      expect(await guide.first().innerText()).toBe(say("playground.guide.file"));
      expect(await page.locator('[data-pane="staff"] h2 .title').innerText()).toBe(say("playground.pane.staff"));
      const { words, steps } = guidedMinute(page, catalog, locale);
      const [owner, staff, director] = [pane(page, "owner"), pane(page, "staff"), pane(page, "director")];
      for (const [step, act] of steps) {
        expect(await page.locator(`#guide li[data-step="${step}"]`).getAttribute("class")).toBe("next");
        await act();
        await page.locator(`#guide li[data-step="${step}"].done`).waitFor();
        if (step === "file") {
          // The major leak: a card in the staff group, reported at once in the director's chat.
          expect(await staff.root.locator(".msg.bot").first().innerText()).toContain("HG-0001");
          expect(await director.text()).toContain("HG-0001");
        }
        if (step === "claim") {
          const card = staff.root.locator(".msg.bot").first();
          await expect.poll(() => card.innerText()).toContain("小王");
          expect(await card.locator(".meta").innerText()).toContain(say("playground.edited"));
          expect(await owner.text()).toContain("小王");
        }
        if (step === "claim") expect(await page.locator('#guide li[data-step="resolve"]').innerText()).toContain("/resolve HG-0001");
        if (step === "promise_reply") expect(await owner.text()).toContain(words.reply);
        if (step === "resolve") expect(await owner.text()).toContain(words.result);
        if (step === "morning") {
          expect(await page.locator("#now").innerText()).toMatch(/08:30/);
          expect(await director.text()).toMatch(locale === "en" ? /Director's digest/ : /主任晨报/);
        }
      }
      await page.locator("#guide-done").waitFor();
      expect(await page.locator("#guide-done").innerText()).toBe(say("playground.guide.done"));
      expect(pg.troubles).toEqual([]);
      expect(errors).toEqual([]);
    }, 90_000);
  }

  it("moves a month on: the monthly report and its workbook are in the director's chat", async () => {
    const { page, pg, errors } = await pageOn("zh-CN");
    await page.locator('[data-clock="month"]').click();
    const director = pane(page, "director");
    const workbook = director.root.locator("a.file", { hasText: ".xlsx" });
    await workbook.waitFor({ timeout: 100_000 });
    expect(await director.text()).toContain("📊 月度统计 · 虹港家园");
    const href = await workbook.getAttribute("href");
    const bytes = Buffer.from(await (await page.request.get(new URL(href!, pg.url).href)).body());
    expect(bytes.subarray(0, 2).toString()).toBe("PK"); // an .xlsx is a zip
    expect(pg.troubles).toEqual([]);
    expect(errors).toEqual([]);
  }, 150_000);
});
