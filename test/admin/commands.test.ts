import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMAND_NAMES } from "../../src/admin/commands.js";
import { displayWidth } from "../../src/admin/table.js";
import { backends } from "../support/db.js";
import { adminWorld, type AdminWorld } from "./harness.js";

describe.each(backends())("admin tool on $name", (backend) => {
  let w: AdminWorld;
  beforeEach(async () => {
    w = await adminWorld(backend);
  });
  afterEach(() => w.close());

  it("creates a property with zones and issues codes that /join and /bind accept", async () => {
    expect(await w.admin("property", "add", "jx", "金星苑", "--zones", "A:A区,B:B区")).toBe(0);
    expect(w.take()).toBe("已创建小区 JX 金星苑(分区:A区, B区)。");
    expect(await w.admin("invite", "join", "JX", "zone_specialist", "--zone", "b", "--hours", "24")).toBe(0);
    const joinCode = /邀请码 (\w{8})/.exec(w.take())![1]!;
    const person = await w.db.store.person({ platform: "telegram", platformUserId: "1", locale: "zh-CN" });
    const redeemed = await w.db.store.redeemInvite(joinCode, "join", person.id, w.clock.now());
    const zoneB = (await w.db.store.properties())[0]!.zones.find((z) => z.code === "B")!;
    expect(redeemed).toMatchObject({ ok: true, invite: { grant: { kind: "join", role: "zone_specialist", zoneId: zoneB.id } } });
    expect(await w.admin("invite", "bind", "jx", "department", "--department", "工程部")).toBe(0);
    expect(w.take()).toContain("该群即成为【金星苑】的部门群");
  });

  it("invite bind --zone makes a code for one zone's staff group; another purpose or an unknown zone is refused", async () => {
    await w.admin("property", "add", "HG", "虹港家园", "--zones", "A:A区,B:B区");
    w.take();
    expect(await w.admin("invite", "bind", "HG", "staff", "--zone", "a")).toBe(0);
    const said = w.take();
    expect(said).toContain("该群即成为【虹港家园】A区的客服工作群,只接收A区的工单和未分区的工单");
    const code = /绑定码 (\w{8})/.exec(said)![1]!;
    const zoneA = (await w.db.store.properties())[0]!.zones.find((z) => z.code === "A")!;
    expect(await w.db.store.findInvite(code)).toMatchObject({ grant: { kind: "bind", purpose: "staff", zoneId: zoneA.id } });
    expect(await w.admin("invite", "bind", "HG", "director", "--zone", "A")).toBe(2);
    expect(await w.admin("invite", "bind", "HG", "staff", "--zone", "Z")).toBe(1);
    expect(w.take()).toContain("Z");
  });

  it("lists properties as a table whose columns line up under Chinese names, in the operator's language", async () => {
    await w.admin("property", "add", "HG", "虹港家园", "--zones", "A:A区,B:B区", "--en", "Honggang Garden");
    await w.admin("property", "add", "X", "Xyz");
    w.take();
    expect(await w.admin("property", "list")).toBe(0);
    const lines = w.take().split("\n");
    expect(lines[0]).toMatch(/^代码\s+名称\s+英文名\s+分区\s+房间\s+VIP$/);
    expect(lines[2]).toMatch(/^HG\s+虹港家园\s+Honggang Garden\s+A:A区, B:B区\s+0\s+0$/);
    // Each column starts at the same display column on every line (a Chinese character is two wide).
    const startOf = (line: string, cell: string) => displayWidth(line.slice(0, line.indexOf(cell)));
    expect(startOf(lines[2]!, "Honggang")).toBe(startOf(lines[0]!, "英文名"));
    expect(startOf(lines[3]!, "-")).toBe(startOf(lines[0]!, "英文名"));
    expect(await w.adminIn("en", "property", "list")).toBe(0);
    expect(w.take().split("\n")[0]).toMatch(/^Code\s+Name\s+English name\s+Zones\s+Rooms\s+VIP$/);
  });

  it("every command has --help, exits 0 with its usage", async () => {
    for (const name of COMMAND_NAMES) {
      expect(await w.admin(...name.split(" "), "--help"), name).toBe(0);
      expect(w.take(), name).toContain(name);
    }
    expect(await w.admin("--help")).toBe(0);
    expect(w.take()).toContain("rooms template | rooms import | rooms export");
    expect(await w.admin("staff", "-h")).toBe(0);
    expect(w.take()).toContain("staff remove");
  });

  it("a mistyped command gets the nearest one, an unknown one the usage", async () => {
    expect(await w.admin("proprety", "list")).toBe(2);
    expect(w.take()).toContain("您是不是要用:property list");
    expect(await w.admin("rooms", "imprt", "HG", "x.csv")).toBe(2);
    expect(w.take()).toContain("rooms import");
    expect(await w.admin("staf", "remove")).toBe(2);
    expect(w.take()).toContain("staff remove");
    expect(await w.adminIn("en", "invte", "revoke")).toBe(2);
    expect(w.take()).toContain("Did you mean: invite revoke?");
    expect(await w.admin("nothing")).toBe(2);
    expect(w.take()).toContain("用法");
    expect(await w.admin()).toBe(2);
  });

  it("says what is wrong with bad input and exits non-zero", async () => {
    expect(await w.admin("invite", "join", "XX", "supervisor")).toBe(1);
    expect(w.take()).toContain("没有代码为 XX 的小区");
    await w.admin("property", "add", "HG", "虹港家园", "--zones", "A:A区");
    w.take();
    expect(await w.admin("property", "add", "HG")).toBe(2);
    // A taken code, a code the store cannot hold, repeated zones: told so, never the store's error.
    expect(await w.admin("property", "add", "hg", "又一个")).toBe(1);
    expect(w.take()).toContain("已有代码为 HG 的小区");
    expect(await w.admin("property", "add", "H-G1", "x")).toBe(2);
    expect(await w.admin("property", "add", "JX", "金星苑", "--zones", "A:A区,a:又一个A区")).toBe(2);
    expect(w.take()).toContain("代码为 1–6 个字母");
    expect((await w.db.store.properties()).map((p) => [p.code, p.name])).toEqual([["HG", "虹港家园"]]);
    expect(await w.admin("invite", "join", "HG", "boss")).toBe(2);
    expect(w.take()).toContain("用法");
    expect(await w.admin("invite", "join", "HG", "supervisor", "--zone", "Z")).toBe(1);
    expect(await w.admin("invite", "join", "HG", "supervisor", "--hours", "-1")).toBe(2);
    expect(await w.admin("invite", "join", "HG", "supervisor", "--hours")).toBe(2);
    expect(w.take()).toContain("参数有误");
    expect(await w.admin("invite", "bind", "HG", "party")).toBe(2);
    expect(await w.admin("invite", "revoke")).toBe(2);
    expect(await w.admin("rooms", "import", "HG")).toBe(2);
    expect(await w.admin("rooms", "template", "HG", "out.txt")).toBe(2);
    expect(await w.admin("rooms", "export", "NOPE")).toBe(1);
    expect(await w.admin("staff", "list", "NOPE")).toBe(1);
    expect(await w.admin("staff", "role", "HG", "@wang", "boss")).toBe(2);
    expect(await w.admin("staff", "role", "HG", "@nobody", "supervisor")).toBe(1);
    expect(w.take()).toContain("找不到“@nobody”");
    expect(await w.admin("staff", "remove", "HG")).toBe(2);
    expect(await w.admin("chat", "unbind", "whatsapp", "1")).toBe(2);
    expect(await w.admin("chat", "unbind", "telegram")).toBe(2);
  });

  it("revokes an unused code, and says why it cannot revoke others", async () => {
    await w.admin("property", "add", "HG", "虹港家园");
    await w.admin("invite", "join", "HG", "supervisor");
    const code = /邀请码 (\w{8})/.exec(w.take())![1]!;
    expect(await w.admin("invite", "revoke", code.toLowerCase())).toBe(0);
    expect(w.take()).toBe(`邀请码 ${code} 已作废。`);
    const person = await w.db.store.person({ platform: "telegram", platformUserId: "9", locale: "zh-CN" });
    expect(await w.db.store.redeemInvite(code, "join", person.id, w.clock.now())).toEqual({ ok: false, code: "invite_expired" });
    expect(await w.admin("invite", "revoke", code)).toBe(1);
    expect(await w.admin("invite", "revoke", "ZZZZZZZZ")).toBe(1);
    expect(w.take()).toContain("没有邀请码 ZZZZZZZZ");
    await w.admin("invite", "join", "HG", "supervisor");
    const used = /邀请码 (\w{8})/.exec(w.take())![1]!;
    await w.db.store.redeemInvite(used, "join", person.id, w.clock.now());
    expect(await w.admin("invite", "revoke", used)).toBe(1);
    expect(w.take()).toContain("已被使用");
    const property = (await w.db.store.properties())[0]!;
    expect((await w.registry.auditLog(property.id, 10)).map((a) => [a.action, a.subject, a.actor])).toEqual([["invite_revoked", code, "cli"]]);
  });

  it("unbinds a chat, a Telegram group's negative id included", async () => {
    await w.admin("property", "add", "HG", "虹港家园");
    const property = (await w.db.store.properties())[0]!;
    await w.db.store.bindChat({ platform: "telegram", chatId: "-100123", propertyId: property.id, purpose: "staff", department: null }, w.clock.now());
    w.take();
    expect(await w.admin("chat", "unbind", "telegram", "-100123")).toBe(0);
    expect(w.take()).toBe("已解除 telegram -100123 与【虹港家园】的绑定(原为客服工作群),此后不再往该群发送工单。");
    expect(await w.db.store.chatBinding({ platform: "telegram", chatId: "-100123" })).toMatchObject({ active: false });
    expect(await w.admin("chat", "unbind", "telegram", "-100123")).toBe(1);
    expect((await w.registry.auditLog(property.id, 10))[0]).toMatchObject({ action: "chat_unbound", subject: "telegram:-100123" });
  });
});
