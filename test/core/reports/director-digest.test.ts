/** The 08:30 digest job and the 09:00 reminder, through the ledger, on both databases. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { digestKey } from "../../../src/core/reports/digest.js";
import { directorDigest } from "../../../src/core/reports/director-digest.js";
import { digestReminder } from "../../../src/core/reports/digest-reminder.js";
import type { JobDeps } from "../../../src/jobs/job.js";
import { backends, type TestStore } from "../../support/db.js";
import { fixture, jobDeps, pending, sh, type Fixture } from "../../support/reports-fixture.js";

const DIRECTOR_CHAT = "-200";
const SLOT = sh("2026-11-23 08:30");
const REMINDER_SLOT = sh("2026-11-23 09:00");

describe.each(backends())("the director's digest jobs on $name", (backend) => {
  let db: TestStore;
  let f: Fixture;
  let deps: JobDeps;
  let errors: unknown[];
  beforeEach(async () => {
    db = await backend.open();
    f = await fixture(db.store);
    errors = [];
    deps = jobDeps(db, errors);
  });
  afterEach(async () => {
    expect(errors).toEqual([]);
    await db.close();
  });
  const bindDirectorChat = () =>
    db.store.bindChat({ platform: "telegram", chatId: DIRECTOR_CHAT, propertyId: f.property.id, purpose: "director", department: null }, sh("2026-11-01 09:00"));
  const key = (date: string) => digestKey(f.property.id, date);

  it("posts yesterday's digest to the director chat once, with the 已阅 button", async () => {
    await bindDirectorChat();
    const complaint = await f.file("2026-11-22 10:00");
    await f.file("2026-11-23 07:00"); // today's: not in yesterday's digest
    expect(await directorDigest(deps, SLOT, SLOT)).toEqual({ posted: 1, skipped: 0 });
    const [message, ...rest] = await pending(db);
    expect(rest).toEqual([]);
    expect(message).toMatchObject({ chatId: DIRECTOR_CHAT, firstKey: "digest.title" });
    expect(message!.text).toContain("📋 主任晨报 · 虹港家园 · 2026-11-22");
    expect(message!.text).toContain("新增工单 1 单(投诉 1");
    expect(message!.text).toContain(`${complaint.number} 投诉·护卫秩序`);
    expect(message!.text).toContain("请于 11月23日 09:00 前阅毕");
    expect(message!.text).not.toContain("本应在");
    expect(message!.choices.map((c) => c.value)).toEqual([`digest:sign:${f.property.id}:2026-11-22`]);
    expect(await deps.ledger.find(key("2026-11-22"))).toMatchObject({ late: false, scheduledFor: SLOT, data: { created: 1, complaints: 1, needPush: 1 } });

    // Run again for the same slot (a retry, another instance): nothing more.
    expect(await directorDigest(deps, new Date(SLOT.getTime() + 60_000), SLOT)).toEqual({ posted: 0, skipped: 1 });
    expect(await pending(db)).toHaveLength(1);
  });

  it("goes to the directors' private chats when the property has no director chat", async () => {
    expect(await directorDigest(deps, SLOT, SLOT)).toEqual({ posted: 1, skipped: 0 });
    expect((await pending(db)).map((m) => m.chatId)).toEqual(["s-director"]);
  });

  it("caught up after downtime: covers the slot's yesterday and says it is late and when it was due", async () => {
    await bindDirectorChat();
    const slot = sh("2026-11-22 08:30");
    const now = sh("2026-11-23 10:15");
    await directorDigest(deps, now, slot);
    const [message] = await pending(db);
    expect(message!.text).toContain("2026-11-21");
    expect(message!.text).toContain("(此消息本应在 11月22日 08:30 发出");
    expect(await deps.ledger.find(key("2026-11-21"))).toMatchObject({ late: true, scheduledFor: slot, at: now });
  });

  it("counts the day in the property's own time zone when its SLA policy names one", async () => {
    await deps.sla.setOverrides(f.property.id, { timezone: "Europe/London" }, sh("2026-11-01 09:00"));
    // 07:30 on the 23rd in Shanghai is 23:30 on the 22nd in London.
    await f.file("2026-11-23 07:30");
    await directorDigest(deps, SLOT, SLOT);
    expect(await deps.ledger.find(key("2026-11-22"))).toMatchObject({ data: { created: 1 } });
  });

  it("reminds at 09:00 once when nobody has signed, and not at all once signed", async () => {
    await bindDirectorChat();
    expect(await digestReminder(deps, REMINDER_SLOT, REMINDER_SLOT)).toEqual({ posted: 0, skipped: 0 }); // nothing posted yet
    await directorDigest(deps, SLOT, SLOT);
    expect(await digestReminder(deps, REMINDER_SLOT, REMINDER_SLOT)).toEqual({ posted: 1, skipped: 0 });
    expect(await digestReminder(deps, REMINDER_SLOT, REMINDER_SLOT)).toEqual({ posted: 0, skipped: 1 });
    const reminders = (await pending(db)).filter((m) => m.firstKey === "digest.reminder");
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.text).toBe("⏰ 虹港家园 2026-11-22 的主任晨报尚未签阅,请尽快阅读并点「已阅」(考核要求 11月23日 09:00 前签阅)。");
    expect(reminders[0]!.choices.map((c) => c.value)).toEqual([`digest:sign:${f.property.id}:2026-11-22`]);

    // The next day the director signs at 08:45: no reminder at 09:00.
    const nextSlot = sh("2026-11-24 08:30");
    await directorDigest(deps, nextSlot, nextSlot);
    await deps.ledger.sign(key("2026-11-23"), f.staff.director.id, sh("2026-11-24 08:45"));
    expect(await digestReminder(deps, sh("2026-11-24 09:00"), sh("2026-11-24 09:00"))).toEqual({ posted: 0, skipped: 0 });
  });
});
