/**
 * Issue 12's front desk on Slack: a front-desk assistant records a phone complaint for an owner
 * already known in chat (the owner is told in their DM, with the number), and a phone repair for
 * an owner the bot has never met (owner by phone), and a patrol finding with no owner, through real Bolt against the fake Web API, on
 * SQLite and, when TEST_DATABASE_URL is set, PostgreSQL.
 */
import { afterEach, describe, expect, it } from "vitest";
import { frontDeskExtension } from "../../../src/core/frontdesk/extension.js";
import { frontDeskStore } from "../../../src/infra/prisma/frontdesk.js";
import { registryStore } from "../../../src/infra/prisma/registry.js";
import { textOf } from "../../fakes/slack.js";
import { sequentialIds } from "../../support/chat.js";
import { backends, type TestBackend } from "../../support/db.js";
import { closeLaunched, launch, STAFF_CHANNEL, WANG } from "../../support/slack-desks.js";

const OWNER = { user: "U0OWNERZH", channel: "D0OWNERZH" };
const COMPLAINT = ["保安态度太差了,我要投诉", "对,继续", "3-1201", "王先生", "139 0000 1111", "公共区域", "南门岗亭", "跳过", "确认提交"];

afterEach(closeLaunched);

async function deskLaunch(backend: TestBackend) {
  const h = await launch(OWNER, "zh-CN", {
    opened: await backend.open(),
    extensions: (opened) => [frontDeskExtension({ store: { ...opened.store, ...opened.use(registryStore), ...opened.use(frontDeskStore) }, ids: sequentialIds("fd"), staffLocale: "zh-CN" })],
  });
  await h.admin.command(`bind ${await h.invite({ kind: "bind", purpose: "staff", department: null })}`, STAFF_CHANNEL);
  await h.wang.command(`join ${await h.invite({ kind: "join", role: "front_desk", zoneId: null })}`);
  return h;
}

describe.each(backends())("the front desk on Slack over $name", (backend) => {
  it("a phone complaint for an owner known in chat: confirmed from the earlier ticket, the owner told in their DM", async () => {
    const h = await deskLaunch(backend);
    expect((await h.script(COMPLAINT)).text).toContain("HG-0001");
    await h.deliverAll();
    let r = await h.wang.command("record 来电 3-1201 保洁员打扫时态度恶劣,还顶撞我", STAFF_CHANNEL);
    expect(r.text).toContain("是这位业主吗?王先生 13900001111,房号 3-1201");
    expect(r.choices).toEqual(["是,就是这位", "不是,另一位业主"]);
    r = await h.wang.press(r.posted.at(-1)!, "是,就是这位");
    expect(r.text).toContain("请核对登记内容(来电):");
    r = await h.wang.press(r.posted.at(-1)!, "已向业主复述确认,提交");
    expect(r.text).toContain("已登记,工单号 HG-0002");
    await h.deliverAll();
    expect(h.slack.postedTo(OWNER.channel).map(textOf).some((t) => t.startsWith("您通过来电反映的问题已登记,工单号 HG-0002。"))).toBe(true);
    expect(h.slack.postedTo(STAFF_CHANNEL).some((m) => !m.thread_ts && textOf(m).includes("HG-0002 · "))).toBe(true);
    const ticket = (await h.store.ticketByNumber("HG-0002"))!;
    expect(ticket).toMatchObject({ source: "phone", ownerId: (await h.store.ticketByNumber("HG-0001"))!.ownerId });
  });

  it("a phone repair for an owner unknown to the bot is an owner by phone, and nothing goes to an owner's DM", async () => {
    const h = await deskLaunch(backend);
    let r = await h.wang.command("record 来电 5-0803 13700002222 卫生间下水道堵了");
    expect(r.text).toContain("业主不在聊天中:由工作人员电话联系(电话业主)");
    r = await h.wang.press(r.posted.at(-1)!, "已向业主复述确认,提交");
    expect(r.text).toContain("HG-0001 为电话业主");
    await h.deliverAll();
    const ticket = (await h.store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ source: "phone", kind: "repair", contactPhone: "13700002222" });
    expect((await h.store.personById(ticket.ownerId))!.platform).toBe("system");
    expect(h.slack.postedTo(OWNER.channel)).toEqual([]);
    expect(h.slack.postedTo(WANG.dm).length).toBeGreaterThan(0);
  });

  it("a patrol finding needs no owner: filed, carded in the staff channel, and no owner told", async () => {
    const h = await deskLaunch(backend);
    let r = await h.wang.command("record 巡检 地下车库B2的消防通道被杂物堵了", STAFF_CHANNEL);
    expect(r.text).toContain("请核对登记内容(巡检发现):");
    expect(r.text).toContain("巡检发现,无业主");
    expect(r.text).not.toContain("联系人");
    r = await h.wang.press(r.posted.at(-1)!, "确认提交");
    expect(r.text).toContain("HG-0001");
    await h.deliverAll();
    const ticket = (await h.store.ticketByNumber("HG-0001"))!;
    expect(ticket).toMatchObject({ source: "patrol", roomLabel: null, contactName: null, contactPhone: null, location: "common" });
    expect(h.slack.postedTo(STAFF_CHANNEL).some((m) => !m.thread_ts && textOf(m).includes("HG-0001 · "))).toBe(true);
    expect(h.slack.postedTo(OWNER.channel)).toEqual([]);
  });
});
