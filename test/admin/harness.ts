/** The admin tool over a real store, its output rendered as the operator reads it. */
import { runAdmin } from "../../src/admin/commands.js";
import type { Locale } from "../../src/core/text.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer } from "../../src/i18n/render.js";
import { createLetterFiles } from "../../src/infra/export/letters.js";
import { letterRegisterStore } from "../../src/infra/prisma/letters.js";
import { registryStore } from "../../src/infra/prisma/registry.js";
import { createSlaStore } from "../../src/infra/prisma/sla.js";
import { TestClock } from "../support/chat.js";
import type { TestBackend, TestStore } from "../support/db.js";

export interface AdminWorld {
  readonly db: TestStore;
  readonly registry: ReturnType<typeof registryStore>;
  readonly clock: TestClock;
  /** Everything printed since the last `take()`. */
  readonly out: string[];
  admin(...argv: string[]): Promise<number>;
  /** The same, in another operator language. */
  adminIn(locale: Locale, ...argv: string[]): Promise<number>;
  /** The output so far as one text, and forget it. */
  take(): string;
  close(): Promise<void>;
}

export async function adminWorld(backend: TestBackend): Promise<AdminWorld> {
  const db = await backend.open();
  const registry = db.use(registryStore);
  const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
  const clock = new TestClock();
  const out: string[] = [];
  // Wired as src/admin.ts wires them: every command has what it needs.
  const sla = db.use(createSlaStore);
  const letters = { register: db.use(letterRegisterStore), files: createLetterFiles({ renderer, timeZone: "Asia/Shanghai" }) };
  const adminIn = (locale: Locale, ...argv: string[]) =>
    runAdmin(argv, { store: db.store, registry, sla, letters, clock, text: (x) => renderer.text(x, locale), print: (l) => out.push(l), staffLocale: "zh-CN" });
  return {
    db,
    registry,
    clock,
    out,
    admin: (...argv) => adminIn("zh-CN", ...argv),
    adminIn,
    take: () => out.splice(0).join("\n"),
    close: () => db.close(),
  };
}
