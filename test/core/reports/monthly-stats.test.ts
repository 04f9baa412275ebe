/**
 * The monthly statistics job end to end on both databases: a November of tickets worked through
 * the real workflow, the job run on 1 December over the real report store and ledger, the post
 * and its files queued once, then delivered by the outbox sender to the director's Telegram
 * group and an admin's Slack DM, where the uploaded workbook is opened again and its totals
 * compared with the figures the post shows.
 */
import type ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackSenderClient, slackTransport } from "../../../src/adapters/slack/transport.js";
import { telegramSenderApi, telegramTransport } from "../../../src/adapters/telegram/transport.js";
import type { OutboxRecord } from "../../../src/core/outbox.js";
import type { MonthlyFigures, ReportStore } from "../../../src/core/reports/figures.js";
import { monthRange } from "../../../src/core/time/zone.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { createReportFiles } from "../../../src/infra/export/files.js";
import { outboxRenderer } from "../../../src/infra/outbox/render.js";
import { createOutboxSender } from "../../../src/infra/outbox/sender.js";
import { createHandoverStore } from "../../../src/infra/prisma/handover.js";
import { createJobLedger } from "../../../src/infra/prisma/jobs.js";
import { createMaintenance } from "../../../src/infra/prisma/maintenance.js";
import { createReportStore } from "../../../src/infra/prisma/reports.js";
import { createSlaStore } from "../../../src/infra/prisma/sla.js";
import { monthlyStats } from "../../../src/core/reports/monthly-stats.js";
import type { JobDeps } from "../../../src/jobs/job.js";
import { FakeSlack } from "../../fakes/slack.js";
import { FakeBotApi } from "../../fakes/telegram-bot-api.js";
import { fixture, sh, ZONE, type Fixture } from "../../support/reports-fixture.js";
import { numberAfter, openWorkbook } from "../../support/workbook.js";
import { backends, type TestStore } from "../../support/db.js";
import { anyLevel } from "../../support/logger.js";

const DIRECTOR_CHAT = -1009001;
const ADMIN = { user: "U0ADMIN01", dm: "D0ADMIN01" };
const SLOT = sh("2026-12-01 00:00");
const NOW = new Date(SLOT.getTime() + 5 * 60_000);
const renderer = createRenderer(await loadCatalog(), ZONE);

/** Three complaints and a repair: callbacks, an owner's rating, a reopen, one still open. */
async function november(f: Fixture): Promise<void> {
  const { wang, boss, director } = f.staff;
  const c1 = await f.file("2026-11-02 09:00", { zone: "A" });
  await f.act(wang, "2026-11-02 09:10", c1, { type: "claim" });
  await f.act(wang, "2026-11-02 09:30", c1, { type: "reply", text: "已联系保安队长" });
  await f.act(wang, "2026-11-03 10:00", c1, { type: "resolve", result: "已批评教育" });
  await f.act(director, "2026-11-04 10:00", c1, { type: "callback", rating: "satisfied", note: "业主满意" });
  const r1 = await f.file("2026-11-05 08:00", { kind: "repair", category: "engineering", zone: "B" });
  await f.act(wang, "2026-11-05 08:10", r1, { type: "claim" });
  await f.act(wang, "2026-11-05 11:00", r1, { type: "resolve", result: "已换水龙头" });
  await f.rate("2026-11-05 12:00", r1, "fairly");
  const c2 = await f.file("2026-11-10 09:00");
  await f.act(boss, "2026-11-10 09:30", c2, { type: "claim" });
  await f.act(boss, "2026-11-11 09:00", c2, { type: "resolve", result: "第一次处理" });
  await f.rate("2026-11-11 10:00", c2, "dissatisfied");
  await f.file("2026-11-28 16:00", { category: "parking" });
}



