import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../../support/db.js";
import { GROUP, staffWorld, type StaffWorld } from "../../admin/staff-world.js";

describe.each(backends())("/staff in chat, through the staff desk on $name", (backend) => {
  let w: StaffWorld;
  beforeEach(async () => {
    w = await staffWorld(backend);
    const { store } = w.db;
    const zhao = await store.person({ platform: "telegram", platformUserId: "u-zhao", displayName: "赵", username: "zhao", locale: "zh-CN" });
    await store.updatePerson(zhao.id, { name: "赵管家" });
    await store.grantStaffRole(zhao.id, { propertyId: w.property.id, zoneId: w.property.zones.find((z) => z.code === "A")!.id, role: "zone_specialist" });
    await store.bindChat({ platform: "telegram", chatId: "-100888", propertyId: w.property.id, purpose: "department", department: "工程部" }, w.clock.now());
    await store.bindChat({ platform: "telegram", chatId: "-100999", propertyId: w.property.id, purpose: "director", department: null }, w.clock.now());
    await store.unbindChat({ platform: "telegram", chatId: "-100999" }, w.clock.now(), []);
  });
  afterEach(() => w.close());

  it("a lead gets the people, their roles and zones, and every bound chat, in the group or in private", async () => {
    const list = await w.staff("wang", "/staff");
    expect(list).toBe(
      [
        "【虹港家园】员工 4 人:",
        "• li @li:客服前台助理",
        "• 赵管家 @zhao:客服专员(管家)(A区)",
        "• wang @wang:客服主管",
        "• boss @boss:管理员",
        "绑定的群 3 个:",
        "• 部门群 · 工程部:telegram -100888",
        "• 主任群:telegram -100999(已解绑)",
        `• 客服工作群:telegram ${GROUP}`,
      ].join("\n"),
    );
    expect(await w.staff("boss", "/staff", "private")).toBe(list);
    expect(await w.staff("boss", "/staff hg", "private")).toBe(list);
  });

  it("anyone else gets what /staff always answered: where this chat stands and the commands", async () => {
    const where = await w.staff("li", "/where");
    expect(where).toContain("本群已绑定为【虹港家园】的客服工作群");
    expect(await w.staff("li", "/staff")).toBe(where);
    expect(await w.staff("zhao" as "li", "/staff")).toBe(where);
    expect(await w.staff("li", "/staff", "private")).toBe(await w.staff("li", "/where", "private"));
    expect(await w.staff("li", "/staff")).not.toContain("@boss");
  });

  it("a lead naming a property they do not lead is told so", async () => {
    await w.db.store.createProperty({ code: "XY", name: "西苑" });
    expect(await w.staff("wang", "/staff XY", "private")).toBe("只有主管、主任或楼盘负责人可以这样操作。");
  });

  it("/staff role: a lead changes a colleague's role or zone, recorded; the admin role and newcomers are not theirs to set", async () => {
    expect(await w.staff("wang", "/staff role @zhao zone_specialist B")).toBe("赵管家 现为【虹港家园】的客服专员(管家)(B区)。");
    expect(await w.staff("wang", "/staff")).toContain("• 赵管家 @zhao:客服专员(管家)(B区)");
    const audit = await w.registry.auditLog(w.property.id, 5);
    expect(audit[0]).toMatchObject({ action: "staff_role_set", actor: { personId: w.people.wang.id }, data: { role: "zone_specialist" } });

    expect(await w.staff("wang", "/staff role @li admin")).toBe("只有管理员可以任命管理员,或更改管理员的角色。");
    expect(await w.staff("wang", "/staff role @boss supervisor")).toBe("只有管理员可以任命管理员,或更改管理员的角色。");
    expect(await w.staff("boss", "/staff role @boss supervisor", "private")).toBe("boss 是【虹港家园】最后一位管理员,不能降级。");
    expect(await w.staff("boss", "/staff HG role @li supervisor", "private")).toBe("li 现为【虹港家园】的客服主管。");

    await w.db.store.person({ platform: "telegram", platformUserId: "u-new", displayName: "新人", username: "newbie", locale: "zh-CN" });
    expect(await w.staff("wang", "/staff role @newbie front_desk")).toBe("新人 不是【虹港家园】的员工;新同事请用邀请码加入。");
    expect(await w.staff("wang", "/staff role @nobody front_desk")).toBe("找不到“@nobody”:此人需先和机器人说过话。");
    expect(await w.staff("wang", "/staff role @zhao zone_specialist Z")).toBe("【虹港家园】没有分区 Z。");
    expect(await w.staff("wang", "/staff role @zhao boss")).toContain("用法:/staff role");
    expect(await w.staff("wang", "/staff nonsense")).toContain("用法:/staff role");

    // Not a lead: /staff is where the chat stands, and nothing changes.
    expect(await w.staff("zhao" as "li", "/staff role @zhao supervisor")).toContain("本群已绑定为【虹港家园】的客服工作群");
    expect((await w.registry.staffMembers(w.property.id)).find((m) => m.person.username === "zhao")).toMatchObject({ role: "zone_specialist" });
  });
});
