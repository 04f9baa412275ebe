import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../../support/db.js";
import { staffWorld, type StaffWorld } from "../../admin/staff-world.js";

describe.each(backends())("/vip, the VIP handbook, through the staff desk on $name", (backend) => {
  let w: StaffWorld;
  beforeEach(async () => {
    w = await staffWorld(backend);
    const zoneA = w.property.zones.find((z) => z.code === "A")!.id;
    const room = { ownerName: null, ownerPhone: null, vip: false, vipNote: null, notes: null };
    await w.registry.applyRoster(
      w.property.id,
      { added: [{ ...room, label: "A-3-1201", zoneId: zoneA, ownerName: "王先生", ownerPhone: "13900001111" }, { ...room, label: "7-0101", zoneId: null }], changed: [] },
      { propertyId: w.property.id, at: w.clock.now(), actor: "cli", action: "rooms_imported", subject: "test", data: {} },
    );
  });
  afterEach(() => w.close());

  it("a lead marks a room's owner VIP by the short room number, lists the handbook, and unmarks it", async () => {
    expect(await w.staff("wang", "/vip HG 3-1201 老领导,上门前先电话")).toBe("⭐ 已将 A-3-1201 标记为重要业主(VIP)。接待要求:老领导,上门前先电话。业主不会看到此标记。");
    expect(await w.staff("boss", "/vip 7-0101", "private")).toContain("已将 7-0101 标记为重要业主");
    expect(await w.staff("wang", "/vip list")).toBe(
      "⭐ 【虹港家园】VIP 手册(共 2 户,仅员工可见):\n7-0101 · - · - · - · -\nA-3-1201 · A区 · 王先生 · 13900001111 · 老领导,上门前先电话",
    );
    expect(await w.staff("wang", "/vip off HG 7-0101")).toBe("已取消 7-0101 的 VIP 标记。");
    expect((await w.registry.vipRooms(w.property.id)).map((r) => r.label)).toEqual(["A-3-1201"]);
    const audit = await w.registry.auditLog(w.property.id, 10);
    expect(audit.filter((a) => a.action !== "rooms_imported").map((a) => [a.action, a.subject])).toEqual(expect.arrayContaining([["vip_set", "A-3-1201"], ["vip_set", "7-0101"], ["vip_cleared", "7-0101"]]));
    expect(audit.find((a) => a.action === "vip_set")!.actor).toMatchObject({ personId: expect.any(String) });
  });

  it("refuses others than leads, rooms not in the registry, and says how to use it", async () => {
    expect(await w.staff("li", "/vip list HG")).toBe("只有主管、主任或楼盘负责人可以这样操作。");
    expect(await w.staff("li", "/vip HG 3-1201 x")).toContain("只有主管");
    expect(await w.staff("wang", "/vip HG 9-9999 x")).toBe("房号 9-9999 不在 HG 的房号登记中;请先用 rooms import 导入业主档案。");
    expect(await w.staff("wang", "/vip HG 电梯")).toContain("用法:/vip");
    expect(await w.staff("wang", `/vip HG 3-1201 ${"长".repeat(201)}`)).toContain("200 字以内");
    expect(await w.staff("wang", "/vip list ZZ")).toContain("用法");
    expect((await w.registry.vipRooms(w.property.id))).toEqual([]);
  });
});
