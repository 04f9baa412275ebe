import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ownerRate } from "../../../src/core/staff/workflow.js";
import { CALLBACK_JOB, callbackReminders } from "../../../src/core/sla/callback-reminders.js";
import { shiftHandover } from "../../../src/core/reports/shift-handover.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { TicketKind, TicketWeight } from "../../../src/core/ticket/kinds.js";
import { backends } from "../../support/db.js";
import { DIRECTOR_CHAT, openWorld, sh, STAFF_CHAT, type World } from "../../support/sla-world.js";

/**
 * 2026-11-23 is a Monday; business hours 08:30-18:00 every day, the ladder's step 30 minutes.
 * Each ticket is claimed by 小王 at 09:00 and resolved when its line says.
 */
const SCRIPT: readonly [TicketKind, TicketWeight, string][] = [
  ["repair", "general", "2026-11-23T10:00"], // HG-0001: 48 h by its follower
  ["complaint", "major", "2026-11-23T15:00"], // HG-0002: the director, by 18:00 the same day
  ["complaint", "general", "2026-11-23T17:00"], // HG-0003: 24 h by its follower
  ["inquiry", "general", "2026-11-23T10:00"], // HG-0004: no callback
  ["praise", "general", "2026-11-23T10:00"], // HG-0005: no callback
  ["complaint", "written", "2026-11-23T19:00"], // HG-0006: resolved after closing: the director, by Tuesday 18:00
  ["help", "general", "2026-11-23T10:00"], // HG-0007: 24 h by its follower
  ["complaint", "general", "2026-11-23T11:00"], // HG-0008: the owner rates it at 12:00
];

