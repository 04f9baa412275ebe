/**
 * 收文登记簿's numbers: per property and year, zero-padded, and gapless when many letters are
 * registered at once (PostgreSQL runs them on its pool's connections in parallel; SQLite one at
 * a time), when the same filing is registered twice at once, and across a year's end.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewLetterEntry } from "../../../src/core/frontdesk/register.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { letterRegisterStore } from "../../../src/infra/prisma/letters.js";
import { backends, type TestStore } from "../../support/db.js";

describe.each(backends())("the letter register over $name", (backend) => {
  let opened: TestStore;
  let entry: (intakeId: string, over?: Partial<NewLetterEntry>) => NewLetterEntry;
  beforeEach(async () => {
    opened = await backend.open();
    const property = await opened.store.createProperty(DEMO_PROPERTY);
    entry = (intakeId, over = {}) => ({
      propertyId: property.id, year: 2026, intakeId, receivedOn: "2026-12-01", sender: "刘女士", summary: "来信", scans: [],
      registeredAt: new Date("2026-12-06T02:00:00Z"), registeredById: "scribe", ...over,
    });
  });
  afterEach(() => opened.close());

  it("numbers 30 letters registered at once 001 to 030, each once", async () => {
    const register = opened.use(letterRegisterStore);
    const entries = await Promise.all(Array.from({ length: 30 }, (_, i) => register.registerLetter(entry(`letter-${i}`))));
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.number)).size).toBe(30);
    expect(entries.find((e) => e.intakeId === "letter-0")!.number).toMatch(/^HG-收-2026-0\d\d$/);
  });

  it("the same filing registered twice at once is one entry, and the next letter takes the next number", async () => {
    const register = opened.use(letterRegisterStore);
    const [a, b, c] = await Promise.all([register.registerLetter(entry("same")), register.registerLetter(entry("same")), register.registerLetter(entry("same"))]);
    expect(b!.id).toBe(a!.id);
    expect(c!.id).toBe(a!.id);
    expect(a!.number).toBe("HG-收-2026-001");
    expect((await register.registerLetter(entry("next"))).number).toBe("HG-收-2026-002");
  });

  it("a new year starts at 001; the register of a year lists its letters in order, with scans added later", async () => {
    const register = opened.use(letterRegisterStore);
    await register.registerLetter(entry("a"));
    const b = await register.registerLetter(entry("b", { scans: ["tg:one"] }));
    const next = await register.registerLetter(entry("c", { year: 2027 }));
    expect(next.number).toBe("HG-收-2027-001");
    await register.addLetterScan(b.id, "tg:two");
    await register.addLetterScan(b.id, "tg:two");
    const rows = await register.registerOfYear(b.propertyId, 2026);
    expect(rows.map((r) => [r.entry.number, r.entry.scans, r.ticketNumber, r.reply])).toEqual([
      ["HG-收-2026-001", [], null, null],
      ["HG-收-2026-002", ["tg:one", "tg:two"], null, null],
    ]);
  });
});
