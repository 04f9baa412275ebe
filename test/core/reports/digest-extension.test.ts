/** `/digest` and the 已阅 button through the staff desk, on both databases. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDigestExtension } from "../../../src/core/reports/digest-extension.js";
import { digestKey } from "../../../src/core/reports/digest.js";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import { type StaffInbound } from "../../../src/core/messages.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import { directorDigest } from "../../../src/core/reports/director-digest.js";
import type { JobDeps } from "../../../src/jobs/job.js";
import { backends, type TestStore } from "../../support/db.js";
import { fixture, jobDeps, render, sh, ZONE, type Fixture } from "../../support/reports-fixture.js";

const DIRECTOR_CHAT = "-200";
const OTHER_GROUP = "-900";

describe.each(backends())("/digest and 已阅 on $name", (backend) => {
  let db: TestStore;
  let f: Fixture;
  let deps: JobDeps;
  let desk: StaffDesk;
  beforeEach(async () => {
    db = await backend.open();
    f = await fixture(db.store);
    deps = jobDeps(db);
    desk = new StaffDesk({
      store: db.store, clock: f.clock, timeZone: ZONE, staffLocale: "zh-CN",
      extensions: [createDigestExtension({ store: db.store, reports: deps.reports, ledger: deps.ledger, sla: deps.sla, timeZone: ZONE })],
    });
    await db.store.bindChat({ platform: "telegram", chatId: DIRECTOR_CHAT, propertyId: f.property.id, purpose: "director", department: null }, sh("2026-11-01 09:00"));
    f.clock.set(sh("2026-11-23 08:40"));
  });
  afterEach(() => db.close());

  /** What `who` reads back for a command or a button, and the buttons offered. */
  async function send(who: PersonRecord, body: string, at?: string, chat = DIRECTOR_CHAT): Promise<{ text: string; buttons: string[] }> {
    if (at) f.clock.set(sh(at));
    const m = /^\/(\S+)\s*(.*)$/.exec(body);
    const inbound: StaffInbound = {
      channel: "telegram",
      chat: chat.startsWith("-") ? { id: chat, kind: "group" } : { id: chat, kind: "private" },
      sender: { platformUserId: who.platformUserId, displayName: who.displayName ?? undefined },
      body: m ? { type: "command", command: m[1]!, args: m[2]! } : { type: "choice", value: body },
    };
    const outcome = await desk.handle(inbound);
    return {
      text: outcome.replies.map((r) => render(r.text, outcome.locale)).join("\n"),
      buttons: outcome.replies.flatMap((r) => (r.choices ?? []).map((c) => c.value)),
    };
  }
  const button = (date: string) => `digest:sign:${f.property.id}:${date}`;
  const post = () => directorDigest(deps, sh("2026-11-23 08:30"), sh("2026-11-23 08:30"));

  it("shows yesterday's digest to the leads, and the 已阅 button once it is posted, to those who may sign", async () => {
    const complaint = await f.file("2026-11-22 10:00");
    let r = await send(f.staff.director, "/digest");
    expect(r.text).toContain("📋 主任晨报 · 虹港家园 · 2026-11-22");
    expect(r.text).toContain(complaint.number);
    // Not posted yet (asked before 08:30, or the bot started late): the digest due this morning
    // carries 已阅 all the same (issue 11 §6), and an older day without a post does not.
    expect(r.buttons).toEqual([button("2026-11-22")]);
    expect((await send(f.staff.director, "/digest 2026-11-21")).buttons).toEqual([]);
    await post();
    expect((await send(f.staff.director, "/digest")).buttons).toEqual([button("2026-11-22")]);
    expect((await send(f.staff.head, "/digest")).buttons).toEqual([button("2026-11-22")]);
    r = await send(f.staff.boss, "/digest");
    expect(r.text).toContain("主任晨报");
    expect(r.buttons).toEqual([]); // a supervisor reads it but does not sign it
    for (const who of [f.staff.wang, f.staff.front]) {
      expect((await send(who, "/digest")).text).toBe("只有服务中心主任、客服主管、楼盘负责人或管理员可以查看晨报。");
    }
  });

  it("takes a date, refuses a bad one, and has nothing for a day not over yet", async () => {
    expect((await send(f.staff.director, "/digest 2026-11-5")).text).toContain("· 2026-11-05");
    expect((await send(f.staff.director, "/digest 2026-11-23")).text).toContain("· 2026-11-23");
    expect((await send(f.staff.director, "/digest 2026-11-24")).text).toBe("2026-11-24 还没有过完,暂无晨报。");
    expect((await send(f.staff.director, "/digest 11月22日")).text).toContain("用法:/digest");
  });

  it("records the first 已阅 with its time, before 09:00; a second press is told who signed when", async () => {
    await post();
    expect((await send(f.staff.director, button("2026-11-22"), "2026-11-23 08:47")).text).toBe(
      "✅ 已记录:陈主任 于 11月23日 08:47 签阅 2026-11-22 的晨报,在 11月23日 09:00 之前。",
    );
    expect((await send(f.staff.head, button("2026-11-22"), "2026-11-23 08:50")).text).toBe("2026-11-22 的晨报已由 陈主任 于 11月23日 08:47 签阅,无需重复签署。");
    expect(await deps.ledger.find(digestKey(f.property.id, "2026-11-22"))).toMatchObject({ signedAt: sh("2026-11-23 08:47"), signedById: f.staff.director.id });
    const r = await send(f.staff.director, "/digest", "2026-11-23 10:00");
    expect(r.text).toContain("✅ 已由 陈主任 于 11月23日 08:47 签阅。");
    expect(r.buttons).toEqual([]);
  });

  it("signs the digest due this morning from /digest before it was posted, and the scheduled run then posts nothing", async () => {
    await f.file("2026-11-22 10:00");
    f.clock.set(sh("2026-11-23 08:05"));
    expect((await send(f.staff.director, button("2026-11-22"))).text).toBe(
      "✅ 已记录:陈主任 于 11月23日 08:05 签阅 2026-11-22 的晨报,在 11月23日 09:00 之前。",
    );
    expect(await deps.ledger.find(digestKey(f.property.id, "2026-11-22"))).toMatchObject({ signedById: f.staff.director.id });
    expect(await post()).toMatchObject({ posted: 0 });
    const r = await send(f.staff.director, "/digest", "2026-11-23 08:40");
    expect(r.text).toContain("✅ 已由 陈主任 于 11月23日 08:05 签阅。");
    expect(r.buttons).toEqual([]);
  });

  it("says a sign-off after 09:00 is late", async () => {
    await post();
    expect((await send(f.staff.head, button("2026-11-22"), "2026-11-23 09:12")).text).toBe(
      "已记录:刘经理 于 11月23日 09:12 签阅 2026-11-22 的晨报,晚于 11月23日 09:00(考核要求 9:00 前签阅)。",
    );
  });

  it("refuses a sign-off by anyone else, of a day never posted, or from another property's group", async () => {
    await post();
    expect((await send(f.staff.boss, button("2026-11-22"))).text).toBe("只有本楼盘的服务中心主任、楼盘负责人或管理员可以签阅晨报。");
    expect((await send(f.staff.director, button("2026-11-20"))).text).toBe("2026-11-20 的晨报尚未发出,暂时不能签阅。");
    expect((await send(f.staff.director, "digest:sign:nonsense")).text).toBe("只有本楼盘的服务中心主任、楼盘负责人或管理员可以签阅晨报。");
    const other = await db.store.createProperty({ code: "JX", name: "锦绣华庭" });
    await db.store.bindChat({ platform: "telegram", chatId: OTHER_GROUP, propertyId: other.id, purpose: "staff", department: null }, sh("2026-11-01 09:00"));
    await db.store.grantStaffRole(f.staff.director.id, { propertyId: other.id, zoneId: null, role: "director" });
    expect((await send(f.staff.director, button("2026-11-22"), undefined, OTHER_GROUP)).text).toBe("只有本楼盘的服务中心主任、楼盘负责人或管理员可以签阅晨报。");
    expect((await deps.ledger.find(digestKey(f.property.id, "2026-11-22")))?.signedAt).toBeNull();
    // In a private chat the director reads every property they lead, one message each.
    const mine = await send(f.staff.director, "/digest", undefined, f.staff.director.platformUserId);
    expect(mine.text).toContain("虹港家园 · 2026-11-22");
    expect(mine.text).toContain("锦绣华庭 · 2026-11-22");
  });
});
