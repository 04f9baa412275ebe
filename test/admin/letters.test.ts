/**
 * `npm run admin -- register export HG 2026`: 收文登记簿 written to disk as the workbook a lead
 * gets in chat, Chinese headers, one row per letter of that year only.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runAdmin } from "../../src/admin/commands.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer } from "../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import { createLetterFiles } from "../../src/infra/export/letters.js";
import { letterRegisterStore } from "../../src/infra/prisma/letters.js";
import { registryStore } from "../../src/infra/prisma/registry.js";
import { TestClock } from "../support/chat.js";
import { backends } from "../support/db.js";
import { REGISTER_HEADERS } from "../support/letters.js";
import { openWorkbook } from "../support/workbook.js";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.each(backends())("register export over $name", (backend) => {
  it("writes the year's register as an xlsx file and says where", async () => {
    dir = mkdtempSync(join(tmpdir(), "register-"));
    const db = await backend.open();
    try {
      const property = await db.store.createProperty(DEMO_PROPERTY);
      const register = db.use(letterRegisterStore);
      const base = { propertyId: property.id, sender: "刘女士", scans: [], registeredAt: new Date("2026-12-06T02:00:00Z"), registeredById: "cli" };
      await register.registerLetter({ ...base, year: 2025, intakeId: "old", receivedOn: "2025-12-30", summary: "去年的来信" });
      await register.registerLetter({ ...base, year: 2026, intakeId: "new", receivedOn: "2026-12-01", summary: "电梯噪音扰民" });
      const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
      const out: string[] = [];
      const deps = {
        store: db.store, registry: db.use(registryStore), clock: new TestClock(), text: (x: Parameters<typeof renderer.text>[0]) => renderer.text(x, "zh-CN"),
        print: (l: string) => out.push(l), staffLocale: "zh-CN" as const,
        letters: { register, files: createLetterFiles({ renderer, timeZone: "Asia/Shanghai" }) },
      };
      expect(await runAdmin(["register", "export", "hg", "2026", "--out", dir], deps)).toBe(0);
      expect(readdirSync(dir)).toEqual(["收文登记簿-HG-2026.xlsx"]);
      expect(out.join("\n")).toBe(`已写出 ${join(dir, "收文登记簿-HG-2026.xlsx")}(1 件来信)。`);
      const ws = (await openWorkbook(readFileSync(join(dir, "收文登记簿-HG-2026.xlsx")))).worksheets[0]!;
      expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(REGISTER_HEADERS);
      expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual(["HG-收-2026-001", "2026-12-01", "刘女士", "电梯噪音扰民", null, null, null, null, "未立单"].map((v) => v ?? undefined));
      expect(ws.rowCount).toBe(3);
      expect(await runAdmin(["register", "export", "HG"], deps)).toBe(2);
      expect(await runAdmin(["register", "export", "XX", "2026", "--out", dir], deps)).toBe(1);
    } finally {
      await db.close();
    }
  });
});