describe.each(backends())("callback reminders on $name", (backend) => {
  let w: World;
  let seen = new Set<string>();
  beforeEach(async () => {
    w = await openWorld(backend, { directorChat: true });
    seen = new Set();
    const { wang } = w.people;
    for (const [kind, weight] of SCRIPT) await w.file(kind, sh("2026-11-23T08:40"), weight);
    for (const [i, [, , at]] of SCRIPT.entries()) {
      const number = `HG-000${i + 1}`;
      await w.act(wang, number, { type: "claim" }, sh("2026-11-23T09:00"));
      await w.act(wang, number, { type: "resolve", result: "已处理" }, sh(at));
    }
    w.clock.at = sh("2026-11-23T12:00");
    expect((await ownerRate({ store: w.store, clock: w.clock }, { personId: w.owner.id, channel: "telegram" }, "HG-0008", "satisfied")).ok).toBe(true);
  });
  afterEach(async () => {
    expect(w.errors).toEqual([]);
    await w.close();
  });

  const run = (now: string, slot = now) => callbackReminders(w.deps, sh(now), sh(slot));
  const chatOf = (p: PersonRecord) => `telegram:${p.platformUserId}`;
  /** The posts made since the last look: "HG-0001 L1 → chat". */
  const newPosts = async (): Promise<string[]> => {
    const all = await w.ledger.postsOf(CALLBACK_JOB, new Date(0), new Date("2100-01-01T00:00:00Z"));
    const fresh = all.filter((p) => !seen.has(p.id));
    for (const p of fresh) seen.add(p.id);
    return fresh.map((p) => `${String(p.data.ticket)} L${String(p.data.level)} → ${(p.data.to as string[]).join(",")}`).sort();
  };

  it("remind the person responsible by severity at its time, then climb the ladder", async () => {
    const { wang, boss, head } = w.people;
    const staff = `telegram:${STAFF_CHAT}`;
    const director = `telegram:${DIRECTOR_CHAT}`;
    await run("2026-11-23T13:55");
    expect(await newPosts()).toEqual([]);
    // Four hours after resolution the owner has had time to rate: the follower is reminded.
    await run("2026-11-23T14:00");
    expect(await newPosts()).toEqual([`HG-0001 L1 → ${chatOf(wang)}`, `HG-0007 L1 → ${chatOf(wang)}`]);
    // The major complaint is the director's by the close of the day: reminded in the director's
    // chat at 18:00 at the latest, then the staff group and the property head.
    await run("2026-11-23T18:00");
    expect(await newPosts()).toEqual([`HG-0002 L1 → ${director}`]);
    await run("2026-11-23T19:00");
    expect(await newPosts()).toEqual([`HG-0002 L2 → ${staff}`, `HG-0002 L3 → ${chatOf(head)}`]);
    await run("2026-11-23T19:05");
    expect(await newPosts()).toEqual([]);
    // Not at night: the general complaint resolved at 17:00 and the letter at 19:00 wait for the opening.
    await run("2026-11-23T23:00");
    expect(await newPosts()).toEqual([]);
    await run("2026-11-24T08:30");
    expect(await newPosts()).toEqual([`HG-0003 L1 → ${chatOf(wang)}`, `HG-0006 L1 → ${director}`]);
    // The help's 24 hours ran out at 10:00; the complaint is called back in time.
    await w.act(wang, "HG-0003", { type: "callback", rating: "satisfied", note: "业主满意" }, sh("2026-11-24T09:00"));
    await run("2026-11-24T10:35");
    expect(await newPosts()).toEqual([`HG-0007 L2 → ${staff}`, `HG-0007 L3 → ${chatOf(boss)}`]);
    await run("2026-11-24T18:30");
    expect(await newPosts()).toEqual([`HG-0006 L2 → ${staff}`]);
    // The letter's director did not call by Tuesday's close: the property head hears at the next opening's step.
    await run("2026-11-25T10:00");
    expect(await newPosts()).toEqual([`HG-0001 L2 → ${staff}`, `HG-0006 L3 → ${chatOf(head)}`]);

    const sent = await w.messages();
    const first = sent.find((m) => m.chatId === DIRECTOR_CHAT)!.text.split("\n");
    expect(first).toEqual([
      "📞 回访提醒:HG-0002(投诉,A区5栋2单元301)已于 11月23日 15:00 处理,请服务中心主任在 11月23日 18:00 前回访业主。",
      "回访后请记录:/callback HG-0002 满意|较满意|不满意 备注;不满意时加 next 时间(如 next 明天 10:00)约定下次回访",
    ]);
    expect(sent.find((m) => m.chatId === "s-wang")!.text).toContain("HG-0001(报修,A区5栋2单元301)已于 11月23日 10:00 处理,请小王在 11月25日 10:00 前回访业主。");
    expect(sent.find((m) => m.key === "callbacks.late")!.text).toBe("⚠️ 回访超时:HG-0002(投诉,A区5栋2单元301)应在 11月23日 18:00 前回访,至今未回访。负责回访:服务中心主任。");
    expect(sent.filter((m) => /HG-000[458]/.test(m.text))).toEqual([]);
  });

  it("chase the next callback promised after a dissatisfied one, to the same person", async () => {
    const { wang } = w.people;
    await run("2026-11-23T14:00");
    await newPosts();
    // HG-0001's owner is not satisfied: fixed at once (reopened), and called again Wednesday 10:00.
    const r = await w.act(wang, "HG-0001", { type: "callback", rating: "dissatisfied", note: "仍渗水", next: "后天 10:00" }, sh("2026-11-23T16:00"));
    expect(r.ok && [r.ticket.status, r.ticket.nextCallbackAt]).toEqual(["reopened", sh("2026-11-25T10:00")]);
    await w.act(wang, "HG-0001", { type: "claim" }, sh("2026-11-23T16:10"));
    await w.act(wang, "HG-0001", { type: "resolve", result: "重新打胶" }, sh("2026-11-24T11:00"));
    // Its 48 hours from the new resolution are not what the owner was told: nothing until then.
    await run("2026-11-25T09:55");
    expect((await newPosts()).filter((p) => p.startsWith("HG-0001"))).toEqual([]);
    await run("2026-11-25T10:00");
    expect((await newPosts()).filter((p) => p.startsWith("HG-0001"))).toEqual([`HG-0001 L1 → ${chatOf(wang)}`]);
    const promised = (await w.messages()).filter((m) => m.key === "callbacks.remind_promised");
    expect(promised.map((m) => m.text.split("\n")[0])).toEqual([
      "📞 回访提醒:HG-0001(报修,A区5栋2单元301)上次回访时业主不满意,已约定 11月25日 10:00 再次回访,请小王按时回访。",
    ]);
    // The second callback settles it; a third without `next` would run on the policy's time again.
    await w.act(wang, "HG-0001", { type: "callback", rating: "satisfied", note: "已不漏" }, sh("2026-11-25T10:20"));
    expect((await w.store.ticketByNumber("HG-0001"))!.nextCallbackAt).toBeNull();
    await run("2026-11-25T12:00");
    expect((await newPosts()).filter((p) => p.startsWith("HG-0001"))).toEqual([]);
  });

  it("without `next`, the policy's time runs again from the new resolution", async () => {
    const { wang } = w.people;
    await w.act(wang, "HG-0007", { type: "callback", rating: "dissatisfied", note: "还需要帮忙" }, sh("2026-11-23T15:00"));
    await w.act(wang, "HG-0007", { type: "claim" }, sh("2026-11-23T15:10"));
    await w.act(wang, "HG-0007", { type: "resolve", result: "已帮忙搬完" }, sh("2026-11-23T16:00"));
    await run("2026-11-24T16:35");
    expect((await newPosts()).filter((p) => p.startsWith("HG-0007"))).toEqual([
      `HG-0007 L1 → ${chatOf(wang)}`,
      `HG-0007 L2 → telegram:${STAFF_CHAT}`,
      `HG-0007 L3 → ${chatOf(w.people.boss)}`,
    ]);
    const late = await w.ledger.postsOf(CALLBACK_JOB, new Date(0), new Date("2100-01-01T00:00:00Z"));
    expect(late.find((p) => p.data.ticket === "HG-0007" && p.data.level === 2)!.data.due).toBe(sh("2026-11-24T16:00").toISOString());
  });

  it("the shift handover lists the same callbacks to make: not an inquiry, praise or one the owner rated", async () => {
    expect(await shiftHandover(w.deps, sh("2026-11-24T08:30"), sh("2026-11-24T08:30"))).toEqual({ posted: 1, skipped: 0 });
    const pending = await w.db.outbox.due(new Date("2100-01-01T00:00:00Z"), 100);
    const posts = pending.flatMap((m) => (m.message.kind === "message" && m.message.body.text[0]?.key === "shift.title" ? [m.message.body.text] : []));
    expect(posts).toHaveLength(1);
    const text = w.render(posts[0]!);
    expect(text).toContain("待回访 5 单:");
    expect(text.match(/HG-\d{4}/g)?.sort()).toEqual(["HG-0001", "HG-0002", "HG-0003", "HG-0006", "HG-0007"]);
  });

  it("a run caught up after downtime says it is late", async () => {
    await run("2026-11-23T15:00");
    const made = await w.ledger.postsOf(CALLBACK_JOB, new Date(0), new Date("2100-01-01T00:00:00Z"));
    expect(made.map((p) => [p.data.ticket, p.late, p.scheduledFor.toISOString()]).sort()).toEqual([
      ["HG-0001", true, sh("2026-11-23T14:00").toISOString()],
      ["HG-0007", true, sh("2026-11-23T14:00").toISOString()],
    ]);
    expect((await w.messages())[0]!.text).toContain("(此消息本应在 11月23日 14:00 发出,因系统停机补发)");
  });
});
