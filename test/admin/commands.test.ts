import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAdmin } from "../../src/admin/commands.js";
import type { Text } from "../../src/core/text.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer } from "../../src/i18n/render.js";
import { TestClock } from "../support/chat.js";
import { freshSqliteStore, type TestStore } from "../support/db.js";

let db: TestStore;
let said: string[];
const clock = new TestClock();
let admin: (...argv: string[]) => Promise<number>;

beforeEach(async () => {
  db = await freshSqliteStore();
  const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
  said = [];
  admin = (...argv) => runAdmin(argv, db.store, clock, (...lines: Text[]) => said.push(lines.map((l) => renderer.text(l, "zh-CN")).join("\n")));
});
afterEach(() => db.close());

describe("admin tool", () => {
  it("creates a property with zones and issues codes that /join and /bind accept", async () => {
    expect(await admin("property", "add", "jx", "金星苑", "--zones", "A:A区,B:B区")).toBe(0);
    expect(said.at(-1)).toBe("已创建小区 JX 金星苑(分区:A区, B区)。");
    expect(await admin("invite", "join", "JX", "zone_specialist", "--zone", "B", "--hours", "24")).toBe(0);
    const joinCode = /邀请码 (\w{8})/.exec(said.at(-1)!)![1]!;
    const person = await db.store.person({ platform: "telegram", platformUserId: "1", locale: "zh-CN" });
    const redeemed = await db.store.redeemInvite(joinCode, "join", person.id, clock.now());
    const zoneB = (await db.store.properties())[0]!.zones.find((z) => z.code === "B")!;
    expect(redeemed).toMatchObject({ ok: true, invite: { grant: { kind: "join", role: "zone_specialist", zoneId: zoneB.id } } });
    expect(await admin("invite", "bind", "jx", "department", "--department", "工程部")).toBe(0);
    expect(said.at(-1)).toContain("该群即成为【金星苑】的部门群");
  });

  it("says what is wrong and exits non-zero", async () => {
    expect(await admin("invite", "join", "XX", "supervisor")).toBe(1);
    expect(said.at(-1)).toContain("没有代码为 XX 的小区");
    await admin("property", "add", "HG", "虹港家园");
    expect(await admin("invite", "join", "HG", "boss")).toBe(2);
    expect(said.at(-1)).toContain("用法");
    expect(await admin("invite", "join", "HG", "supervisor", "--zone", "Z")).toBe(1);
    expect(await admin("invite", "join", "HG", "supervisor", "--hours", "-1")).toBe(2);
    expect(await admin("nothing")).toBe(2);
  });
});
