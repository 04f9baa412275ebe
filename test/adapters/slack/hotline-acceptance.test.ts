/**
 * The rest of issue 14's scenario suite on Slack (the main path is in ./hotline.test.ts), through
 * real Bolt against the fake Web API on both databases, as on grammY: a first-time matter sent to
 * the hotline is redirected and filed with the property; both callbacks and the closing callback;
 * a case left 7 days produces the written report; an officer records a call with the standard
 * greeting, and a major case reaches the general manager at once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { hotlineExtension } from "../../../src/core/hotline/extension.js";
import { hotlineSweep } from "../../../src/core/hotline/sweep.js";
import { DEFAULT_SLA_POLICY } from "../../../src/core/sla/policy.js";
import { hotlineStore } from "../../../src/infra/prisma/hotline.js";
import { createJobLedger } from "../../../src/infra/prisma/jobs.js";
import { textOf } from "../../fakes/slack.js";
import { backends, type TestStore } from "../../support/db.js";
import { ADMIN, closeLaunched, GM, launch, OFFICER, STAFF_CHANNEL, WANG, type SlackHarness } from "../../support/slack-desks.js";
import { hotlineDeps } from "../../support/hotline.js";

const OWNER = { user: "U0OWNERZH", channel: "D0OWNERZH" };
const HOTLINE_CHANNEL = "C0HOTLINE";
const COMPLAINT = ["保安态度太差了,我要投诉", "对,继续", "3-1201", "王先生", "139 0000 1111", "公共区域", "南门岗亭", "跳过", "确认提交"];

afterEach(closeLaunched);

/** The property's staff channel and people, the quality office's officer, channel and general manager. */
async function world(backend: { open(): Promise<TestStore> }): Promise<{ h: SlackHarness; opened: TestStore }> {
  const opened = await backend.open();
  const h = await launch(OWNER, "zh-CN", { opened, extensions: (o) => [hotlineExtension(hotlineDeps(o))], hotline: hotlineDeps });
  await h.admin.command(`bind ${await h.invite({ kind: "bind", purpose: "staff", department: null })}`, STAFF_CHANNEL);
  await h.wang.command(`join ${await h.invite({ kind: "join", role: "zone_specialist", zoneId: null })}`);
  // The 物业管理员 of the harness is this property's head here.
  await h.admin.command(`join ${await h.invite({ kind: "join", role: "property_head", zoneId: null })}`);
  const company = async (grant: Parameters<ReturnType<typeof hotlineStore>["createCompanyInvite"]>[0]) =>
    (await opened.use(hotlineStore).createCompanyInvite(grant, new Date(h.clock.now().getTime() + 86_400_000), h.clock.now())).code;
  expect((await h.officer.command(`join ${await company({ kind: "join", role: "hotline_officer" })}`)).text).toContain("热线专员");
  expect((await h.gm.command(`join ${await company({ kind: "join", role: "general_manager" })}`)).text).toContain("总经理");
  expect((await h.officer.command(`bind ${await company({ kind: "bind" })}`, HOTLINE_CHANNEL)).text).toContain("总经理热线群");
  return { h, opened };
}

/** The owner's complaint filed and claimed: a matter the property has handled. */
async function handled(h: SlackHarness): Promise<void> {
  expect((await h.script(COMPLAINT)).text).toContain("HG-0001");
  await h.deliverAll();
  await h.wang.command("claim HG-0001", STAFF_CHANNEL);
}

const textsIn = (h: SlackHarness, channel: string) => h.slack.postedTo(channel).map(textOf);

