import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { loadCatalog, localeOfFile } from "../../src/i18n/catalog.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATEGORIES, MAJOR_REASONS, TICKET_KINDS } from "../../src/core/ticket/kinds.js";
import { FIELD_IDS } from "../../src/core/conversation/state.js";
import { TICKET_STATUSES } from "../../src/core/ticket/status.js";
import { TICKET_EVENT_TYPES } from "../../src/core/ticket/store.js";
import { LOCALES } from "../../src/core/text.js";
import { RATINGS, WORKFLOW_ERROR_CODES } from "../../src/core/staff/workflow.js";

const dir = join(import.meta.dirname, "../../locales");
const catalogs = (await loadCatalog(dir)) as Record<string, Record<string, string>>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("locales", () => {
  it("holds only files of supported locales, each area in every locale", () => {
    const files = readdirSync(dir);
    for (const f of files) expect(localeOfFile(f), f).not.toBeNull();
    const areas = (l: string) => files.filter((f) => localeOfFile(f) === l).map((f) => f.slice(l.length)).sort();
    for (const l of LOCALES) expect(areas(l), l).toEqual(areas("zh-CN"));
  });

  it("refuses a key defined in two files of one locale", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "locales-"));
    for (const l of LOCALES) {
      writeFileSync(join(tmp, `${l}.json`), JSON.stringify({ "a.b": "x" }));
      writeFileSync(join(tmp, `${l}.extra.json`), JSON.stringify({ "a.b": "y" }));
    }
    await expect(loadCatalog(tmp)).rejects.toThrow(/already defined/);
  });

  it("zh-CN and en hold the same keys", () => {
    expect(Object.keys(catalogs.en!).sort()).toEqual(Object.keys(catalogs["zh-CN"]!).sort());
  });

  it("each key uses the same placeholders in every locale, and no text is empty", () => {
    for (const key of Object.keys(catalogs["zh-CN"]!)) {
      expect(placeholders(catalogs.en![key]!), key).toEqual(placeholders(catalogs["zh-CN"]![key]!));
      for (const l of LOCALES) expect(catalogs[l]![key]!.trim(), `${l} ${key}`).not.toBe("");
    }
  });

  it("names every kind, category, status, reason, field, event and actor the core can show", () => {
    const keys = [
      ...TICKET_KINDS.map((k) => `kind.${k}`),
      ...CATEGORIES.map((c) => `category.${c}`),
      ...TICKET_STATUSES.map((s) => `status.${s}`),
      ...MAJOR_REASONS.map((r) => `major.${r}`),
      ...FIELD_IDS.map((f) => `field.${f}`),
      ...TICKET_EVENT_TYPES.map((e) => `event.${e}`),
      ...["owner", "staff", "system"].map((a) => `actor.${a}`),
      ...["voice", "sticker", "file", "video", "location", "other"].map((m) => `media.${m}`),
      ...LOCALES.map((l) => `lang.name.${l}`),
      ...WORKFLOW_ERROR_CODES.map((c) => `workflow.${c}`),
      ...RATINGS.map((r) => `rating.${r}`),
    ];
    for (const key of keys) expect(catalogs["zh-CN"], key).toHaveProperty([key]);
  });

  it("every key the source code names exists", () => {
    const src = join(import.meta.dirname, "../../src");
    const used = new Set<string>();
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith(".ts")) {
          const code = readFileSync(join(d, e.name), "utf8");
          for (const m of code.matchAll(/\b(?:t\(|key: |question: |example: |error: )"([a-z][\w.-]+)"/g)) used.add(m[1]!);
        }
      }
    };
    walk(src);
    expect(used.size).toBeGreaterThan(100);
    for (const key of used) expect(catalogs["zh-CN"], key).toHaveProperty([key]);
  });
});
