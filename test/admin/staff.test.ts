import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../support/db.js";
import { GROUP, staffWorld, type StaffWorld } from "./staff-world.js";

/** In a group of the property, or in private once no property is left to them. */
const NOT_STAFF = "您不是这个小区的工作人员|您还不是任何小区的工作人员";

describe.each(backends())("staff lifecycle from the admin tool on $name", (backend) => {
  let w: StaffWorld;
  beforeEach(async () => {
    w = await staffWorld(backend);
  });
  afterEach(() => w.close());

  it("a removed colleague's next command and button are refused, and their open tickets go back to the pool with a notice", async () => {
    for (const n of [1, 2, 3, 4]) await w.file(n);
    expect(await w.staff("wang", "claim:HG-0001")).toContain("已受理 HG-0001");
    expect(await w.staff("wang", "/claim HG-0002")).toContain("已受理 HG-0002");
    expect(await w.staff("wang", "/reply HG-0002 师傅下午到", "private")).toContain("已把回复转给");
    expect(await w.staff("wang", "/claim HG-0003")).toContain("已受理 HG-0003");
    const waiting = (await w.db.store.ticketByNumber("HG-0003"))!;
    await w.db.store.applyTransition(waiting.id, "claimed", "waiting_owner", { at: w.clock.now(), type: "transition", actorKind: "staff", actorId: w.people.wang.id, channel: "telegram", fromStatus: null, toStatus: null, data: { action: "await_owner" } });
    expect(await w.staff("li", "/claim HG-0004")).toContain("已受理 HG-0004");
    expect((await w.db.store.ticketByNumber("HG-0002"))!.status).toBe("in_progress");

    w.clock.advance(3_600_000);
    const removedAt = w.clock.now();
    w.take();
    expect(await w.admin("staff", "remove", "HG", "@WANG")).toBe(0);
    expect(w.take()).toBe(
      "已移除 wang 在【虹港家园】的全部权限(原角色:客服主管),即时生效,已记入审计日志。\n3 张未完成工单已退回待受理并通知员工群:HG-0001, HG-0002, HG-0003",
    );

    for (const number of ["HG-0001", "HG-0002", "HG-0003"]) {
      const t = (await w.db.store.ticketByNumber(number))!;
      expect(t, number).toMatchObject({ status: "new", assigneeId: null, awaitingClaimSince: removedAt });
      expect((await w.db.store.ticketEvents(t.id)).at(-1)).toMatchObject({ type: "transition", actorKind: "system", toStatus: "new", data: { action: "unclaim", reason: "staff_removed", personId: w.people.wang.id } });
    }
    expect((await w.db.store.ticketByNumber("HG-0004"))!).toMatchObject({ status: "claimed", assigneeId: w.people.li.id });
    const notices = (await w.db.outbox.due(removedAt, 100)).map((r) => r.message).filter((m) => m.kind === "message" && m.body.text[0]?.key === "registry.released");
    expect(notices.map((m) => [m.to.chatId, m.ticketId])).toHaveLength(3);
    expect(notices.every((m) => m.to.chatId === GROUP)).toBe(true);
    expect((await w.registry.auditLog(w.property.id, 5))[0]).toMatchObject({ action: "staff_removed", subject: w.people.wang.id, actor: "cli", data: { roles: ["supervisor"], tickets: ["HG-0001", "HG-0002", "HG-0003"] } });

    // Every command and button, in the group and in private, a card's button posted before the removal included.
    for (const [text, where] of [
      ["claim:HG-0001", "group"], ["/claim HG-0001", "group"], ["/claim HG-0002", "private"], ["ticket:HG-0001", "group"],
      ["/note HG-0004 x", "group"], ["/reopen HG-0004 x", "private"], ["/mine", "group"], ["/unclaimed", "private"], ["/vip list HG", "group"],
    ] as const) {
      expect(await w.staff("wang", text, where), text).toMatch(new RegExp(`${NOT_STAFF}|只有主管`));
    }
    expect((await w.db.store.ticketByNumber("HG-0001"))!.status).toBe("new");
    expect(await w.staff("li", "claim:HG-0001")).toContain("已受理 HG-0001");

    expect(await w.admin("staff", "remove", "HG", "@wang")).toBe(1);
    expect(w.take()).toContain("wang 不是【虹港家园】的员工");
    expect(await w.admin("audit", "list", "HG")).toBe(0);
    const audit = w.take().split("\n");
    expect(audit[0]).toBe("【虹港家园】审计日志(最近 1 条):");
    expect(audit[3]).toMatch(/^2026-11-23 03:00\s+cli\s+移除员工\s+wang @wang\s+\{"roles":\["supervisor"\],"tickets":\["HG-0001","HG-0002","HG-0003"\]\}$/);
  });

  it("the last admin is removed or demoted only with --force; a role change replaces the person's roles", async () => {
    // A second apart, as an operator types them, so the audit log's order is the commands' order.
    const admin = (...argv: string[]) => (w.clock.advance(1000), w.admin(...argv));
    expect(await admin("staff", "remove", "HG", "@boss")).toBe(1);
    expect(w.take()).toContain("boss 是【虹港家园】最后一位管理员");
    expect(await admin("staff", "role", "HG", "@boss", "supervisor")).toBe(1);
    expect(await admin("staff", "role", "HG", "@wang", "admin")).toBe(0);
    expect(await admin("staff", "role", "HG", "@boss", "supervisor")).toBe(0);
    expect(await admin("staff", "remove", "HG", "@wang")).toBe(1);
    expect(await admin("staff", "remove", "HG", "@wang", "--force")).toBe(0);
    expect(await w.db.store.staffRoles(w.people.wang.id)).toEqual([]);

    expect(await admin("staff", "role", "HG", w.people.li.id, "zone_specialist", "--zone", "a")).toBe(0);
    expect(w.take()).toContain("li 现为【虹港家园】的客服专员(管家)(分区:A区)");
    const zoneA = w.property.zones.find((z) => z.code === "A")!;
    expect(await w.db.store.staffRoles(w.people.li.id)).toEqual([{ propertyId: w.property.id, zoneId: zoneA.id, role: "zone_specialist" }]);
    expect(await admin("staff", "role", "HG", "telegram:u-li", "front_desk", "--zone", "Q")).toBe(1);
    expect((await w.registry.auditLog(w.property.id, 10)).map((a) => a.action)).toEqual(["staff_role_set", "staff_removed", "staff_role_set", "staff_role_set"]);
  });

  it("lists staff and the property's chats as tables", async () => {
    expect(await w.admin("staff", "list", "HG")).toBe(0);
    const lines = w.take().split("\n");
    expect(lines[0]).toBe("【虹港家园】员工 3 人:");
    expect(lines[1]).toMatch(/^姓名\s+账号\s+角色\s+分区\s+加入日期\s+编号$/);
    // In the order of STAFF_ROLES: front desk, …, supervisor, …, admin.
    expect(lines.slice(3, 6).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ["li", "@li", "客服前台助理", "-"],
      ["wang", "@wang", "客服主管", "-"],
      ["boss", "@boss", "管理员", "-"],
    ]);
    expect(lines).toContain("绑定的群 1 个:");
    expect(lines.at(-1)).toMatch(/^客服工作群\s+-\s+telegram -100777\s+是$/);
    expect(await w.adminIn("en", "staff", "list", "HG")).toBe(0);
    expect(w.take()).toContain("Bound chats: 1");
  });

  it("a name several people share is refused with their ids", async () => {
    const other = await w.db.store.person({ platform: "slack", platformUserId: "U1", username: "wang", locale: "zh-CN" });
    expect(await w.admin("staff", "remove", "HG", "@wang")).toBe(1);
    expect(w.take()).toContain(other.id);
    expect(await w.admin("staff", "remove", "HG", w.people.wang.id)).toBe(0);
  });
});
