import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OVERDUE_JOB, overdueSweep } from "../../../src/core/sla/overdue-sweep.js";
import { backends } from "../../support/db.js";
import { HOTLINE_CHAT, openWorld, sh, STAFF_CHAT, type World } from "../../support/sla-world.js";

const MINUTE = 60_000;

describe.each(backends())("the overdue sweep on $name", (backend) => {
  let w: World;
  beforeEach(async () => {
    w = await openWorld(backend);
  });
  afterEach(async () => {
    expect(w.errors).toEqual([]);
    await w.close();
  });

  const sweep = (at: Date) => overdueSweep(w.deps, at, at);
  /** Sweep every `step` minutes in [from, to], as the scheduler would. */
  async function sweepEvery(step: number, from: Date, to: Date): Promise<void> {
    for (let at = from.getTime(); at <= to.getTime(); at += step * MINUTE) await sweep(new Date(at));
  }
  /** The ledger's posts: "HG-0001 claim L1 10:30 @10:30" (scheduled and made, Shanghai time). */
  async function posts(): Promise<string[]> {
    const hhmm = (d: Date) => new Date(d.getTime() + 8 * 60 * MINUTE).toISOString().slice(11, 16);
    const all = await w.ledger.postsOf(OVERDUE_JOB, new Date(0), new Date("2100-01-01T00:00:00Z"));
    return all.map((p) => `${p.data["ticket"]} ${p.data["deadline"]} L${p.data["level"]} ${hhmm(p.scheduledFor)} @${hhmm(p.at)}`);
  }
  const dm = (who: keyof World["people"]) => `s-${who === "director" ? "dir" : who}`;

  it("a ticket claimed late gets level 1, 2 and 3 once each, at the right times; its first reply is then chased", async () => {
    await w.file("repair", sh("2026-11-23T10:00")); // claim by 10:30, first reply by 12:00
    await sweepEvery(5, sh("2026-11-23T10:00"), sh("2026-11-23T11:35"));
    await w.act(w.people.wang, "HG-0001", { type: "claim" }, sh("2026-11-23T11:40"));
    await sweepEvery(5, sh("2026-11-23T11:40"), sh("2026-11-23T12:05"));
    await w.act(w.people.wang, "HG-0001", { type: "reply", text: "师傅下午上门" }, sh("2026-11-23T12:07"));
    await sweepEvery(5, sh("2026-11-23T12:10"), sh("2026-11-23T18:00"));

    expect(await posts()).toEqual([
      "HG-0001 claim L1 10:30 @10:30",
      "HG-0001 claim L2 11:00 @11:00",
      "HG-0001 claim L3 11:30 @11:30",
      "HG-0001 reply L1 12:00 @12:00",
    ]);
    const sent = await w.messages();
    expect(sent.map((m) => `${m.chatId} ${m.key}`)).toEqual([
      `${STAFF_CHAT} sla.overdue.claim.1`, // unclaimed: level 1 goes to the staff group
      `${STAFF_CHAT} sla.overdue.claim.2`,
      `${dm("boss")} sla.overdue.claim.3`, // one level up from nobody: the supervisor
      `${dm("wang")} sla.overdue.reply.1`, // the assignee, in private
    ]);
    expect(sent[0]!.text).toBe("⏰ 工单 HG-0001(报修)尚未受理,应在 11月23日 10:30 前受理。请尽快受理:/claim HG-0001");
    expect(sent[3]!.text).toContain("约定在 11月23日 12:00 前回复业主,已超时。跟进人:小王。");
  });

  it("starts the claim clock again when a ticket goes back to the pool or is reopened, until someone claims it", async () => {
    await w.file("repair", sh("2026-11-23T09:00")); // claim by 09:30
    await w.act(w.people.wang, "HG-0001", { type: "claim" }, sh("2026-11-23T09:10"));
    await w.act(w.people.wang, "HG-0001", { type: "reply", text: "师傅下午上门" }, sh("2026-11-23T09:20"));
    await sweepEvery(10, sh("2026-11-23T09:20"), sh("2026-11-23T09:50"));
    await w.act(w.people.wang, "HG-0001", { type: "unclaim" }, sh("2026-11-23T10:00")); // back in the pool: claim by 10:30
    await sweepEvery(10, sh("2026-11-23T10:00"), sh("2026-11-23T11:00"));
    await w.act(w.people.boss, "HG-0001", { type: "claim" }, sh("2026-11-23T11:05"));
    await w.act(w.people.boss, "HG-0001", { type: "resolve", result: "已修好" }, sh("2026-11-23T14:00"));
    await sweepEvery(10, sh("2026-11-23T11:10"), sh("2026-11-23T18:00"));
    await w.act(w.people.boss, "HG-0001", { type: "reopen", reason: "业主说还在漏" }, sh("2026-11-24T09:00")); // claim by 09:30
    await sweepEvery(10, sh("2026-11-24T09:00"), sh("2026-11-24T09:40"));
    // Its last follower takes it up again: the clock stops there.
    await w.act(w.people.boss, "HG-0001", { type: "claim" }, sh("2026-11-24T09:45"));
    await sweepEvery(10, sh("2026-11-24T09:50"), sh("2026-11-24T12:00"));

    expect(await posts()).toEqual([
      "HG-0001 claim L1 10:30 @10:30",
      "HG-0001 claim L2 11:00 @11:00",
      "HG-0001 claim L1 09:30 @09:30",
    ]);
    expect((await w.messages()).map((m) => `${m.chatId} ${m.key}`)).toEqual([
      `${STAFF_CHAT} sla.overdue.claim.1`, // back in the pool: nobody holds it, the group hears
      `${STAFF_CHAT} sla.overdue.claim.2`,
      `${dm("boss")} sla.overdue.claim.1`, // reopened: the one who followed it is reminded
    ]);
    const ticket = await w.store.ticketByNumber("HG-0001");
    expect(ticket).toMatchObject({ status: "claimed", assigneeId: w.people.boss.id, awaitingClaimSince: sh("2026-11-24T09:00") });
    // The first claim stays the first: the claim-on-time rate counts it.
    expect(ticket?.claimedAt).toEqual(sh("2026-11-23T09:10"));
  });

  it("a reopened ticket its follower answers is taken up again: no claim alarm, and it is worked on", async () => {
    await w.file("repair", sh("2026-11-23T09:00"));
    await w.act(w.people.wang, "HG-0001", { type: "claim" }, sh("2026-11-23T09:05"));
    await w.act(w.people.wang, "HG-0001", { type: "resolve", result: "已修好" }, sh("2026-11-23T10:00"));
    await w.act(w.people.boss, "HG-0001", { type: "reopen", reason: "业主说还在漏" }, sh("2026-11-23T11:00")); // claim by 11:30
    await w.act(w.people.wang, "HG-0001", { type: "reply", text: "明天上午再派师傅" }, sh("2026-11-23T11:20"));
    await sweepEvery(10, sh("2026-11-23T11:00"), sh("2026-11-23T13:00"));

    expect(await posts()).toEqual([]);
    expect(await w.store.ticketByNumber("HG-0001")).toMatchObject({ status: "in_progress", assigneeId: w.people.wang.id });
  });

  it("counts business hours: a ticket filed at 17:50 is chased from 08:50 the next morning, not at night", async () => {
    await w.file("repair", sh("2026-11-23T17:50"));
    for (const at of ["2026-11-23T18:30", "2026-11-23T23:59", "2026-11-24T03:00", "2026-11-24T08:49"]) {
      expect(await sweep(sh(at))).toEqual({ posted: 0, skipped: 0 });
    }
    expect(await sweep(sh("2026-11-24T08:50"))).toEqual({ posted: 1, skipped: 0 });
    expect(await posts()).toEqual(["HG-0001 claim L1 08:50 @08:50"]);
  });

  it("a promise that passes without a reply climbs the ladder; a promise kept in time does not; a new promise is a new deadline", async () => {
    for (const n of ["HG-0001", "HG-0002"]) {
      await w.file("complaint", sh("2026-11-23T09:00")); // first reply due 13:00
      await w.act(w.people.wang, n, { type: "claim" }, sh("2026-11-23T09:05"));
      await w.act(w.people.wang, n, { type: "promise", due: sh("2026-11-23T11:00") }, sh("2026-11-23T09:10"));
    }
    await sweepEvery(10, sh("2026-11-23T09:20"), sh("2026-11-23T10:40"));
    await w.act(w.people.wang, "HG-0002", { type: "reply", text: "已联系保安队长" }, sh("2026-11-23T10:50"));
    await sweepEvery(10, sh("2026-11-23T10:50"), sh("2026-11-23T12:00"));
    // HG-0001 gets a new promise after the ladder ran; that one passes too.
    await w.act(w.people.wang, "HG-0001", { type: "promise", due: sh("2026-11-23T15:00") }, sh("2026-11-23T12:10"));
    await sweepEvery(10, sh("2026-11-23T12:10"), sh("2026-11-23T15:10"));

    expect(await posts()).toEqual([
      "HG-0001 reply L1 11:00 @11:00",
      "HG-0001 reply L2 11:30 @11:30",
      "HG-0001 reply L3 12:00 @12:00",
      "HG-0001 reply L1 15:00 @15:00",
    ]);
    const periods = (await w.ledger.postsOf(OVERDUE_JOB, new Date(0), new Date("2100-01-01T00:00:00Z"))).map((p) => p.period);
    expect(new Set(periods).size).toBe(2); // the ticket, the kind and the due time name the deadline
    expect((await w.messages()).map((m) => `${m.chatId} ${m.key}`)).toEqual([
      `${dm("wang")} sla.overdue.reply.1`,
      `${STAFF_CHAT} sla.overdue.reply.2`,
      `${dm("boss")} sla.overdue.reply.3`, // a specialist's level up is the supervisor
      `${dm("wang")} sla.overdue.reply.1`,
    ]);
  });

  it("posts once when run twice, or by two sweeps at once; levels caught up late say so", async () => {
    await w.file("repair", sh("2026-11-23T10:00"));
    // Down from 10:00 to 11:40: every claim level is due at once.
    const at = sh("2026-11-23T11:40");
    const [a, b] = await Promise.all([sweep(at), sweep(at)]);
    expect(a.posted + b.posted).toBe(3);
    expect(await sweep(at)).toEqual({ posted: 0, skipped: 3 });
    const made = await w.ledger.postsOf(OVERDUE_JOB, new Date(0), new Date("2100-01-01T00:00:00Z"));
    // Made in one moment, so in no particular order.
    expect(made.map((p) => [p.target, p.late]).sort()).toEqual([
      ["level:1", true], // 70 minutes after its time
      ["level:2", true], // 40 minutes
      ["level:3", false], // 10 minutes: on time
    ]);
    const sent = await w.messages();
    expect(sent.map((m) => `${m.chatId} ${m.key}`).sort()).toEqual([`${STAFF_CHAT} sla.overdue.claim.1`, `${STAFF_CHAT} sla.overdue.claim.2`, `${dm("boss")} sla.overdue.claim.3`]);
    const first = sent.find((m) => m.key === "sla.overdue.claim.1")!;
    expect(first.text).toContain("(此消息本应在 11月23日 10:30 发出,因系统停机补发)");
    expect(sent.find((m) => m.key === "sla.overdue.claim.3")!.text).not.toContain("补发");
  });

  it("goes one level up from the assignee's role: a supervisor's to the director, a director's to the property head", async () => {
    await w.file("repair", sh("2026-11-23T10:00"));
    await w.file("repair", sh("2026-11-23T10:00"));
    await w.act(w.people.boss, "HG-0001", { type: "claim" }, sh("2026-11-23T10:05"));
    await w.act(w.people.director, "HG-0002", { type: "claim" }, sh("2026-11-23T10:05"));
    await sweepEvery(30, sh("2026-11-23T12:00"), sh("2026-11-23T13:00"));
    const up = (await w.messages()).filter((m) => m.key === "sla.overdue.reply.3");
    expect(up.map((m) => [m.text.slice(0, 20), m.chatId])).toEqual([
      [expect.stringContaining("HG-0001"), dm("director")],
      [expect.stringContaining("HG-0002"), dm("head")],
    ]);
  });

  it("reports a complaint still unsolved after 7 days in writing to the property head and the hotline group, once", async () => {
    await w.file("complaint", sh("2026-11-23T10:00"));
    await w.file("complaint", sh("2026-11-23T10:00"));
    await w.file("repair", sh("2026-11-23T10:00")); // not a complaint: no written report
    for (const n of ["HG-0001", "HG-0002", "HG-0003"]) {
      await w.act(w.people.wang, n, { type: "claim" }, sh("2026-11-23T10:01"));
      await w.act(w.people.wang, n, { type: "reply", text: "收到,正在处理" }, sh("2026-11-23T10:02"));
    }
    await w.act(w.people.wang, "HG-0002", { type: "resolve", result: "已处理" }, sh("2026-11-26T10:00"));
    expect(await sweep(sh("2026-11-30T09:59"))).toEqual({ posted: 0, skipped: 0 });
    expect(await sweep(sh("2026-11-30T10:00"))).toEqual({ posted: 1, skipped: 0 });
    expect(await sweep(sh("2026-11-30T10:05"))).toEqual({ posted: 0, skipped: 1 });
    const sent = await w.messages();
    expect(sent.map((m) => `${m.chatId} ${m.key}`)).toEqual([`${dm("head")} sla.overdue.unresolved.1`, `${HOTLINE_CHAT} sla.overdue.unresolved.1`]);
    expect(sent[0]!.text).toContain("投诉工单 HG-0001 于 11月23日 10:00 受理,7 天内未能解决");
  });
});
