/** `invite join|bind --company`: the hotline's company codes from the admin tool (issue 14, item 1). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAdmin } from "../../src/admin/commands.js";
import { loadCatalog } from "../../src/i18n/catalog.js";
import { createRenderer } from "../../src/i18n/render.js";
import { hotlineStore } from "../../src/infra/prisma/hotline.js";
import { registryStore } from "../../src/infra/prisma/registry.js";
import { TestClock } from "../support/chat.js";
import { backends, type TestStore } from "../support/db.js";

describe.each(backends())("company invite codes on $name", (backend) => {
  let db: TestStore;
  const out: string[] = [];
  const clock = new TestClock();
  let admin: (...argv: string[]) => Promise<number>;

  beforeAll(async () => {
    db = await backend.open();
    const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    const deps = { store: db.store, registry: db.use(registryStore), hotline: db.use(hotlineStore), clock, text: (x: Parameters<typeof renderer.text>[0]) => renderer.text(x, "zh-CN"), print: (l: string) => void out.push(l), staffLocale: "zh-CN" as const };
    admin = (...argv) => runAdmin(argv, deps);
  });
  afterAll(() => db?.close());

  it("prints a code that makes a hotline officer, and one that binds the hotline group", async () => {
    expect(await admin("invite", "join", "--company", "hotline_officer")).toBe(0);
    const join = /HL-[2-9A-Z]{8}/.exec(out.splice(0).join("\n"))?.[0];
    expect(join).toBeDefined();
    const hotline = db.use(hotlineStore);
    const person = await db.store.person({ platform: "telegram", platformUserId: "u1", displayName: "小周", locale: "zh-CN" });
    expect(await hotline.redeemCompanyInvite(join!, "join", person.id, null, clock.now())).toEqual({ ok: true, grant: { kind: "join", role: "hotline_officer" } });
    expect(await hotline.companyRoles(person.id)).toEqual(["hotline_officer"]);

    expect(await admin("invite", "bind", "--company", "--hours", "2")).toBe(0);
    const text = out.splice(0).join("\n");
    expect(text).toContain("/bind HL-");
  });

  it("refuses a role the company does not have, and a property's role", async () => {
    expect(await admin("invite", "join", "--company", "supervisor")).toBe(2);
    expect(out.splice(0).join("\n")).toContain("hotline_officer general_manager");
  });
});
