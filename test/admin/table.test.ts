import { describe, expect, it } from "vitest";
import { displayWidth, editDistance, nearest, table } from "../../src/admin/table.js";

describe("admin tables", () => {
  it("counts Chinese characters and full-width forms as two columns", () => {
    expect(displayWidth("HG")).toBe(2);
    expect(displayWidth("虹港家园")).toBe(8);
    expect(displayWidth("A区,B区")).toBe(7);
    expect(displayWidth("(ＡＢ)")).toBe(6);
  });

  it("aligns every column by display width, without trailing spaces", () => {
    expect(table(["代码", "名称", "分区"], [["HG", "虹港家园", "A"], ["JXY", "Jinxing", "-"]])).toEqual([
      "代码  名称      分区",
      "----  --------  ----",
      "HG    虹港家园  A",
      "JXY   Jinxing   -",
    ]);
  });

  it("suggests the nearest command only when it is near", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    const names = ["property list", "rooms import", "staff remove"];
    expect(nearest("proprety list", names)).toBe("property list");
    expect(nearest("ROOMS IMPORT", names)).toBe("rooms import");
    expect(nearest("deploy", names)).toBeNull();
  });
});
