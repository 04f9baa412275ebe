/**
 * The acceptance of issue 17 in a real browser: the guided first minute walked in zh-CN and in
 * en (file a leak as an owner → claim it in the staff group → promise and reply → resolve → rate
 * → 08:30 tomorrow → sign the digest), each step checking off; and a month moved on, with the
 * monthly report and its workbook in the director's chat.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locale } from "../../../src/core/text.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import type { Catalog } from "../../../src/i18n/render.js";
import { launch, pane, skipReason } from "./browser.js";
import { testPlayground, type TestPlayground } from "./support.js";

const skip = skipReason();
if (skip) console.warn(`playground browser tests skipped: ${skip}`);

const OWNER: Record<Locale, { leak: string; name: string }> = {
  "zh-CN": { leak: "楼上漏水,我家天花板都泡了", name: "王先生" },
  en: { leak: "Water is leaking from the flat above, my ceiling is soaked", name: "John Smith" },
};

describe.skipIf(skip !== null)("the playground in Chromium", () => {
  let browser: Browser;
  let catalog: Catalog;
  const open: TestPlayground[] = [];

  beforeAll(async () => {
    [browser, catalog] = await Promise.all([launch(), loadCatalog()]);
  });
  afterAll(async () => {
    await browser?.close();
    for (const p of open) await p.stop();
  });

  /** `errors`: script errors on the page, and any request that left the playground. */
  async function pageOn(locale: Locale): Promise<{ page: Page; pg: TestPlayground; errors: string[] }> {
    const pg = await testPlayground(locale);
    open.push(pg);
    const page = await browser.newPage({ viewport: { width: 1500, height: 1200 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => {
      if (!r.url().startsWith(pg.url) && !r.url().startsWith("data:")) errors.push(`left 127.0.0.1: ${r.url()}`);
    });
    await page.goto(`${pg.url}?lang=${locale}`);
    await page.locator("body[data-ready=true]").waitFor();
    return { page, pg, errors };
  }

  for (const locale of ["zh-CN", "en"] as const) {
    it(`walks the guided first minute in ${locale}`, async () => {
      const { page, pg, errors } = await pageOn(locale);
      const say = (key: string) => catalog[locale][key]!;
      const step = (name: string) => page.locator(`#guide li[data-step="${name}"]`);
      const done = (name: string) => page.locator(`#guide li[data-step="${name}"].done`).waitFor();
      await expect.poll(() => page.locator("#guide li").count()).toBe(7);
      expect(await step("file").innerText()).toBe(say("playground.guide.file"));
      expect(await page.locator('[data-pane="staff"] h2 .title').innerText()).toBe(say("playground.pane.staff"));

      // The owner files a leak, answering the bot's questions.
      const owner = pane(page, "owner");
      await owner.say(OWNER[locale].leak, /⚠️/);
      await owner.press(say("choice.classify_yes"));
      await owner.say("3-1201");
      await owner.say(OWNER[locale].name);
      await owner.say("13900001111");
      await owner.press(say("location.home"));
      for (let i = 0; i < 3; i++) await owner.press(say("choice.skip")); // since when, photos, visit time
      await owner.press(say("choice.submit"), "HG-0001");
      await done("file");

      // The card in the staff group; 小王 (the pane's sender) claims it; the card changes in place.
      const staff = pane(page, "staff");
      await staff.root.locator(".msg.bot", { hasText: "HG-0001" }).first().waitFor();
      const card = staff.root.locator(".msg.bot").first();
      await staff.press(say("card.claim"), "小王");
      await done("claim");
      await expect.poll(() => card.innerText()).toContain("小王");
      expect(await card.locator(".meta").innerText()).toContain(say("playground.edited"));
      await staff.say("/promise HG-0001 2h");
      await staff.say(`/reply HG-0001 ${locale === "en" ? "A plumber comes at 3 pm" : "师傅下午三点上门"}`);
      await done("promise_reply");
      await staff.say(`/resolve HG-0001 ${locale === "en" ? "Fixed the pipe upstairs" : "已修好楼上水管"}`);
      await done("resolve");

      // The owner heard each step and rates the result.
      expect(await owner.text()).toContain(locale === "en" ? "A plumber comes at 3 pm" : "师傅下午三点上门");
      await owner.press(say("rating.satisfied"));
      await done("rate");

      // The director's chat had the major-matter report at once; at 08:30 tomorrow, the digest.
      const director = pane(page, "director");
      expect(await director.text()).toContain("HG-0001");
      await page.locator('[data-clock="morning"]').click();
      await done("morning");
      await director.root.locator(".msg.bot", { hasText: say("digest.sign") }).last().waitFor();
      expect(await director.text()).toMatch(locale === "en" ? /Director's digest/ : /主任晨报/);
      await director.press(say("digest.sign"));
      await done("sign");
      await page.locator("#guide-done").waitFor();
      expect(await page.locator("#now").innerText()).toMatch(/08:30/);
      expect(pg.troubles).toEqual([]);
    expect(errors).toEqual([]);
    }, 90_000);
  }

  it("moves a month on: the monthly report and its workbook are in the director's chat", async () => {
    const { page, pg, errors } = await pageOn("zh-CN");
    await page.locator('[data-clock="month"]').click();
    const director = pane(page, "director");
    const workbook = director.root.locator("a.file", { hasText: ".xlsx" });
    await workbook.waitFor({ timeout: 60_000 });
    expect(await director.text()).toContain("📊 月度统计 · 虹港家园");
    const href = await workbook.getAttribute("href");
    const bytes = Buffer.from(await (await page.request.get(new URL(href!, pg.url).href)).body());
    expect(bytes.subarray(0, 2).toString()).toBe("PK"); // an .xlsx is a zip
    expect(pg.troubles).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