describe.each(backends())("the general manager's hotline on Slack, the rest of the suite, over $name", (backend) => {
  it("a first-time matter is redirected to the property and filed there; the callbacks and the closing callback close the case", async () => {
    const { h } = await world(backend);
    // §4.1: nothing handled yet, so the owner is guided to the property and offered to file at once.
    let r = await h.owner.say("/hotline");
    expect(r.text).toContain("请先向楼盘反映");
    expect(r.choices).toEqual(["向楼盘报修", "向楼盘投诉"]);
    r = await h.owner.press("向楼盘投诉");
    expect(r.text).not.toContain("HL2026");
    expect((await h.script(COMPLAINT)).text).toContain("HG-0001");
    await h.deliverAll();
    await h.wang.command("claim HG-0001", STAFF_CHANNEL);

    // The officer records the owner's call about it (§4.2); the property head sets the measures.
    expect((await h.officer.command("hlrecord HG-0001 保安态度问题一直没人管")).text).toContain("HL2026-0001");
    await h.deliverAll();
    expect(textsIn(h, ADMIN.dm).some((x) => x.includes("热线处理档案 HL2026-0001"))).toBe(true);
    expect(textsIn(h, HOTLINE_CHANNEL).some((x) => x.includes("HL2026-0001"))).toBe(true);
    expect((await h.admin.command(`measures HL2026-0001 <@${WANG.user}|wang> 保安队长上门致歉`)).text).toContain("已记录 HL2026-0001 的处理措施");

    // §4.6: the department head's first callback, done, the property head's second, the officer's closing one.
    expect((await h.wang.command("hlcall HL2026-0001 first 满意 业主接受道歉")).text).toContain("第一次回访(满意)");
    expect((await h.wang.command("hldone HL2026-0001 保安已调岗")).text).toContain("楼盘反馈已完成");
    expect((await h.admin.command("hlcall HL2026-0001 second 满意")).text).toContain("第二次回访(满意)");
    expect((await h.officer.command("hlcall HL2026-0001 closing 满意 业主满意")).text).toContain("已结案");
    await h.deliverAll();
    expect(textsIn(h, STAFF_CHANNEL).some((x) => x.includes("HL2026"))).toBe(false);
  });

  it("a case left 7 days produces the written report to the general manager and the hotline channel, once", async () => {
    const { h, opened } = await world(backend);
    await handled(h);
    await h.officer.command("hlrecord HG-0001 保安态度问题一直没人管");
    await h.admin.command(`measures HL2026-0001 <@${WANG.user}|wang> 约谈保安`);
    await h.deliverAll();
    h.clock.advance(7 * 24 * 3_600_000);
    const deps = { hotline: opened.use(hotlineStore), store: h.store, sla: { policyOf: async () => DEFAULT_SLA_POLICY }, ledger: opened.use(createJobLedger), staffLocale: "zh-CN" as const };
    expect((await hotlineSweep(deps, h.clock.now())).posted).toBeGreaterThan(0);
    await h.deliverAll();
    expect(textsIn(h, GM.dm).find((x) => x.includes("书面报告"))).toContain("约谈保安");
    expect(textsIn(h, HOTLINE_CHANNEL).some((x) => x.includes("书面报告") && x.includes("HL2026-0001"))).toBe(true);
    expect((await hotlineSweep(deps, new Date(h.clock.now().getTime() + 3_600_000))).posted).toBe(0);
  });

  it("an officer's script opens with the standard greeting; a major case reaches the general manager at once", async () => {
    const { h } = await world(backend);
    await handled(h);
    expect((await h.officer.command("hlrecord")).text).toContain("「您好,总经理热线为您服务!」");
    expect((await h.officer.command("hlrecord HG-0001 13800001234 重大投诉:保安动手推搡业主,要求总经理处理")).text).toContain("HL2026-0001");
    await h.deliverAll();
    expect(textsIn(h, GM.dm).find((x) => x.includes("重大投诉"))).toContain("HL2026-0001");
    expect(textsIn(h, ADMIN.dm).find((x) => x.includes("热线处理档案 HL2026-0001"))).toContain("13800001234");
    expect(textsIn(h, OFFICER.dm).length).toBeGreaterThan(0);
  });
});
