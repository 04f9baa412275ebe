/**
 * Issue 14, items 5-7 over a real store on both databases: each passed deadline of a case is
 * reminded once per level (who owes the step, then the hotline group, then the general manager);
 * a case still unsolved after 7 days goes in writing to the general manager and the quality
 * office, once; the hotline daily report is posted exactly once a day (seed 002 §4.3.3-§4.6).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hotlineDaily } from "../../../src/core/hotline/daily.js";
import { hotlineSweep, type HotlineJobDeps } from "../../../src/core/hotline/sweep.js";
import { DEFAULT_SLA_POLICY } from "../../../src/core/sla/policy.js";
import { createJobLedger } from "../../../src/infra/prisma/jobs.js";
import { backends, type TestStore } from "../../support/db.js";
import { sh, ZONE } from "../../support/reports-fixture.js";
import { HOTLINE_GROUP, hotlineWorld, type HotlineWorld } from "./world.js";
import { openWorkbook } from "../../support/workbook.js";
import { createHotlineFiles } from "../../../src/infra/export/hotline-workbook.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";

describe.each(backends())("the hotline's reminders, written report and daily report on $name", (backend) => {
  let opened: TestStore;
  let w: HotlineWorld;
  let deps: HotlineJobDeps & { timeZone: string };
  let seen = 0;
  /** What the outbox gained since the last look: [chat, first text key]. */
  const fresh = async () => {
    const all = await w.outbox();
    const out = all.slice(seen).map((m) => [m.chatId, m.keys[0]]);
    seen = all.length;
    return out;
  };

  beforeAll(async () => {
    opened = await backend.open();
    w = await hotlineWorld(opened, sh("2026-11-23 09:00"));
    deps = { hotline: w.hotline, store: opened.store, sla: { policyOf: async () => DEFAULT_SLA_POLICY }, ledger: opened.use(createJobLedger), staffLocale: "zh-CN", timeZone: ZONE,
      hotlineFiles: createHotlineFiles({ renderer: createRenderer(await loadCatalog(), ZONE), timeZone: ZONE }) };
    await w.type("officer", `/join ${await w.companyCode({ kind: "join", role: "hotline_officer" })}`);
    await w.type("manager", `/join ${await w.companyCode({ kind: "join", role: "general_manager" })}`);
    await w.type("officer", `/bind ${await w.companyCode({ kind: "bind" })}`, "hotline");
    w.clock.set(sh("2026-11-23 10:00"));
    const ticket = await w.resolvedTicket("外墙渗水");
    await w.type("officer", `/hlrecord ${ticket.number} 渗水修了两次还在渗`);
    await fresh();
  });
  afterAll(() => opened?.close());

  const sweep = (at: string) => hotlineSweep(deps, sh(at));

  it("the measures, 2 business hours on: reminded to the property head, then the hotline group, then the general manager, each once", async () => {
    expect(await sweep("2026-11-23 11:59")).toEqual({ posted: 0, skipped: 0 });
    expect(await sweep("2026-11-23 12:00")).toEqual({ posted: 1, skipped: 0 });
    expect(await fresh()).toEqual([[w.people.head.platformUserId, "hotline.overdue.level1"]]);
    expect(await sweep("2026-11-23 12:10")).toEqual({ posted: 0, skipped: 1 });
    await sweep("2026-11-23 12:30");
    expect(await fresh()).toEqual([[w.people.head.platformUserId, "hotline.overdue.level2"], [HOTLINE_GROUP, "hotline.overdue.level2"]]);
    await sweep("2026-11-23 13:00");
    expect(await fresh()).toEqual([[w.people.head.platformUserId, "hotline.overdue.level3"], [w.people.manager.platformUserId, "hotline.overdue.level3"], [HOTLINE_GROUP, "hotline.overdue.level3"]]);
  });

  it("the first callback and the 处理回访表, 24 hours on: to the department head (and the property head for the feedback)", async () => {
    w.clock.set(sh("2026-11-23 13:10"));
    await w.type("head", "/measures HL2026-0001 @wang 外墙重新做防水");
    await fresh();
    // The day's report, in time: one new case in hand, its first callback due tomorrow and its
    // first stage callback (§4.6.2) in three days.
    expect(await hotlineDaily(deps, sh("2026-11-23 17:30"), sh("2026-11-23 17:30"))).toEqual({ posted: 1, skipped: 0 });
    expect(await fresh()).toEqual([[HOTLINE_GROUP, "hotline.daily.title"], [w.people.manager.platformUserId, "hotline.daily.title"]]);
    const posts = await deps.ledger.postsOf("hotline_daily", sh("2026-11-23 00:00"), sh("2026-11-24 00:00"));
    expect(posts.map((p) => [p.period, p.data])).toEqual([["2026-11-23", { new: ["HL2026-0001"], open: 1, overdue: 0, callbacksDue: 2 }]]);
    const report = (await opened.outbox.due(new Date("3000-01-01T00:00:00Z"), 500)).find((r) => r.message.kind === "message" && r.message.body.text[0]?.key === "hotline.daily.title")!;
    const lines = report.message.kind === "message" ? report.message.body.text.filter((x) => x.key === "hotline.daily.deadline_line").map((x) => x.params) : [];
    expect(lines.map((p) => [p?.["deadline"], p?.["due"]])).toEqual([
      [{ key: "hotline.deadline.first_callback" }, expect.anything()],
      [{ key: "hotline.deadline.stage_callback" }, expect.anything()],
    ]);
    // Nothing new is due before 10:00 tomorrow: the measures' reminders stop once they are set.
    expect(await sweep("2026-11-24 09:59")).toEqual({ posted: 0, skipped: 0 });
    await sweep("2026-11-24 10:00");
    expect(await fresh()).toEqual([
      [w.people.wang.platformUserId, "hotline.overdue.level1"],
      [w.people.head.platformUserId, "hotline.overdue.level1"],
      [w.people.wang.platformUserId, "hotline.overdue.level1"],
    ]);
    w.clock.set(sh("2026-11-24 10:05"));
    await w.type("wang", "/hlcall HL2026-0001 first 较满意 在等材料");
    await w.type("wang", "/hlfeedback HL2026-0001 较满意 已搭架子");
    await fresh();
    expect(await sweep("2026-11-24 11:00")).toMatchObject({ posted: 0 });
    expect(await fresh()).toEqual([]);
  });

  it("the hotline daily report: once a day to the hotline group and the general manager, with the day's new cases, progress, overdue steps and callbacks due", async () => {
    // Run again for a day already posted (a repeat, a second instance): nothing.
    expect(await hotlineDaily(deps, sh("2026-11-23 17:35"), sh("2026-11-23 17:30"))).toEqual({ posted: 0, skipped: 1 });
    expect(await hotlineDaily(deps, sh("2026-11-24 17:30"), sh("2026-11-24 17:30"))).toEqual({ posted: 1, skipped: 0 });
    expect(await hotlineDaily(deps, sh("2026-11-24 17:30"), sh("2026-11-24 17:30"))).toEqual({ posted: 0, skipped: 1 });
    const next = await deps.ledger.postsOf("hotline_daily", sh("2026-11-24 00:00"), sh("2026-11-25 00:00"));
    // The first callback is done; the stage callback is still ahead.
    expect(next.map((p) => p.data)).toEqual([{ new: [], open: 1, overdue: 0, callbacksDue: 1 }]);
    await fresh();
  });

  it("unsolved after 7 days: the written report to the general manager and the quality office, once (§4.3.3)", async () => {
    await sweep("2026-11-30 09:59");
    expect((await fresh()).filter(([, k]) => k === "hotline.written.title")).toEqual([]);
    await sweep("2026-11-30 10:00");
    expect(await fresh()).toEqual([
      [w.people.manager.platformUserId, "hotline.written.title"], [HOTLINE_GROUP, "hotline.written.title"],
      [w.people.manager.platformUserId, "hotline.written.caption"], [HOTLINE_GROUP, "hotline.written.caption"],
    ]);
    // The printable document is generated from the case file: who, what, the measures, the history and what is overdue.
    const docs = (await opened.outbox.due(new Date("3000-01-01T00:00:00Z"), 500)).flatMap((r) => (r.message.kind === "document" && r.message.body.filename.includes("HL2026-0001") ? [r.message.body] : []));
    expect(docs.map((d) => [d.filename, d.mediaType])).toEqual([["热线书面报告-HL2026-0001.html", "text/html; charset=utf-8"], ["热线书面报告-HL2026-0001.html", "text/html; charset=utf-8"]]);
    const html = Buffer.from(docs[0]!.base64, "base64").toString("utf8");
    for (const part of ["书面报告:热线处理档案 HL2026-0001", "7 天内未能解决", "3-1201", "张三", "渗水修了两次还在渗", "外墙重新做防水", "2026-11-23 10:00</td><td>登记档案", "确定处理措施</td><td>head</td><td>外墙重新做防水", "第一次回访</td><td>wang", "<li>阶段性回访: 时限 2026-11-29 10:00,已超时</li>", "2026-11-30</p>"]) {
      expect(html).toContain(part);
    }
    await sweep("2026-11-30 11:00");
    expect(await fresh()).toEqual([]);
  });

  it("done, the closing callback falls due to the officers; closed, nothing more is reminded", async () => {
    w.clock.set(sh("2026-12-01 10:00"));
    await w.type("wang", "/hldone HL2026-0001 防水重做完毕");
    await fresh();
    await sweep("2026-12-02 10:00");
    expect(await fresh()).toEqual([[w.people.officer.platformUserId, "hotline.overdue.level1"]]);
    w.clock.set(sh("2026-12-02 10:10"));
    await w.type("officer", "/hlcall HL2026-0001 closing 满意");
    await fresh();
    expect(await sweep("2026-12-09 10:00")).toEqual({ posted: 0, skipped: 0 });
  });

  it("/export hotline 2026-11: the four forms (§7) and the KPIs, read back with the right rows; only for the quality office", async () => {
    w.clock.set(sh("2026-12-09 11:00"));
    expect((await w.type("head", "/export hotline 2026-11")).replies[0]!.text.map((x) => x.key)).toEqual(["hotline.not_allowed"]);
    const reply = await w.type("officer", "/export hotline 2026-11");
    expect(reply.replies[0]!.text.map((x) => x.key)).toEqual(["hotline.kpi.title", "hotline.kpi.line", "hotline.kpi.legend", "hotline.export.queued"]);
    const docs = (await opened.outbox.due(new Date("3000-01-01"), 500)).filter((r) => r.message.kind === "document" && r.message.body.filename.endsWith(".xlsx"));
    expect(docs).toHaveLength(1);
    const doc = docs[0]!.message;
    if (doc.kind !== "document") throw new Error("not a document");
    expect(doc.to.chatId).toBe(w.people.officer.platformUserId);
    const wb = await openWorkbook(doc.body.base64);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(["热线记录", "跟进情况表", "处理回访表", "处理档案", "月度考核"]);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((r, i) => i > 2 && out.push((r.values as unknown[]).slice(1)));
      return out;
    };
    expect(rows("热线记录").map((r) => [r[0], r[2], r[3], r[4], r[5], r[8], r[9]])).toEqual([["HL2026-0001", "来电", "虹港家园", "3-1201", "张三", "HG-0001", (await w.hotline.caseByNumber("HL2026-0001"))!.major ? "是" : "否"]]);
    expect(rows("跟进情况表").map((r) => r[3])).toEqual(["登记档案", "确定处理措施", "第一次回访", "反馈处理回访表", "楼盘反馈完成", "结案回访"]);
    expect(rows("处理回访表").map((r) => [r[2], r[5]])).toEqual([["第一次回访", "较满意"], ["反馈处理回访表", "较满意"], ["结案回访", "满意"]]);
    expect(rows("处理档案").map((r) => [r[0], r[3], r[4], r[6]])).toEqual([["HL2026-0001", "外墙重新做防水", "wang", "已结案"]]);
    // The 处理回访表 came at 10:05, five minutes after its 24 hours: feedback on time 0 of 1; the rest met.
    expect(rows("月度考核")).toEqual([[1, "虹港家园", 1, 0, 1, 1, 1]]);
  });

  it("a long case in hand: a stage callback (阶段性回访) reminded to the officer every 3 days, counted from the last one made, until it is no longer in hand (§4.6.2)", async () => {
    w.clock.set(sh("2026-12-10 09:00"));
    const ticket = await w.resolvedTicket("楼道灯不亮");
    await w.type("officer", `/hlrecord ${ticket.number} 灯修了又坏`);
    w.clock.set(sh("2026-12-10 09:30"));
    await w.type("head", "/measures HL2026-0002 @wang 更换线路");
    await fresh();
    const stage = async (at: string) => {
      await sweep(at);
      const all = await w.outbox();
      const out = all.slice(seen).filter((m) => m.keys.includes("hotline.overdue.stage_callback")).map((m) => [m.chatId, m.keys[0]]);
      seen = all.length;
      return out;
    };
    expect(await stage("2026-12-13 08:59")).toEqual([]);
    expect(await stage("2026-12-13 09:00")).toEqual([[w.people.officer.platformUserId, "hotline.overdue.level1"]]);
    expect(await stage("2026-12-13 09:10")).toEqual([]);
    expect(await stage("2026-12-13 09:30")).toEqual([[w.people.officer.platformUserId, "hotline.overdue.level2"], [HOTLINE_GROUP, "hotline.overdue.level2"]]);
    // Not made: the next round comes 3 days on, reminded afresh.
    await stage("2026-12-13 10:00");
    expect(await stage("2026-12-16 09:00")).toEqual([[w.people.officer.platformUserId, "hotline.overdue.level1"]]);
    // Made at 10:00: the next is due 3 days after it, not after the case file.
    w.clock.set(sh("2026-12-16 10:00"));
    expect((await w.type("officer", "/hlcall HL2026-0002 stage 较满意 等配件")).replies[0]!.text.map((x) => x.key)).toEqual(["hotline.step_recorded"]);
    expect(await stage("2026-12-19 09:59")).toEqual([]);
    expect(await stage("2026-12-19 10:00")).toEqual([[w.people.officer.platformUserId, "hotline.overdue.level1"]]);
    const rounds = (await deps.ledger.postsOf("hotline_overdue", sh("2026-12-10 00:00"), sh("2026-12-20 00:00"))).filter((p) => p.period.includes(":stage_callback@"));
    expect(new Set(rounds.map((p) => p.period.split("@")[1])).size).toBe(3);
    // Reported done: the closing callback is owed instead, and no more stage callbacks.
    w.clock.set(sh("2026-12-19 11:00"));
    await w.type("wang", "/hldone HL2026-0002 线路已更换");
    expect(await stage("2026-12-25 10:00")).toEqual([]);
  });
});
