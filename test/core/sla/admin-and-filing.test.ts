import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAdmin } from "../../../src/admin/commands.js";
import { registryStore } from "../../../src/infra/prisma/registry.js";
import { OwnerDesk } from "../../../src/core/desk/owner-desk.js";
import type { Text } from "../../../src/core/text.js";
import { sequentialIds } from "../../support/chat.js";
import { backends } from "../../support/db.js";
import { openWorld, sh, type World } from "../../support/sla-world.js";
import { anyLevel } from "../../support/logger.js";

describe.each(backends())("SLA policy administration and filing on $name", (backend) => {
  let w: World;
  let said: string[];
  const admin = (...argv: string[]) =>
    runAdmin(argv, { store: w.store, registry: w.db.use(registryStore), sla: w.sla, clock: w.clock, text: (x: Text) => w.render([x]), print: (l) => said.push(l), staffLocale: "zh-CN" });
  beforeEach(async () => {
    w = await openWorld(backend);
    said = [];
  });
  afterEach(() => w.close());

  it("shows the defaults, saves overrides, and restores a default", async () => {
    expect(await admin("sla", "show", "hg")).toBe(0);
    expect(said[0]).toContain("虹港家园(HG)的服务时限:");
    expect(said[0]).toContain("hours = 08:30-18:00 — 营业时间");
    expect(said[0]).toContain("reply.repair = 2h — 报修首次回复时限");

    expect(await admin("sla", "set", "HG", "reply.repair=90m", "hours=09:00-17:30", "step=15")).toBe(0);
    expect(said[1]).toContain("已保存虹港家园(HG)的服务时限。");
    expect(said[1]).toContain("reply.repair = 1h30m(已修改,默认 2h)");
    expect(said[1]).toContain("step = 15m(已修改,默认 30m)");
    const policy = await w.sla.policyOf(w.property.id);
    expect(policy.replyMinutes.repair).toBe(90);
    expect(policy.businessHours).toMatchObject({ open: 540, close: 1050 });

    expect(await admin("sla", "set", "HG", "hours=default")).toBe(0);
    expect(await w.sla.overridesOf(w.property.id)).toEqual({ "reply.repair": "1h30m", step: "15m" });
  });

  it("refuses bad settings without changing anything, and says why", async () => {
    await admin("sla", "set", "HG", "claim=1h");
    expect(await admin("sla", "set", "HG", "claim=2h", "reply.pizza=1h", "days=8")).toBe(1);
    expect(said.at(-1)).toContain("没有设置项 reply.pizza");
    expect(said.at(-1)).toContain("days 的值「8」无效:应为营业日");
    expect(await w.sla.overridesOf(w.property.id)).toEqual({ claim: "1h" });
    expect(await admin("sla", "show", "XX")).toBe(1);
    expect(await admin("sla", "set", "HG")).toBe(2);
    expect(said.at(-1)).toContain("用法:sla show");
  });

  it("promises the owner the first reply under the property's policy, in business hours", async () => {
    await w.sla.setOverrides(w.property.id, { "reply.complaint": "1h" }, sh("2026-11-23T09:00"));
    w.clock.at = sh("2026-11-23T17:30");
    const desk = new OwnerDesk({ store: w.store, clock: w.clock, ids: sequentialIds(), logger: anyLevel((_m, e) => void w.errors.push({ message: "desk", error: e })), slaPolicy: w.sla.policyOf });
    const script = ["保安态度太差了,我要投诉", "1", "A区5栋2单元301", "王先生", "13900001111", "公共区域", "南门岗亭", "跳过", "1"];
    let last = "";
    for (const text of script) {
      const outcome = await desk.handle({ channel: "telegram", conversationKey: "telegram:o-2", sender: { platformUserId: "o-2", displayName: "王先生" }, body: { type: "text", text } });
      last = outcome.replies.map((r) => w.render(r.text)).join("\n");
    }
    expect(w.errors).toEqual([]);
    // 30 minutes today until 18:00, 30 more from 08:30 tomorrow.
    const ticket = await w.store.ticketByNumber("HG-0001");
    expect(ticket?.nextReplyDueAt).toEqual(sh("2026-11-24T09:00"));
    expect(ticket?.firstReplyDueAt).toEqual(sh("2026-11-24T09:00"));
    expect(last).toContain("11月24日 09:00");
  });
});
