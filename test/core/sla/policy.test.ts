import { describe, expect, it } from "vitest";
import { claimDue, firstReplyDue, levelAt, openDeadlines, reachedLevels, type Deadline, type DeadlineKind } from "../../../src/core/sla/deadlines.js";
import { applyOverrides, changeOverrides, DEFAULT_SLA_POLICY, parseDuration, policySettings, SLA_SETTING_KEYS } from "../../../src/core/sla/policy.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";

const MIN = 60_000;
const z = (iso: string) => new Date(iso);

describe("SLA policy defaults", () => {
  it("are the seeds' rules", () => {
    const p = DEFAULT_SLA_POLICY;
    expect(p.businessHours).toEqual({ timeZone: "Asia/Shanghai", open: 510, close: 1080, days: [1, 2, 3, 4, 5, 6, 7] });
    expect(p.claimMinutes).toBe(30);
    expect(p.majorClaimMinutes).toBe(10);
    expect(p.replyMinutes).toEqual({ repair: 120, complaint: 240, inquiry: 240, suggestion: 1440, praise: 1440, help: 120 });
    expect(p.majorReplyMinutes).toBe(30);
    expect(p.callbackPlans).toEqual({
      major: { by: "director", within: "same_day" },
      written: { by: "director", within: "same_day" },
      complaint: { by: "follower", within: 24 * 60 },
      repair: { by: "follower", within: 48 * 60 },
      help: { by: "follower", within: 24 * 60 },
      suggestion: null,
      inquiry: null,
      praise: null,
    });
    expect(p.complaintEscalateMinutes).toBe(7 * 24 * 60);
    expect(p.stepMinutes).toBe(30);
  });

  it("promise the first reply in business hours, a major one on the wall clock", () => {
    // Filed Monday 20:00 in Shanghai (12:00Z).
    const night = z("2026-11-23T12:00:00Z");
    expect(firstReplyDue("repair", "general", night, DEFAULT_SLA_POLICY).toISOString()).toBe("2026-11-24T02:30:00.000Z");
    expect(firstReplyDue("complaint", "major", night, DEFAULT_SLA_POLICY).toISOString()).toBe("2026-11-23T12:30:00.000Z");
    expect(claimDue(night, "general", DEFAULT_SLA_POLICY).toISOString()).toBe("2026-11-24T01:00:00.000Z");
    expect(claimDue(night, "major", DEFAULT_SLA_POLICY).toISOString()).toBe("2026-11-23T12:10:00.000Z");
  });
});

describe("SLA overrides", () => {
  it("apply over the defaults", () => {
    const r = applyOverrides({ "reply.repair": "3h", hours: "09:00-17:30", days: "1-5", timezone: "Asia/Hong_Kong", step: "15m" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.replyMinutes.repair).toBe(180);
    expect(r.policy.replyMinutes.complaint).toBe(240);
    expect(r.policy.businessHours).toEqual({ timeZone: "Asia/Hong_Kong", open: 540, close: 1050, days: [1, 2, 3, 4, 5] });
    expect(r.policy.stepMinutes).toBe(15);
    expect(DEFAULT_SLA_POLICY.replyMinutes.repair).toBe(120); // the defaults are not touched
  });

  it("report every bad key and value with a code and a locale key", () => {
    const r = applyOverrides({ "reply.pizza": "1h", hours: "18:00-08:30", days: "0-5", timezone: "Mars/Olympus", claim: "0m" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.key])).toEqual([
      ["unknown_key", "reply.pizza"],
      ["bad_value", "hours"],
      ["bad_value", "days"],
      ["bad_value", "timezone"],
      ["bad_value", "claim"],
    ]);
    expect(r.errors[1]!.text).toMatchObject({ key: "sla.error.bad_value", params: { hint: { key: "sla.hint.hours" } } });
  });

  it("change all or nothing, store canonical values, and `default` removes one", () => {
    const first = changeOverrides({}, ["reply.repair=90m", "CLAIM=1h", "days=1,2,3-5"]);
    expect(first).toMatchObject({ ok: true, overrides: { "reply.repair": "1h30m", claim: "1h", days: "1-5" } });
    if (!first.ok) return;
    expect(first.policy.claimMinutes).toBe(60);
    const second = changeOverrides(first.overrides, ["claim=default", "escalate=5d", "callback=1d12h"]);
    expect(second).toMatchObject({ ok: true, overrides: { "reply.repair": "1h30m", days: "1-5", escalate: "5d", "callback.complaint": "36h/follower" } });
    expect(second.ok && "claim" in second.overrides).toBe(false);
    const bad = changeOverrides(first.overrides, ["step=10m", "nonsense", "step=forever"]);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.code)).toEqual(["bad_assignment", "bad_value"]);
  });

  it("read durations as an admin writes them", () => {
    expect(parseDuration("30m")).toBe(30);
    expect(parseDuration("2h")).toBe(120);
    expect(parseDuration("1h30m")).toBe(90);
    expect(parseDuration("7d")).toBe(7 * 1440);
    expect(parseDuration("45")).toBe(45);
    for (const bad of ["", "0", "h", "2x", "-5m", "61d", "1.5h"]) expect(parseDuration(bad), bad).toBeNull();
  });

  it("show every setting, and each has a meaning in both languages", async () => {
    const shown = policySettings(DEFAULT_SLA_POLICY);
    expect(shown.map((s) => s.key)).toEqual(SLA_SETTING_KEYS);
    expect(Object.fromEntries(shown.map((s) => [s.key, s.value]))).toMatchObject({ hours: "08:30-18:00", days: "1-7", "reply.suggestion": "24h", "callback.complaint": "24h/follower", escalate: "7d" });
    const catalogs = await loadCatalog();
    for (const key of SLA_SETTING_KEYS) {
      expect(catalogs["zh-CN"], key).toHaveProperty([`sla.setting.${key}`]);
      expect(catalogs.en, key).toHaveProperty([`sla.setting.${key}`]);
    }
  });
});

