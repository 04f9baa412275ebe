/**
 * `/callback … 不满意 … next <time>` through the staff desk (issue 12 item 5), and the steps an owner
 * by phone was told by phone, stamped on the history (item 2).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StaffDesk } from "../../../src/core/desk/staff-desk.js";
import { propertyTimeZone } from "../../../src/core/reports/digest.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import type { TicketSource } from "../../../src/core/ticket/kinds.js";
import { firstReplyDue } from "../../../src/core/sla/deadlines.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import type { Text } from "../../../src/core/text.js";
import { backends } from "../../support/db.js";
import { openWorld, sh, STAFF_CHAT, type World } from "../../support/sla-world.js";

describe.each(backends())("callbacks and told-by-phone on $name", (backend) => {
  let w: World;
  let desk: StaffDesk;
  let render: (texts: readonly Text[]) => string;
  beforeEach(async () => {
    w = await openWorld(backend);
    desk = new StaffDesk({ store: w.store, clock: w.clock, timeZone: "Asia/Shanghai", timeZoneOf: (id) => propertyTimeZone(w.sla, "Asia/Shanghai", id), staffLocale: "zh-CN" });
    const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    render = (texts) => texts.map((x) => renderer.text(x, "zh-CN")).join("\n");
  });
  afterEach(async () => {
    expect(w.errors).toEqual([]);
    await w.close();
  });

  /** What 小王 reads back in the staff group for a command typed at `at`. */
  const say = async (line: string, at: string): Promise<string> => {
    w.clock.at = sh(at);
    const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line)!;
    const out = await desk.handle({
      channel: "telegram",
      chat: { id: STAFF_CHAT, kind: "group" },
      sender: { platformUserId: "s-wang", displayName: "小王" },
      body: { type: "command", command: m[1]!, args: m[2]! },
    });
    return out.replies.map((r) => render(r.text)).join("\n");
  };

  /** A repair recorded at the front desk for an owner on no chat platform (or in chat). */
  const fileFromDesk = async (source: TicketSource, inChat: boolean): Promise<TicketRecord> => {
    const owner = inChat ? w.owner : await w.store.person({ platform: "system", platformUserId: `phone:${w.property.id}:13900002222`, displayName: "李阿姨", locale: "zh-CN" });
    const at = sh("2026-11-23T09:00");
    const { ticket } = await w.store.fileTicket({
      intakeId: `desk-${source}-${inChat}`, propertyId: w.property.id, zoneId: null, roomId: null, kind: "repair", category: "engineering", weight: "general",
      majorReasons: [], ownerId: owner.id, roomLabel: "A区5栋2单元301", contactName: "李阿姨", contactPhone: "13900002222", location: "home", place: null,
      description: "卫生间漏水", since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt: at,
      nextReplyDueAt: firstReplyDue("repair", "general", at, await w.sla.policyOf(w.property.id)), confirmation: {}, source,
    });
    return ticket;
  };

  const events = async (number: string) => w.store.ticketEvents((await w.store.ticketByNumber(number))!.id);

  it("a dissatisfied callback reopens the ticket and sets the next callback, read in the property's zone", async () => {
    await fileFromDesk("phone", false);
    await say("/claim HG-0001", "2026-11-23T09:10");
    await say("/resolve HG-0001 已更换角阀", "2026-11-23T11:00");
    expect(await say("/callback HG-0001 满意 ok next 明天 10:00", "2026-11-24T09:00")).toContain("只有业主不满意时才约定下次回访");
    expect(await say("/callback HG-0001 不满意 仍渗水 next 昨天", "2026-11-24T09:00")).toContain("下次回访时间应晚于现在");
    expect((await w.store.ticketByNumber("HG-0001"))!.status).toBe("resolved"); // refused: nothing recorded
    // The property keeps Tokyo time: "明天 10:00" is 10:00 there, 09:00 in Shanghai.
    await w.sla.setOverrides(w.property.id, { timezone: "Asia/Tokyo" }, sh("2026-11-24T09:00"));
    const said = await say("/callback HG-0001 不满意 仍渗水 next 明天 10:00", "2026-11-24T09:00");
    expect(said).toContain("已记录 HG-0001 的回访:不满意");
    expect(said).toContain("📅 已约定 11月25日 09:00 再次回访 HG-0001");
    const ticket = (await w.store.ticketByNumber("HG-0001"))!;
    expect([ticket.status, ticket.nextCallbackAt]).toEqual(["reopened", sh("2026-11-25T09:00")]);
    const callback = (await events("HG-0001")).find((e) => e.type === "callback")!;
    expect(callback.data).toEqual({ rating: "dissatisfied", note: "仍渗水", next: sh("2026-11-25T09:00").toISOString(), byPhone: true });
    expect(await say("/ticket HG-0001", "2026-11-24T09:05")).toContain("回访:不满意,约定 11月25日 09:00 再次回访（电话告知）");
  });

  it("an owner by phone: reply, promise, resolve and callback carry byPhone; the clocks treat them as any reply", async () => {
    await fileFromDesk("phone", false);
    await fileFromDesk("visit", true); // HG-0002: the owner is in chat and hears it there
    for (const n of ["HG-0001", "HG-0002"]) {
      await say(`/claim ${n}`, "2026-11-23T09:10");
      expect(await say(`/promise ${n} 15:00`, "2026-11-23T09:20")).toContain("15:00");
    }
    const before = (await w.store.ticketByNumber("HG-0001"))!;
    expect(before.firstResponseAt).toEqual(sh("2026-11-23T09:20"));
    expect(before.nextReplyDueAt).toEqual(sh("2026-11-23T15:00"));
    expect(await say("/reply HG-0001 师傅下午两点上门", "2026-11-23T10:00")).toContain("已记为电话告知");
    expect((await w.store.ticketByNumber("HG-0001"))!.nextReplyDueAt).toBeNull(); // the reply stopped the clock
    await say("/reply HG-0002 师傅下午两点上门", "2026-11-23T10:00");
    await say("/resolve HG-0001 已更换角阀", "2026-11-23T15:00");
    await say("/callback HG-0001 满意 已不漏", "2026-11-24T10:00");
    const stamped = (await events("HG-0001")).filter((e) => e.data.byPhone === true).map((e) => (e.type === "transition" ? e.data.action : e.type));
    expect(stamped).toEqual(["reply_promised", "reply", "resolve", "callback"]);
    expect((await events("HG-0002")).filter((e) => e.data.byPhone === true)).toEqual([]);
    const history = await say("/ticket HG-0001", "2026-11-24T10:05");
    expect(history).toContain("承诺在 11月23日 15:00 前回复（电话告知）");
    expect(history).toContain("工作人员回复:师傅下午两点上门（电话告知）");
    expect(history).toContain("回访:满意（电话告知）");
    expect(await say("/ticket HG-0002", "2026-11-24T10:05")).not.toContain("电话告知");
  });
});
