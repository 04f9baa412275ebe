/**
 * Headless Chromium for the playground's browser tests: Debian's package (`apt-get install
 * chromium`; .ci/run installs it), driven by playwright-core, which downloads no browser. Outside
 * CI a machine without it skips the tests and says why; in CI (CI=true) its absence fails them.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const inCi = !!process.env.CI && process.env.CI !== "false" && process.env.CI !== "0";

/** Why the browser tests cannot run here, or null when they can (or must). */
export function skipReason(): string | null {
  if (existsSync(CHROMIUM) || inCi) return null;
  return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); the browser tests run in CI`;
}

export function launch(): Promise<Browser> {
  // As root (CI containers) Chromium's sandbox cannot start; the page is our own, on loopback.
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/** One pane of the page ("owner", "staff", "director"...), and what a person does in it. */
export function pane(page: Page, key: string) {
  const root = page.locator(`[data-pane="${key}"]`);
  const botMessages = root.locator(".msg.bot");
  /** Does `action`, then waits for the bot's next message in this pane (containing `expect`). */
  const answered = async (action: () => Promise<unknown>, expect?: string | RegExp): Promise<Locator> => {
    const before = await botMessages.count();
    await action();
    const next = botMessages.nth(before);
    await next.waitFor();
    if (expect) await root.locator(".msg.bot", { hasText: expect }).last().waitFor();
    return next;
  };
  return {
    root,
    say: (text: string, expect?: string | RegExp) =>
      answered(async () => {
        await root.locator(".composer .text").fill(text);
        await root.locator(".composer .text").press("Enter");
      }, expect),
    /** Presses the newest button so labelled, as the pane's current sender. */
    press: (label: string, expect?: string | RegExp) => answered(() => root.locator(".msg button", { hasText: label }).last().click(), expect),
    text: () => root.locator(".messages").innerText(),
  };
}
