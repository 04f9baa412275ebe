/**
 * Issue 14's main path on Slack, through real Bolt against the fake Web API on both databases:
 * the owner rates a resolution 不满意 twice and takes it to the general manager's hotline; the
 * case file reaches the property head's DM (never the staff channel); the property head sets the
 * measures naming the department head by Slack mention, who is told in their DM.
 */
import { afterEach, describe, expect, it } from "vitest";
import { hotlineExtension } from "../../../src/core/hotline/extension.js";
import { textOf } from "../../fakes/slack.js";
import { backends } from "../../support/db.js";
import { ADMIN, closeLaunched, launch, STAFF_CHANNEL, WANG } from "../../support/slack-desks.js";
import { hotlineDeps } from "../../support/hotline.js";

const OWNER = { user: "U0OWNERZH", channel: "D0OWNERZH" };
const COMPLAINT = ["保安态度太差了,我要投诉", "对,继续", "3-1201", "王先生", "139 0000 1111", "公共区域", "南门岗亭", "跳过", "确认提交"];

afterEach(closeLaunched);

describe.each(backends())("the general manager's hotline on Slack over $name", (backend) => {
  it("不满意 twice, then 转总经理热线: the case file to the property head's DM, the measures, the department head told", async () => {
    const h = await launch(OWNER, "zh-CN", { opened: await backend.open(), extensions: (o) => [hotlineExtension(hotlineDeps(o))], hotline: hotlineDeps });
    await h.admin.command(`bind ${await h.invite({ kind: "bind", purpose: "staff", department: null })}`, STAFF_CHANNEL);
    await h.wang.command(`join ${await h.invite({ kind: "join", role: "zone_specialist", zoneId: null })}`);
    // The 物业管理员 of the harness is this property's head here.
    await h.admin.command(`join ${await h.invite({ kind: "join", role: "property_head", zoneId: null })}`);
    expect((await h.script(COMPLAINT)).text).toContain("HG-0001");
    await h.deliverAll();
    for (let round = 1; round <= 2; round++) {
      await h.wang.command("claim HG-0001", STAFF_CHANNEL);
      await h.wang.command("resolve HG-0001 已和保安队长谈话", STAFF_CHANNEL);
      await h.deliverAll();
      const r = await h.owner.press("不满意");
      expect(r.text).toContain("转总经理热线");
    }
    const r = await h.owner.press("转总经理热线");
    expect(r.text).toContain("您好,总经理热线为您服务!");
    expect(r.text).toContain("HL2026-0001");
    await h.deliverAll();
    const file = h.slack.postedTo(ADMIN.dm).map(textOf).find((x) => x.includes("热线处理档案 HL2026-0001"));
    expect(file).toContain("/measures HL2026-0001");
    expect(h.slack.postedTo(STAFF_CHANNEL).map(textOf).some((x) => x.includes("HL2026"))).toBe(false);

    const set = await h.admin.command(`measures HL2026-0001 <@${WANG.user}|wang> 保安队长上门致歉`);
    expect(set.text).toContain("已记录 HL2026-0001 的处理措施");
    await h.deliverAll();
    expect(h.slack.postedTo(WANG.dm).map(textOf).some((x) => x.includes("指派您处理这份热线档案") && x.includes("保安队长上门致歉"))).toBe(true);
    // The staff channel cannot read the case (§4.8).
    const refused = await h.admin.command("case HL2026-0001", STAFF_CHANNEL);
    expect(refused.text).toContain("无关人员不得传阅");
  });
});
