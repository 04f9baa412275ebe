import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { LOCALES, type Locale } from "../core/text.js";
import type { Catalog } from "./render.js";

const LOCALES_DIR = fileURLToPath(new URL("../../locales/", import.meta.url));

/**
 * Reads `locales/<locale>.json` and its area files `locales/<locale>.<area>.json` (reports, sla...)
 * for every supported locale. Areas keep each file small enough to read; a key may live in one
 * file only, so two areas cannot silently override each other.
 */
export async function loadCatalog(dir = LOCALES_DIR): Promise<Catalog> {
  const files = await readdir(dir);
  const entries = await Promise.all(
    LOCALES.map(async (l) => {
      const merged: Record<string, string> = {};
      for (const file of files.filter((f) => localeOfFile(f) === l).sort()) {
        const part = JSON.parse(await readFile(`${dir}/${file}`, "utf8")) as Record<string, string>;
        for (const [key, value] of Object.entries(part)) {
          if (key in merged) throw new Error(`locales/${file}: key "${key}" is already defined in another ${l} file`);
          merged[key] = value;
        }
      }
      return [l, merged] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Locale, Record<string, string>>;
}

/** `zh-CN.json` and `zh-CN.reports.json` are zh-CN's; anything else in the folder is nobody's. */
export function localeOfFile(file: string): Locale | null {
  const m = /^([A-Za-z-]+?)(?:\.[a-z]+)?\.json$/.exec(file);
  return m && (LOCALES as readonly string[]).includes(m[1]!) ? (m[1] as Locale) : null;
}