/** The workbook's totals, checked against the figures the post shows. */
function expectTotalsOf(wb: ExcelJS.Workbook, f: MonthlyFigures, zh = true): void {
  const [summary, intake, callbacks] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet];
  const total = zh ? "合计" : "Total";
  expect(numberAfter(summary, zh ? "按类型" : "By kind", total)).toBe(f.total);
  expect(numberAfter(summary, zh ? "按类型" : "By kind", zh ? "投诉" : "complaint")).toBe(f.byKind.complaint);
  expect(numberAfter(summary, zh ? "按类别" : "By category", total)).toBe(f.total);
  expect(numberAfter(summary, zh ? "回访与评价" : "Callbacks and ratings", total)).toBe(f.ratings.satisfied + f.ratings.fairly + f.ratings.dissatisfied);
  expect(numberAfter(intake, zh ? "序号" : "No.", total)).toBe(f.total);
  const ratings = zh ? ["满意", "较满意", "不满意"] : ["Satisfied", "Fairly satisfied", "Not satisfied"];
  const block = zh ? "回访结果统计" : "Callback results";
  expect(ratings.map((r) => numberAfter(callbacks, block, r))).toEqual([f.ratings.satisfied, f.ratings.fairly, f.ratings.dissatisfied]);
}

describe.each(backends())("the monthly statistics job on $name", (backend) => {
  let db: TestStore;
  let f: Fixture;
  let reports: ReportStore;
  let deps: JobDeps;
  beforeEach(async () => {
    db = await backend.open();
    f = await fixture(db.store);
    reports = db.use(createReportStore);
    await november(f);
    await db.store.bindChat({ platform: "telegram", chatId: String(DIRECTOR_CHAT), propertyId: f.property.id, purpose: "director", department: null }, SLOT);
    const admin = await db.store.person({ platform: "slack", platformUserId: ADMIN.user, displayName: "admin", locale: "en" });
    await db.store.grantStaffRole(admin.id, { propertyId: f.property.id, zoneId: null, role: "admin" });
    deps = {
      store: db.store,
      outbox: db.outbox,
      ledger: db.use(createJobLedger),
      reports,
      sla: db.use(createSlaStore),
      handover: db.use(createHandoverStore),
      maintenance: db.use(createMaintenance),
      staffLocale: "zh-CN",
      timeZone: ZONE,
      logger: anyLevel((m, e) => expect.fail(`${m}: ${String(e)}`)),
      reportFiles: createReportFiles({ reports, renderer, timeZone: ZONE }),
    };
    // The owners' notices of November are not this test's business.
    for (const r of await pending()) await db.outbox.markSent(r.id, NOW);
  });
  afterEach(() => db.close());

  const pending = (): Promise<OutboxRecord[]> => db.outbox.due(new Date(NOW.getTime() + 1000), 100);
  const november2026 = (): Promise<MonthlyFigures> => {
    const { from, to } = monthRange("2026-11", ZONE)!;
    return reports.monthly(f.property.id, "2026-11", from, to, NOW);
  };

  it("posts last month's figures with the workbook and CSV to the director's chat and each admin, once", async () => {
    expect(await monthlyStats(deps, NOW, SLOT)).toEqual({ posted: 1, skipped: 0 });
    expect(await monthlyStats(deps, new Date(NOW.getTime() + 60_000), SLOT)).toEqual({ posted: 0, skipped: 1 });

    const queued = await pending();
    const to = (chatId: string) => queued.filter((r) => r.message.to.chatId === chatId).map((r) => r.message);
    const director = to(String(DIRECTOR_CHAT));
    expect(director.map((m) => m.kind)).toEqual(["message", "document", "document"]);
    expect(to(ADMIN.user).map((m) => m.kind)).toEqual(["message", "document", "document"]);

    const post = director[0]!.kind === "message" ? director[0]!.body.text.map((x) => renderer.text(x, "zh-CN")) : [];
    const figures = await november2026();
    expect(post[0]).toBe("📊 月度统计 · 虹港家园 · 2026-11");
    expect(post).toContain(`本月受理 ${figures.total} 件:投诉 ${figures.byKind.complaint},报修 ${figures.byKind.repair},咨询 0,求助 0,建议 0,表扬 0`);
    expect(figures.total).toBe(4);

    const [workbook, csv] = director.slice(1).map((m) => (m.kind === "document" ? m.body : null));
    expect(workbook!.filename).toBe("HG-2026-11-月度统计.xlsx");
    expectTotalsOf(await openWorkbook(workbook!.base64), figures);
    const lines = Buffer.from(csv!.base64, "base64").toString("utf8").split("\r\n");
    expect(lines.slice(1, -1)).toHaveLength(figures.total);

    // The admin reads English: the post and the workbook are in English.
    const [adminPost, adminBook] = to(ADMIN.user);
    expect(adminPost!.kind === "message" && renderer.text(adminPost!.body.text[0]!, "en")).toBe("📊 Monthly statistics · Honggang Garden · 2026-11");
    const en = await openWorkbook(adminBook!.kind === "document" ? adminBook!.body.base64 : "");
    expect(en.worksheets.map((ws) => ws.name)).toEqual(["Monthly statistics", "Intake list", "Monthly callbacks"]);
    expectTotalsOf(en, figures, false);

    const ledger = await deps.ledger.find({ job: "monthly_stats", period: "2026-11", target: f.property.id });
    expect(ledger).toMatchObject({ late: false, data: { total: 4 } });
  });

  it("covers the month before its slot when caught up late, and says it is late", async () => {
    const slot = sh("2026-11-01 00:00");
    expect(await monthlyStats(deps, NOW, slot)).toEqual({ posted: 1, skipped: 0 });
    const [post] = await pending();
    const text = post!.message.kind === "message" ? post!.message.body.text.map((x) => renderer.text(x, "zh-CN")) : [];
    expect(text[0]).toBe("📊 月度统计 · 虹港家园 · 2026-10");
    expect(text[1]).toContain("因系统停机补发");
    expect(await deps.ledger.find({ job: "monthly_stats", period: "2026-10", target: f.property.id })).toMatchObject({ late: true });
  });

  it("delivers the files to Telegram and Slack, where the uploaded workbook opens with the same totals", async () => {
    const api = new FakeBotApi();
    const slack = await new FakeSlack().start();
    try {
      const root = await api.start();
      api.userMessage({ chat: { id: DIRECTOR_CHAT, title: "主任群" }, text: "/where" });
      slack.addUser({ id: ADMIN.user, dm: ADMIN.dm });
      await monthlyStats(deps, NOW, SLOT);
      let clock = NOW.getTime();
      const sender = createOutboxSender({
        outbox: db.outbox,
        store: db.store,
        transports: [telegramTransport(telegramSenderApi(api.token, root)), slackTransport(slackSenderClient("xoxb-test", { slackApiUrl: slack.apiUrl }))],
        render: outboxRenderer({ store: db.store, renderer, staffLocale: "zh-CN" }),
        clock: { now: () => new Date(clock) },
        sleep: async (ms) => void (clock += ms),
        logger: deps.logger,
      });
      expect(await sender.drainOnce()).toEqual({ sent: 6, retried: 0, dead: 0 });

      const figures = await november2026();
      const [book, csv] = api.botDocuments(DIRECTOR_CHAT);
      expect(book!.upload.filename).toBe("HG-2026-11-月度统计.xlsx");
      expect(book!.message.caption).toBe("📎 虹港家园 2026-11 月度统计工作簿");
      expectTotalsOf(await openWorkbook(book!.upload.bytes), figures);
      expect(csv!.upload.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      // The figures came first in the chat, then the files.
      expect(api.botMessages(DIRECTOR_CHAT).map((m) => (m.document ? m.document.file_name : m.text?.split("\n")[0]))).toEqual([
        "📊 月度统计 · 虹港家园 · 2026-11",
        "HG-2026-11-月度统计.xlsx",
        "HG-2026-11-用户意见受理表.csv",
      ]);

      expect(slack.uploads.map((u) => [u.channel, u.filename, u.initialComment])).toEqual([
        [ADMIN.dm, "HG-2026-11-monthly-statistics.xlsx", "📎 Honggang Garden 2026-11 monthly statistics workbook"],
        [ADMIN.dm, "HG-2026-11-intake-list.csv", "📎 Honggang Garden 2026-11 intake list (CSV)"],
      ]);
      expectTotalsOf(await openWorkbook(slack.uploads[0]!.bytes), figures, false);
    } finally {
      await api.stop();
      await slack.stop();
    }
  });
});
