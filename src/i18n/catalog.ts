import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { LOCALES, type Locale } from "../core/text.js";
import type { Catalog } from "./render.js";

const LOCALES_DIR = fileURLToPath(new URL("../../locales/", import.meta.url));

/** Reads `locales/<locale>.json` for every supported locale. */
export async function loadCatalog(dir = LOCALES_DIR): Promise<Catalog> {
  const entries = await Promise.all(
    LOCALES.map(async (l) => [l, JSON.parse(await readFile(`${dir}/${l}.json`, "utf8"))] as const),
  );
  return Object.fromEntries(entries) as Record<Locale, Record<string, string>>;
}