describe("deadlines and the ladder", () => {
  const ticket = (over: Partial<TicketRecord>): TicketRecord =>
    ({ id: "t1", kind: "repair", weight: "general", status: "new", createdAt: z("2026-11-23T09:50:00Z"), claimedAt: null, nextReplyDueAt: null, ...over }) as TicketRecord;

  it("a ticket filed at 17:50 has its claim deadline and ladder the next morning", () => {
    const [claim] = openDeadlines(ticket({}), DEFAULT_SLA_POLICY);
    expect(claim).toMatchObject({ kind: "claim", due: z("2026-11-24T00:50:00Z"), business: true });
    expect([1, 2, 3].map((l) => levelAt(claim!, l as 1 | 2 | 3, DEFAULT_SLA_POLICY).toISOString())).toEqual([
      "2026-11-24T00:50:00.000Z",
      "2026-11-24T01:20:00.000Z",
      "2026-11-24T01:50:00.000Z",
    ]);
    expect(reachedLevels(claim!, z("2026-11-24T01:20:00Z"), DEFAULT_SLA_POLICY)).toEqual([1, 2]);
  });

  it("a major matter's ladder runs through the night", () => {
    const major: Deadline = { kind: "reply", due: z("2026-11-23T15:00:00Z"), business: false, levels: [1, 2, 3] };
    expect(levelAt(major, 3, DEFAULT_SLA_POLICY).getTime() - major.due.getTime()).toBe(60 * MIN);
  });

  it("every deadline's levels have their message in both languages", async () => {
    const catalogs = await loadCatalog();
    const ladders: Record<DeadlineKind, number> = { claim: 3, reply: 3, unresolved: 1 };
    for (const [kind, levels] of Object.entries(ladders)) {
      const d: Deadline = openDeadlines(ticket({ kind: "complaint", nextReplyDueAt: z("2026-11-23T12:00:00Z") }), DEFAULT_SLA_POLICY).find((x) => x.kind === kind)!;
      expect(d.levels).toHaveLength(levels);
      for (const level of d.levels) {
        expect(catalogs["zh-CN"]).toHaveProperty([`sla.overdue.${kind}.${level}`]);
        expect(catalogs.en).toHaveProperty([`sla.overdue.${kind}.${level}`]);
      }
    }
  });

  it("a met deadline is gone: claimed, no promise pending, waiting on the owner, resolved", () => {
    const kinds = (over: Partial<TicketRecord>) => openDeadlines(ticket(over), DEFAULT_SLA_POLICY).map((d) => d.kind);
    const due = z("2026-11-23T12:00:00Z");
    expect(kinds({ nextReplyDueAt: due })).toEqual(["claim", "reply"]);
    expect(kinds({ status: "claimed", claimedAt: due, nextReplyDueAt: due })).toEqual(["reply"]);
    expect(kinds({ status: "waiting_owner", claimedAt: due, nextReplyDueAt: due })).toEqual([]);
    expect(kinds({ status: "in_progress", claimedAt: due, kind: "complaint" })).toEqual(["unresolved"]);
    expect(kinds({ status: "resolved", claimedAt: due, kind: "complaint" })).toEqual([]);
  });
});
