import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ownerRate } from "../../../src/core/staff/workflow.js";
import { CALLBACK_JOB, callbackReminders } from "../../../src/core/sla/callback-reminders.js";
import { backends } from "../../support/db.js";
import { openWorld, sh, STAFF_CHAT, type World } from "../../support/sla-world.js";

describe.each(backends())("callback reminders on $name", (backend) => {
  let w: World;
  beforeEach(async () => {
    w = await openWorld(backend);
    const { wang, boss } = w.people;
    const resolveAs = async (who: typeof wang, number: string, at: string, claim = true) => {
      if (claim) await w.act(who, number, { type: "claim" }, sh(at));
      await w.act(who, number, { type: "resolve", result: "已修好" }, sh(at));
    };
    for (let i = 0; i < 5; i++) await w.file("repair", sh("2026-11-23T08:40"));
    await resolveAs(wang, "HG-0001", "2026-11-23T10:00"); // callback due Tue 10:00
    await resolveAs(wang, "HG-0002", "2026-11-23T16:00"); // due Tue 16:00
    await resolveAs(boss, "HG-0003", "2026-11-23T11:00", false); // nobody claimed it: the staff group's
    await resolveAs(wang, "HG-0004", "2026-11-23T09:00");
    w.clock.at = sh("2026-11-23T09:30");
    const rated = await ownerRate({ store: w.store, clock: w.clock }, { personId: w.owner.id, channel: "telegram" }, "HG-0004", "satisfied");
    expect(rated.ok).toBe(true); // rated by the owner: closed, no callback to make
    await resolveAs(wang, "HG-0005", "2026-11-24T12:30"); // too fresh at 14:00: the owner may still rate it
  });
  afterEach(async () => {
    expect(w.errors).toEqual([]);
    await w.close();
  });

  const run = (slot: string, now = slot) => callbackReminders(w.deps, sh(now), sh(slot));

  it("lists due and overdue callbacks to the person responsible, once per slot", async () => {
    expect(await run("2026-11-24T09:00")).toEqual({ posted: 2, skipped: 0 });
    expect(await run("2026-11-24T09:00", "2026-11-24T09:05")).toEqual({ posted: 0, skipped: 2 });
    let sent = await w.messages();
    expect(sent.map((m) => m.chatId).sort()).toEqual([STAFF_CHAT, "s-wang"]);
    const wangs = sent.find((m) => m.chatId === "s-wang")!.text.split("\n");
    expect(wangs).toEqual([
      "📞 回访提醒:以下 2 张工单已处理,请回访业主:",
      "• HG-0001(报修,A区5栋2单元301)于 11月23日 10:00 处理,请在 11月24日 10:00 前回访",
      "• HG-0002(报修,A区5栋2单元301)于 11月23日 16:00 处理,请在 11月24日 16:00 前回访",
      "回访后请记录:/callback 工单号 满意|较满意|不满意 备注",
    ]);
    expect(sent.find((m) => m.chatId === STAFF_CHAT)!.text).toContain("HG-0003");

    // In the afternoon HG-0001 and HG-0003 are past their 24 hours; HG-0005 is not listed yet.
    expect(await run("2026-11-24T14:00")).toEqual({ posted: 2, skipped: 0 });
    sent = (await w.messages()).slice(2);
    const afternoon = sent.find((m) => m.chatId === "s-wang")!.text;
    expect(afternoon).toContain("• HG-0001(报修,A区5栋2单元301)于 11月23日 10:00 处理,回访已于 11月24日 10:00 超时");
    expect(afternoon).toContain("请在 11月24日 16:00 前回访");
    expect(afternoon).not.toContain("HG-0005");
    expect(sent.find((m) => m.chatId === STAFF_CHAT)!.text).toContain("HG-0003(报修,A区5栋2单元301)于 11月23日 11:00 处理,回访已于");

    // The callback made, HG-0001 drops out; by the evening HG-0005 is in.
    await w.act(w.people.wang, "HG-0001", { type: "callback", rating: "satisfied", note: "业主满意" }, sh("2026-11-24T14:30"));
    expect(await run("2026-11-24T21:00")).toEqual({ posted: 2, skipped: 0 });
    const evening = (await w.messages()).slice(4).find((m) => m.chatId === "s-wang")!.text;
    expect(evening).not.toContain("HG-0001");
    expect(evening).toContain("HG-0002");
    expect(evening).toContain("HG-0005");
    expect(evening).not.toContain("HG-0004");

    const made = await w.ledger.postsOf(CALLBACK_JOB, new Date(0), new Date("2100-01-01T00:00:00Z"));
    expect(made.map((p) => p.target).sort()).toEqual([
      ...Array(3).fill(w.people.wang.id),
      ...Array(3).fill(`staff:${w.property.id}:telegram:${STAFF_CHAT}`),
    ].sort());
  });

  it("a run caught up after downtime says it is late", async () => {
    await run("2026-11-24T09:00", "2026-11-24T11:00");
    const made = await w.ledger.postsOf(CALLBACK_JOB, new Date(0), new Date("2100-01-01T00:00:00Z"));
    expect(made.every((p) => p.late && p.scheduledFor.getTime() === sh("2026-11-24T09:00").getTime())).toBe(true);
    expect((await w.messages())[0]!.text).toContain("(此消息本应在 11月24日 09:00 发出,因系统停机补发)");
  });
});
