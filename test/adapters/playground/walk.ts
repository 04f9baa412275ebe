/**
 * The guided first minute as a person does it in the page, step by step (the guide's own steps):
 * shared by the browser test, which asserts each, and the README's screenshot script.
 */
import type { Page } from "playwright-core";
import type { Locale } from "../../../src/core/text.js";
import type { Catalog } from "../../../src/i18n/render.js";
import { pane } from "./browser.js";

const WORDS: Record<Locale, { leak: string; name: string; reply: string; result: string }> = {
  "zh-CN": { leak: "楼上漏水,我家天花板都泡了", name: "王先生", reply: "师傅下午三点上门", result: "已修好楼上水管" },
  en: { leak: "Water is leaking from the flat above, my ceiling is soaked", name: "John Smith", reply: "A plumber comes at 3 pm", result: "Fixed the pipe upstairs" },
};

export type Walk = readonly (readonly [step: string, act: () => Promise<unknown>])[];

export function guidedMinute(page: Page, catalog: Catalog, locale: Locale): { words: (typeof WORDS)[Locale]; steps: Walk } {
  const say = (key: string) => catalog[locale][key]!;
  const words = WORDS[locale];
  const owner = pane(page, "owner");
  const staff = pane(page, "staff");
  const director = pane(page, "director");
  const steps: Walk = [
    [
      "file",
      async () => {
        await owner.say(words.leak, /⚠️/);
        await owner.press(say("choice.classify_yes"));
        await owner.say("3-1201");
        await owner.say(words.name);
        await owner.say("13900001111");
        await owner.press(say("location.home"));
        for (let i = 0; i < 3; i++) await owner.press(say("choice.skip")); // since when, photos, visit time
        await owner.press(say("choice.submit"), "HG-0001");
      },
    ],
    // 小王, the zone specialist, is the staff pane's sender; the card changes in place.
    ["claim", () => staff.press(say("card.claim"), "小王")],
    [
      "promise_reply",
      async () => {
        await staff.say("/promise HG-0001 2h");
        await staff.say(`/reply HG-0001 ${words.reply}`);
      },
    ],
    ["resolve", () => staff.say(`/resolve HG-0001 ${words.result}`)],
    ["rate", () => owner.press(say("rating.satisfied"))],
    [
      "morning",
      async () => {
        await page.locator('[data-clock="morning"]').click();
        await director.root.locator(".msg.bot", { hasText: say("digest.sign") }).last().waitFor();
      },
    ],
    ["sign", () => director.press(say("digest.sign"))],
  ];
  return { words, steps };
}
