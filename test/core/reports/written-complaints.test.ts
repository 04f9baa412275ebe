/**
 * Issue 12, item 6: the daily log and the director's digest list the written complaints (书面投诉,
 * seed 000 §2(2)B) still owed their written reply, each with its number in 收文登记簿 and its reply
 * deadline, the overdue ones marked; on both databases.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dailyLog } from "../../../src/core/reports/daily-log.js";
import { directorDigest } from "../../../src/core/reports/director-digest.js";
import { writtenComplaintTexts } from "../../../src/core/reports/written.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import type { JobDeps } from "../../../src/jobs/job.js";
import { letterRegisterStore } from "../../../src/infra/prisma/letters.js";
import { backends, type TestStore } from "../../support/db.js";
import { fixture, jobDeps, pending, render, sh, type Fixture } from "../../support/reports-fixture.js";

const DIGEST_SLOT = sh("2026-11-23 08:30");
const LOG_SLOT = sh("2026-11-22 18:00");

describe.each(backends())("open written complaints in the daily posts on $name", (backend) => {
  let db: TestStore;
  let f: Fixture;
  let deps: JobDeps;
  let errors: unknown[];
  let letters: Record<"old" | "fresh" | "answered" | "unregistered" | "late", TicketRecord>;
  beforeEach(async () => {
    db = await backend.open();
    f = await fixture(db.store);
    errors = [];
    deps = jobDeps(db, errors);
    const register = db.use(letterRegisterStore);
    const letter = async (at: string, sender: string): Promise<TicketRecord> => {
      const ticket = await f.file(at, { source: "letter", weight: "written", category: "conduct" });
      const entry = await register.registerLetter({
        propertyId: f.property.id, year: 2026, intakeId: `letter-${ticket.id}`, receivedOn: at.slice(0, 10), sender, summary: "来信投诉",
        scans: [], registeredAt: sh(at), registeredById: f.staff.front.id,
      });
      await register.linkLetterTicket(entry.id, ticket.id);
      return ticket;
    };
    letters = {
      old: await letter("2026-11-18 10:00", "刘女士"), // HG-收-2026-001, its reply long overdue
      answered: await letter("2026-11-19 10:00", "赵先生"), // 002, answered in writing: not listed
      fresh: await letter("2026-11-22 15:00", "孙女士"), // 003
      // Weight `written` with no register entry (registered by hand before the register existed).
      unregistered: await f.file("2026-11-21 09:00", { source: "letter", weight: "written" }),
      late: await letter("2026-11-23 07:00", "周先生"), // after the digest's day: not in it
    };
    await f.act(f.staff.director, "2026-11-20 09:00", letters.answered, { type: "claim" });
    await f.act(f.staff.director, "2026-11-20 10:00", letters.answered, { type: "resolve", result: "书面: 已书面回复" });
    // A general complaint and a major one are not written complaints.
    await f.file("2026-11-22 11:00");
    await f.file("2026-11-22 12:00", { weight: "major" });
  });
  afterEach(async () => {
    expect(errors).toEqual([]);
    await db.close();
  });

  it("the store lists the open ones filed before `to`, soonest deadline first, with register number and sender", async () => {
    const list = await deps.reports.openWrittenComplaints(f.property.id, sh("2026-11-23 00:00"));
    expect(list.map((x) => x.ticketNumber)).toEqual([letters.old, letters.unregistered, letters.fresh].map((x) => x.number));
    expect(list[0]).toEqual({
      ticketNumber: letters.old.number, registerNumber: "HG-收-2026-001", sender: "刘女士", roomLabel: letters.old.roomLabel,
      status: "new", nextReplyDueAt: letters.old.nextReplyDueAt,
    });
    expect(list[1]).toMatchObject({ registerNumber: null, sender: null });
    expect(list[2]).toMatchObject({ registerNumber: "HG-收-2026-003", sender: "孙女士" });
    expect(list.map((x) => x.nextReplyDueAt!.getTime())).toEqual([...list.map((x) => x.nextReplyDueAt!.getTime())].sort((a, b) => a - b));
    expect(await deps.reports.openWrittenComplaints(f.property.id, sh("2026-11-23 08:00"))).toHaveLength(4);
  });

  it("the director's digest lists them with their deadlines, the overdue ones marked", async () => {
    await db.store.bindChat({ platform: "telegram", chatId: "-200", propertyId: f.property.id, purpose: "director", department: null }, sh("2026-11-01 09:00"));
    expect(await directorDigest(deps, DIGEST_SLOT, DIGEST_SLOT)).toEqual({ posted: 1, skipped: 0 });
    const [message] = (await pending(db)).filter((m) => m.chatId === "-200");
    const lines = message!.text.split("\n");
    expect(lines).toContain("✉️ 待书面回复的书面投诉 3 件(已超期 2 件):");
    const line = (number: string) => lines.find((l) => l.includes(number));
    expect(line(letters.old.number)).toMatch(/^⚠️ HG-收-2026-001 HG-\d+ 3-\d+ 来信人 刘女士 —— 已超期,应于 11月\d+日 \d\d:\d\d 前回复$/);
    expect(line(letters.unregistered.number)).toMatch(/^⚠️ \(未登记收文\) HG-\d+ 3-\d+ 来信人 未提供 —— 已超期/);
    expect(line("HG-收-2026-003")).toBe(`· HG-收-2026-003 ${letters.fresh.number} ${letters.fresh.roomLabel} 来信人 孙女士 —— 应于 11月23日 ${hhmm(letters.fresh.nextReplyDueAt!)} 前回复`);
    expect(message!.text).not.toContain("HG-收-2026-002");
    expect(message!.text).not.toContain("周先生");
  });

  it("the daily log lists those filed by its slot, in the staff group", async () => {
    await db.store.bindChat({ platform: "telegram", chatId: "-100", propertyId: f.property.id, purpose: "staff", department: null }, sh("2026-11-01 09:00"));
    expect(await dailyLog(deps, LOG_SLOT, LOG_SLOT)).toEqual({ posted: 1, skipped: 0 });
    const [message] = (await pending(db)).filter((m) => m.chatId === "-100");
    expect(message).toMatchObject({ chatId: "-100", firstKey: "daily_log.title" });
    expect(message!.text).toContain("✉️ 待书面回复的书面投诉 3 件(已超期");
    expect(message!.text).toContain("HG-收-2026-001");
    expect(message!.text).toContain("HG-收-2026-003");
    expect(message!.text).not.toContain("HG-收-2026-004");
  });

  it("says so when none is waiting, and reads in English", async () => {
    const none = await deps.reports.openWrittenComplaints(f.property.id, sh("2026-11-18 00:00"));
    expect(render(writtenComplaintTexts(none, DIGEST_SLOT))).toBe("书面投诉:没有待书面回复的。");
    const list = await deps.reports.openWrittenComplaints(f.property.id, sh("2026-11-23 00:00"));
    const en = render(writtenComplaintTexts(list, DIGEST_SLOT), "en");
    expect(en).toContain("Written complaints awaiting a written reply: 3 (2 overdue):");
    expect(en).toContain("(not in the register)");
    expect(en).toMatch(/⚠️ HG-收-2026-001 .* from 刘女士 — overdue: reply was due by/);
  });
});

/** "09:00" in Shanghai. */
const hhmm = (d: Date): string => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
