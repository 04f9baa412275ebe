/**
 * `/stats` and `/export` through the staff desk on both databases: only the property's leads
 * (supervisor, director, property head, admin) see its statistics; `/export` queues the workbook
 * and the CSV for the requester's private chat only: a group is told where they went.
 */
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboxDocument } from "../../../src/core/outbox.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import { statsExtension } from "../../../src/core/reports/stats-extension.js";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import { monthRange } from "../../../src/core/time/zone.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { createReportFiles } from "../../../src/infra/export/files.js";
import { createReportStore } from "../../../src/infra/prisma/reports.js";
import { fixture, sh, ZONE, type Fixture } from "../../support/reports-fixture.js";
import { backends, type TestStore } from "../../support/db.js";

const DIRECTOR_CHAT = "-1009001";
const STAFF_CHAT = "-1005001";
const renderer = createRenderer(await loadCatalog(), ZONE);

describe.each(backends())("/stats and /export on $name", (backend) => {
  let db: TestStore;
  let f: Fixture;
  let desk: StaffDesk;
  beforeEach(async () => {
    db = await backend.open();
    f = await fixture(db.store);
    const c1 = await f.file("2026-11-02 09:00");
    await f.act(f.staff.wang, "2026-11-02 09:10", c1, { type: "claim" });
    await f.act(f.staff.wang, "2026-11-03 10:00", c1, { type: "resolve", result: "已处理" });
    await f.rate("2026-11-03 11:00", c1, "satisfied");
    await f.file("2026-11-20 09:00", { kind: "repair", category: "engineering" });
    for (const [chatId, purpose] of [[DIRECTOR_CHAT, "director"], [STAFF_CHAT, "staff"]] as const) {
      await db.store.bindChat({ platform: "telegram", chatId, propertyId: f.property.id, purpose, department: null }, sh("2026-11-01 00:00"));
    }
    f.clock.set(sh("2026-12-05 10:00"));
    const reports = db.use(createReportStore);
    const files = createReportFiles({ reports, renderer, timeZone: ZONE });
    desk = new StaffDesk({
      store: db.store,
      clock: f.clock,
      timeZone: ZONE,
      staffLocale: "zh-CN",
      extensions: [statsExtension({ store: db.store, reports, files, outbox: db.outbox, timeZone: ZONE })],
    });
  });
  afterEach(() => db.close());

  /** What `who` is answered, rendered; in a private chat unless a group is named. */
  async function send(who: PersonRecord, text: string, group?: string): Promise<string> {
    const [, command = "", args = ""] = /^\/(\S+)\s*(.*)$/.exec(text) ?? [];
    const outcome = await desk.handle({
      channel: who.platform,
      chat: group ? { id: group, kind: "group" } : { id: who.platformUserId, kind: "private" },
      sender: { platformUserId: who.platformUserId },
      body: { type: "command", command, args },
    });
    return outcome.replies.map((r) => renderer.reply(r, outcome.locale).text).join("\n");
  }

  async function queuedDocuments(): Promise<{ to: string; body: OutboxDocument }[]> {
    const due = await db.outbox.due(sh("2026-12-05 10:01"), 100);
    return due.flatMap((r) => (r.message.kind === "document" ? [{ to: r.message.to.chatId, body: r.message.body }] : []));
  }

  it("refuses both commands to staff who are not leads, wherever they ask", async () => {
    const before = (await db.outbox.due(sh("2026-12-05 10:01"), 100)).length;
    for (const who of [f.staff.wang, f.staff.front]) {
      for (const command of ["/stats 2026-11", "/export 2026-11", "/stats"]) {
        expect(await send(who, command), `${who.name} ${command}`).toBe("月度统计和导出仅限本楼盘的主管、服务中心主任、楼盘负责人和管理员使用。");
        expect(await send(who, command, STAFF_CHAT)).toContain("仅限本楼盘的主管");
      }
    }
    // A supervisor of another property, in this property's group, gets nothing of this one's.
    const other = await db.store.createProperty({ code: "XY", name: "西苑" });
    const outsider = await db.store.person({ platform: "telegram", platformUserId: "s-outsider", locale: "zh-CN" });
    await db.store.grantStaffRole(outsider.id, { propertyId: other.id, zoneId: null, role: "supervisor" });
    expect(await send(outsider, "/stats 2026-11", STAFF_CHAT)).toContain("本群是【虹港家园】的工作群");
    expect(await send(outsider, "/export 2026-11", STAFF_CHAT)).toContain("本群是【虹港家园】的工作群");
    expect((await db.outbox.due(sh("2026-12-05 10:01"), 100)).length).toBe(before);
  });

  it("shows a lead the month asked for, or last month by default", async () => {
    const asked = await send(f.staff.director, "/stats 2026-11");
    expect(asked).toContain("📊 月度统计 · 虹港家园 · 2026-11");
    expect(asked).toContain("本月受理 2 件:投诉 1,报修 1,咨询 0,求助 0,建议 0,表扬 0");
    expect(asked).toContain("回访与评价:满意 1,较满意 0,不满意 0");
    expect(asked).toContain("投诉回访率:");
    expect(await send(f.staff.boss, "/stats", STAFF_CHAT)).toContain("📊 月度统计 · 虹港家园 · 2026-11");
    expect(await send(f.staff.head, "/stats 2026-10")).toContain("本月受理 0 件");
  });

  it("answers a month it cannot read or that has not begun", async () => {
    for (const arg of ["2026-13", "next", "2026/11", "26-11"]) expect(await send(f.staff.director, `/stats ${arg}`), arg).toContain("用法:/stats 2026-10");
    expect(await send(f.staff.director, "/stats 2027-01")).toBe("2027-01 还没有开始,没有可统计的数据。");
    // The month under way is counted so far.
    expect(await send(f.staff.director, "/stats 2026-12")).toContain("本月受理 0 件");
  });

  it("queues the workbook and the CSV for the lead's private chat, never a group's, with totals equal to /stats", async () => {
    // Owners' full names and phones: asked in a group, the files go to the asker in private (issue 10 §5).
    expect(await send(f.staff.director, "/export 2026-11", DIRECTOR_CHAT)).toBe(
      "虹港家园 2026-11 的统计文件含业主姓名和电话,已发到您与我的私聊,不在群里发送。若没有收到,请先私聊我一次再试。",
    );
    const me = f.staff.director.platformUserId;
    const docs = await queuedDocuments();
    expect(docs.map((d) => [d.to, d.body.filename])).toEqual([
      [me, "HG-2026-11-月度统计.xlsx"],
      [me, "HG-2026-11-用户意见受理表.csv"],
    ]);
    expect(await send(f.staff.boss, "/export 2026-11", STAFF_CHAT)).toContain("已发到您与我的私聊");
    expect(await send(f.staff.head, "/export 2026-11")).toBe("正在发送 虹港家园 2026-11 的月度统计工作簿和用户意见受理表 CSV,请稍候。");
    const all = await queuedDocuments();
    expect(all.filter((d) => d.to.startsWith("-"))).toEqual([]);
    expect(new Set(all.map((d) => d.to))).toEqual(new Set([me, f.staff.boss.platformUserId, f.staff.head.platformUserId]));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(docs[0]!.body.base64, "base64") as unknown as ArrayBuffer);
    const { from, to } = monthRange("2026-11", ZONE)!;
    const figures = await db.use(createReportStore).monthly(f.property.id, "2026-11", from, to, f.clock.now());
    const intake = wb.getWorksheet("用户意见受理表")!;
    const listed: unknown[] = [];
    intake.eachRow((row, n) => n > 3 && typeof row.getCell(1).value === "number" && listed.push(row.getCell(2).value));
    expect(listed).toEqual(["HG-0001", "HG-0002"]);
    expect(listed).toHaveLength(figures.total);
  });

  it("sends no files where the platform cannot take them", async () => {
    const lead = await db.store.person({ platform: "console", platformUserId: "local-boss", locale: "zh-CN" });
    await db.store.grantStaffRole(lead.id, { propertyId: f.property.id, zoneId: null, role: "director" });
    expect(await send(lead, "/export 2026-11")).toBe("这个聊天平台收不到文件;请在 Telegram 或 Slack 里发送 /export。");
    expect(await queuedDocuments()).toEqual([]);
  });
});
