import { describe, expect, it } from "vitest";
import { t } from "../../src/core/text.js";
import { createRenderer } from "../../src/i18n/render.js";

const catalog = {
  "zh-CN": { "filed.next_reply": "我们会在 {due} 前回复您。", "common.join": "{a}、{b}", "kind.repair": "报修", "x": "类型:{kind}" },
  en: { "filed.next_reply": "We will reply by {due}.", "common.join": "{a}, {b}", "kind.repair": "repair", "x": "Type: {kind}" },
};

describe("renderer", () => {
  const r = createRenderer(catalog, "Asia/Shanghai");

  it("renders times in the property's time zone, in each locale's form", () => {
    const due = { time: "2026-11-23T19:39:00Z" }; // 03:39 the next day in Shanghai
    expect(r.text(t("filed.next_reply", { due }), "zh-CN")).toBe("我们会在 11月24日 03:39 前回复您。");
    expect(r.text(t("filed.next_reply", { due }), "en")).toBe("We will reply by 24 Nov 03:39.");
    const utc = createRenderer(catalog, "UTC");
    expect(utc.text(t("filed.next_reply", { due }), "en")).toBe("We will reply by 23 Nov 19:39.");
  });

  it("renders nested texts in the same locale and leaves unknown placeholders visible", () => {
    expect(r.text({ key: "x" as never, params: { kind: t("kind.repair") } }, "en")).toBe("Type: repair");
    expect(r.text({ key: "x" as never }, "zh-CN")).toBe("类型:{kind}");
  });

  it("renders a reply in its own locale when it names one (the offer to switch language)", () => {
    const out = r.reply({ text: [t("kind.repair")], choices: [{ value: "v", label: t("kind.repair") }], locale: "en" }, "zh-CN");
    expect(out).toEqual({ text: "repair", choices: [{ value: "v", label: "repair" }] });
  });
});
