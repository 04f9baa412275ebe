import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv, readRosterFile, writeRosterFile } from "../../../src/infra/registry/roster-file.js";

const dir = mkdtempSync(join(tmpdir(), "roster-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("roster files", () => {
  it("parses CSV quotes, doubled quotes, commas and line breaks, keeping each row's first line number", () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""","1\n2"\n\nlast,')).toEqual([
      { line: 1, cells: ["a", "b"] },
      { line: 2, cells: ['x, "y"', "1\n2"] },
      { line: 4, cells: [""] },
      { line: 5, cells: ["last", ""] },
    ]);
  });

  it("writes formula-safe files and reads them back as written, .csv and .xlsx alike", async () => {
    const sheet = { sheetName: "业主档案", header: ["房号", "备注"], rows: [["0803", "=HYPERLINK(\"x\")"], ["1201", "+1, \"quoted\""]], help: { sheetName: "说明", lines: ["x"] } };
    for (const ext of ["csv", "xlsx"]) {
      const path = join(dir, `t.${ext}`);
      await writeRosterFile(path, sheet);
      expect(await readRosterFile(path), ext).toEqual({ ok: true, header: ["房号", "备注"], lines: [{ line: 2, cells: sheet.rows[0] }, { line: 3, cells: sheet.rows[1] }] });
    }
  });

  it("reads numbers typed into a workbook as the digits a person sees, and skips to the first non-empty row for the header", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("s");
    ws.addRow([]);
    ws.addRow(["房号", "电话", "VIP"]);
    ws.addRow([1201, 13812345678, true]);
    const path = join(dir, "numbers.xlsx");
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(await readRosterFile(path)).toEqual({ ok: true, header: ["房号", "电话", "VIP"], lines: [{ line: 3, cells: ["1201", "13812345678", "1"] }] });
  });
});
