import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRosterFile } from "../../src/infra/registry/roster-file.js";
import { backends } from "../support/db.js";
import { adminWorld, type AdminWorld } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "roster-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = "楼栋,单元,房号,区域,业主姓名,电话,VIP,VIP备注,备注";
const SURNAMES = [..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"];
const GIVEN = [..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅"];

/** Row i of a 5,000-room roster: 50 buildings of two units, 25 floors of two doors; A区 buildings 1–25. */
function rosterRow(i: number): string[] {
  const building = 1 + Math.floor(i / 100);
  const unit = 1 + Math.floor((i % 100) / 50);
  const room = (1 + Math.floor((i % 50) / 2)) * 100 + 1 + (i % 2);
  const vip = i % 100 === 7;
  return [
    String(building), String(unit), String(room), building <= 25 ? "A" : "B区",
    `${SURNAMES[i % 20]}${GIVEN[Math.floor(i / 20) % 30]}`, `138${String(i).padStart(8, "0")}`,
    vip ? "是" : "", vip ? "老领导,上门前先电话" : "", i % 10 === 0 ? "=SUM(1)" : "",
  ];
}

function csv(rows: readonly (readonly string[])[], header = HEADER): string {
  const quote = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return `\ufeff${[header, ...rows.map((r) => r.map(quote).join(","))].join("\r\n")}\r\n`;
}

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe.each(backends())("rooms import, export and template on $name", (backend) => {
  let w: AdminWorld;
  let propertyId: string;
  beforeEach(async () => {
    w = await adminWorld(backend);
    await w.admin("property", "add", "HG", "虹港家园", "--zones", "A:A区,B:B区");
    propertyId = (await w.db.store.properties())[0]!.id;
    w.take();
  });
  afterEach(() => w.close());

  it("a 5,000-row roster with 3 bad rows: exactly those 3 reported, nothing imported; --skip-bad imports the rest; again is a no-op", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => rosterRow(i));
    rows[100]![5] = "12345"; // line 102
    rows[2500]![3] = "C"; // line 2502
    rows[4999]![2] = "12"; // line 5001
    const file = write(`big-${backend.name}.csv`, csv(rows));

    expect(await w.admin("rooms", "import", "HG", file)).toBe(1);
    const report = w.take();
    const listed = report.split("\n").filter((l) => /^\d+\s/.test(l));
    expect(listed).toEqual([
      expect.stringMatching(/^102\s+第 102 行:电话“12345”不是有效的手机或座机号码$/),
      expect.stringMatching(/^2502\s+第 2502 行:分区“C”不是本小区的分区$/),
      expect.stringMatching(/^5001\s+第 5001 行:房号“50 2 12”无法识别/),
    ]);
    expect(report).toContain("共 5000 行,其中 3 行有误,未导入任何数据");
    expect(await w.registry.roster(propertyId)).toEqual([]);

    expect(await w.admin("rooms", "import", "HG", file, "--skip-bad")).toBe(0);
    const imported = w.take();
    expect(imported).toMatch(/新增\s+4997/);
    expect(imported).toMatch(/错行\(未导入\)\s+3/);
    const badPath = join(dir, `big-${backend.name}.bad.csv`);
    expect(imported).toContain(`3 行错误已写入 ${badPath}`);
    const bad = await readRosterFile(badPath);
    expect(bad.ok && bad.lines.map((l) => [l.cells[9], l.cells[2]])).toEqual([["102", "101"], ["2502", "101"], ["5001", "12"]]);

    const roster = await w.registry.roster(propertyId);
    expect(roster).toHaveLength(4997);
    expect(roster.find((r) => r.label === "A-1-1-101")).toEqual({
      label: "A-1-1-101", zoneId: expect.any(String), ownerName: "王伟", ownerPhone: "13800000000", vip: false, vipNote: null, notes: "=SUM(1)",
    });
    expect(roster.filter((r) => r.vip)).toHaveLength(50);
    const audits = (await w.registry.auditLog(propertyId, 10)).length;

    expect(await w.admin("rooms", "import", "HG", file, "--skip-bad")).toBe(0);
    const again = w.take();
    expect(again).toMatch(/新增\s+0\n/);
    expect(again).toMatch(/更新\s+0\n/);
    expect(again).toMatch(/未变\s+4997/);
    expect((await w.registry.auditLog(propertyId, 10)).length).toBe(audits);

    // The bad rows fixed, one owner changed: 3 added, 1 changed.
    rows[100]![5] = "13900000100";
    rows[2500]![3] = "B";
    rows[4999]![2] = "2502";
    rows[7]![4] = "新业主";
    expect(await w.admin("rooms", "import", "HG", write(`fixed-${backend.name}.csv`, csv(rows)))).toBe(0);
    const fixed = w.take();
    expect(fixed).toMatch(/新增\s+3\n/);
    expect(fixed).toMatch(/更新\s+1\n/);
    expect((await w.registry.roster(propertyId)).find((r) => r.label === "A-1-1-402")?.ownerName).toBe("新业主");
  }, 120_000);

  it("exports what imports back unchanged, as .xlsx and .csv; the template imports as nothing", async () => {
    const rows = [rosterRow(0), rosterRow(7), rosterRow(3000), ["", "", "B区12栋0803室", "", "赵先生", "+86 137 0000 3333", "是", "", "车位 \"B-12\""]];
    expect(await w.admin("rooms", "import", "HG", write(`small-${backend.name}.csv`, csv(rows)))).toBe(0);
    expect(w.take()).toMatch(/新增\s+4/);
    for (const ext of ["xlsx", "csv"]) {
      const out = join(dir, `export-${backend.name}.${ext}`);
      expect(await w.admin("rooms", "export", "HG", out)).toBe(0);
      expect(w.take()).toContain("已导出【虹港家园】的业主档案 4 户");
      expect(await w.admin("rooms", "import", "HG", out)).toBe(0);
      expect(w.take()).toMatch(/新增\s+0\n更新\s+0\n未变\s+4/);
    }
    const exported = readFileSync(join(dir, `export-${backend.name}.csv`), "utf8");
    expect(exported.split("\r\n")[0]).toBe(`\ufeff${HEADER}`);
    expect(exported).toContain("12,,0803,B,赵先生,13700003333,是,,\"车位 \"\"B-12\"\"\"");
    expect(exported).toContain("'=SUM(1)");

    const template = join(dir, `template-${backend.name}.xlsx`);
    expect(await w.adminIn("en", "rooms", "template", "HG", template)).toBe(0);
    const read = await readRosterFile(template);
    expect(read.ok && read.header).toEqual(["Building", "Unit", "Room", "Zone", "Owner name", "Phone", "VIP", "VIP note", "Notes"]);
    w.take();
    expect(await w.admin("rooms", "import", "HG", template)).toBe(0);
    expect(w.take()).toMatch(/新增\s+0\n/);
  });

  it("reads English headers, leaves columns the file lacks alone, and finds a room by the short form owners type", async () => {
    await w.admin("rooms", "import", "HG", write(`vip-${backend.name}.csv`, csv([["3", "", "1201", "A", "", "", "是", "老领导", ""]])));
    const english = "Building,Unit,Room,Zone,Owner name,Mobile,Floor";
    expect(await w.admin("rooms", "import", "HG", write(`en-${backend.name}.csv`, csv([["3", "", "1201", "A区", "Mr. Smith", "13900001111", "12"]], english)))).toBe(0);
    expect(w.take()).toContain("以下列不认识,已忽略:Floor");
    const [room] = await w.registry.roster(propertyId);
    expect(room).toMatchObject({ label: "A-3-1201", ownerName: "Mr. Smith", ownerPhone: "13900001111", vip: true, vipNote: "老领导" });
    expect((await w.db.store.properties())[0]!.hasRoomRegistry).toBe(true);
    expect(await w.db.store.findRoom(propertyId, "3-1201")).toMatchObject({ label: "A-3-1201" });
    expect(await w.db.store.findRoom(propertyId, "A-3-1201")).toMatchObject({ label: "A-3-1201" });
    expect(await w.db.store.findRoom(propertyId, "3-1202")).toBeNull();
    expect(await w.registry.roomsByPhone(propertyId, "13900001111")).toHaveLength(1);
  });

  it("refuses files it cannot read, without a stack", async () => {
    expect(await w.admin("rooms", "import", "HG", join(dir, "none.csv"))).toBe(1);
    expect(w.take()).toContain("找不到文件");
    expect(await w.admin("rooms", "import", "HG", write("x.txt", "a"))).toBe(1);
    expect(w.take()).toContain("只能导入 .xlsx 或 .csv");
    expect(await w.admin("rooms", "import", "HG", write("broken.xlsx", "not a zip"))).toBe(1);
    expect(w.take()).toContain("无法读取");
    expect(await w.admin("rooms", "import", "HG", write("empty.csv", "\ufeff\r\n"))).toBe(1);
    expect(await w.admin("rooms", "import", "HG", write("nohead.csv", "姓名,电话\r\n王先生,13900001111\r\n"))).toBe(1);
    expect(w.take()).toContain("找不到房号列");
    expect(await w.admin("rooms", "import", "HG", write("twice.csv", "房号,room\r\n3-1201,3-1202\r\n"))).toBe(1);
    expect(w.take()).toContain("表头里“房号”出现了两次");
  });
});
