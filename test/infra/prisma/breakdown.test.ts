/**
 * Pins issue 12's breakdown on both databases: a November of tickets from every source, filed
 * through the store as chat and the front desk file them, counted by kind × category and by
 * source, complaints split into service and repair-type (seed 003 §6.5.3), and the lines the
 * monthly statistics, the daily log and the digest show of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { breakdownTexts, sourceLine, type Breakdown } from "../../../src/core/reports/breakdown.js";
import { monthRange } from "../../../src/core/time/zone.js";
import { createReportStore } from "../../../src/infra/prisma/reports.js";
import { backends, type TestStore } from "../../support/db.js";
import { fixture, render, sh, ZONE } from "../../support/reports-fixture.js";

const NOVEMBER = monthRange("2026-11", ZONE)!;

describe.each(backends())("the breakdown by kind, category and source on $name", (backend) => {
  let db: TestStore;
  let b: Breakdown;
  let day: Breakdown;

  beforeAll(async () => {
    db = await backend.open();
    const f = await fixture(db.store);
    await f.file("2026-10-31 23:59", { source: "phone" }); // October's: not counted
    await f.file("2026-11-01 00:00"); // chat, complaint, security: 服务类
    await f.file("2026-11-03 09:00", { source: "phone", category: "engineering" }); // 维修类 complaint
    await f.file("2026-11-03 10:00", { source: "visit", category: "conduct" });
    await f.file("2026-11-03 11:00", { source: "letter", category: "efficiency", weight: "written" });
    await f.file("2026-11-10 08:00", { source: "patrol", kind: "repair", category: "engineering" });
    await f.file("2026-11-12 20:00", { kind: "help", category: "other" });
    await f.file("2026-11-30 23:59", { source: "phone", kind: "inquiry", category: "fees" });
    await f.file("2026-12-01 00:00", { source: "visit" }); // December's: not counted
    const store = db.use(createReportStore);
    b = await store.breakdown(f.property.id, NOVEMBER.from, NOVEMBER.to);
    day = await store.breakdown(f.property.id, sh("2026-11-03 00:00"), sh("2026-11-04 00:00"));
  });
  afterAll(() => db.close());

  it("counts the month's tickets by source, and complaints as service or repair-type", () => {
    expect(b.bySource).toEqual({ chat: 2, phone: 2, visit: 1, letter: 1, patrol: 1 });
    expect(b.complaintTypes).toEqual({ service: 3, repair: 1 });
    expect(b.kindByCategory.complaint).toMatchObject({ security: 1, engineering: 1, conduct: 1, efficiency: 1, other: 0 });
    expect(b.kindByCategory.repair.engineering).toBe(1);
    expect(b.kindByCategory.help.other).toBe(1);
    expect(b.kindByCategory.inquiry.fees).toBe(1);
    const total = Object.values(b.kindByCategory).flatMap((c) => Object.values(c)).reduce((x, y) => x + y, 0);
    expect(total).toBe(7);
  });

  it("shows them in the monthly statistics, and a day's sources in the daily log and digest", () => {
    expect(render(breakdownTexts(b))).toBe(
      [
        "来源:聊天 2,来电 2,来访 1,书面 1,巡检发现 1",
        "投诉分类:服务类 3,维修类 1",
        "类型 × 分类:",
        "• 投诉:工程维修 1,护卫秩序 1,工作效率 1,言行举止 1",
        "• 报修:工程维修 1",
        "• 咨询:物业费/车位费 1",
        "• 求助:其他 1",
      ].join("\n"),
    );
    expect(render([sourceLine(day)])).toBe("来源:来电 1,来访 1,书面 1");
    expect(render([sourceLine(day)], "en")).toBe("Sources: phone 1, visit 1, letter 1");
  });
});
