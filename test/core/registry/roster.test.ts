import { describe, expect, it } from "vitest";
import { planImport } from "../../../src/core/registry/plan.js";
import { labelForms, problemText, readHeaders, readRoster, ROSTER_COLUMNS, ROW_REASONS } from "../../../src/core/registry/roster.js";
import type { RosterRoom } from "../../../src/core/registry/store.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";

const ZONES = [{ id: "z-a", code: "A", name: "A区" }, { id: "z-b", code: "B", name: "B区" }];
const catalog = await loadCatalog();
const renderer = createRenderer(catalog, "Asia/Shanghai");

/** Read rows under a header; the header is line 1. */
function read(header: string[], ...rows: string[][]) {
  const h = readHeaders(header);
  if (!h.ok) throw new Error("bad header");
  return readRoster(h.columns, rows.map((cells, i) => ({ line: i + 2, cells })), ZONES);
}

describe("roster headers", () => {
  it("reads the template's own headers in both languages, and common variants", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const header = ROSTER_COLUMNS.map((c) => renderer.text({ key: `registry.column.${c}` }, locale));
      expect(readHeaders(header), locale).toEqual({ ok: true, columns: ROSTER_COLUMNS, ignored: [] });
    }
    expect(readHeaders(["楼号", "Ｕｎｉｔ", "房间号", "Area", "Owner_Name", "手机号", "是否VIP", "Remarks", "面积"])).toEqual({
      ok: true,
      columns: ["building", "unit", "room", "zone", "owner_name", "phone", "vip", "notes", null],
      ignored: ["面积"],
    });
  });

  it("needs a room column and each column once", () => {
    expect(readHeaders(["姓名", "电话"])).toMatchObject({ ok: false, text: { key: "registry.no_room_column" } });
    expect(readHeaders(["房号", "Room"])).toMatchObject({ ok: false, text: { key: "registry.header_twice" } });
  });
});

describe("roster rows", () => {
  const H = ["楼栋", "单元", "房号", "区域", "业主姓名", "电话", "VIP", "VIP备注", "备注"];

  it("builds the label owners type in full, with the zone's letter, from the parts or from one cell", () => {
    const { entries, problems } = read(
      H,
      ["5栋", "2单元", "301室", "A区", "王先生", "138 1234 5678", "是", "老领导", ""],
      ["12", "", "0803", "b", "", "", "", "", "车位"],
      ["", "", "A区3栋1201", "", "Mr. Smith", "+86 21 1234 5678", "no", "", ""],
      ["", "", "", "", "", "", "", "", ""],
      ["7", "1", "502", "", "李女士", "", "", "", ""],
    );
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { line: 2, entry: { label: "A-5-2-301", zoneId: "z-a", ownerName: "王先生", ownerPhone: "13812345678", vip: true, vipNote: "老领导", notes: null } },
      { line: 3, entry: { label: "B-12-0803", zoneId: "z-b", ownerName: null, ownerPhone: null, vip: false, vipNote: null, notes: "车位" } },
      { line: 4, entry: { label: "A-3-1201", zoneId: "z-a", ownerName: "Mr. Smith", ownerPhone: "021-12345678", vip: false, vipNote: null, notes: null } },
      { line: 6, entry: { label: "7-1-502", zoneId: null, ownerName: "李女士", ownerPhone: null, vip: false, vipNote: null, notes: null } },
    ]);
  });

  it("reports each bad row by its line and reason, every reason worded in both languages", () => {
    const { entries, problems } = read(
      H,
      ["5", "", "", "A", "", "", "", "", ""],
      ["5", "", "12", "A", "", "", "", "", ""],
      ["5", "", "301", "C区", "", "", "", "", ""],
      ["", "", "B-5-301", "A", "", "", "", "", ""],
      ["5", "", "302", "A", "13912345678", "", "", "", ""],
      ["5", "", "303", "A", "", "12345", "", "", ""],
      ["5", "", "304", "A", "", "", "maybe", "", ""],
      ["5", "", "305", "A", "", "", "", "", "x".repeat(201)],
      ["5", "", "306", "A", "", "", "", "", ""],
      ["", "", "A-5-306", "", "", "", "", "", ""],
    );
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [2, "room_missing"], [3, "room_format"], [4, "zone_unknown"], [5, "zone_mismatch"], [6, "name_format"],
      [7, "phone_format"], [8, "vip_value"], [9, "too_long"], [11, "duplicate_room"],
    ]);
    expect(entries.map((e) => e.entry.label)).toEqual(["A-5-306"]);
    expect(renderer.text(problemText(problems.at(-1)!), "zh-CN")).toBe("第 11 行:房号 A-5-306 与第 10 行重复");
    expect(renderer.text(problemText(problems[6]!), "en")).toBe("line 8: VIP “maybe” must be “Yes” or empty");
    for (const reason of ROW_REASONS) for (const l of ["zh-CN", "en"] as const) expect(catalog[l], reason).toHaveProperty([`registry.reason.${reason}`]);
  });

  it("leaves out fields whose column the file lacks", () => {
    const { entries } = read(["房号", "区域"], ["3-1201", "A"]);
    expect(entries[0]!.entry).toEqual({ label: "A-3-1201", zoneId: "z-a" });
  });
});

describe("import plan", () => {
  const room = (label: string, patch: Partial<RosterRoom> = {}): RosterRoom => ({ label, zoneId: null, ownerName: null, ownerPhone: null, vip: false, vipNote: null, notes: null, ...patch });

  it("adds new rooms, updates changed ones, counts the rest, and keeps what the file does not say", () => {
    const existing = [room("3-1201", { ownerName: "王", vip: true, vipNote: "老领导" }), room("3-1202", { ownerName: "李" }), room("9-0101")];
    const plan = planImport(existing, [
      { label: "3-1201", zoneId: null, ownerName: "王" },
      { label: "3-1202", zoneId: null, ownerName: "赵", vip: false },
      { label: "3-1203", zoneId: null, ownerPhone: "13900001111" },
    ]);
    expect(plan).toEqual({ added: [room("3-1203", { ownerPhone: "13900001111" })], changed: [room("3-1202", { ownerName: "赵" })], unchanged: 1 });
    expect(planImport([...plan.added, ...existing], [{ label: "3-1203", zoneId: null, ownerPhone: "13900001111" }])).toEqual({ added: [], changed: [], unchanged: 1 });
  });
});

describe("label forms", () => {
  it("a zoned label is also its short form, and a short one each zone's letter before it", () => {
    expect(labelForms("A-5-301", ZONES)).toEqual(["A-5-301", "5-301"]);
    expect(labelForms("5-301", ZONES)).toEqual(["5-301", "A-5-301", "B-5-301"]);
    expect(labelForms("5-301", [{ id: "z", code: "N1", name: "北区" }])).toEqual(["5-301"]);
  });
});
