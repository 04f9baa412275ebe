import { describe, expect, it } from "vitest";
import { businessDayClose, planOf } from "../../../src/core/sla/callback-plan.js";
import { applyOverrides, changeOverrides, DEFAULT_SLA_POLICY, policySettings } from "../../../src/core/sla/policy.js";

const sh = (wall: string) => new Date(`${wall}:00+08:00`);
const HOURS = DEFAULT_SLA_POLICY.businessHours;

describe("callbacks planned by severity", () => {
  it("by weight for a major or written matter, by kind otherwise; praise and inquiries need none", () => {
    const p = DEFAULT_SLA_POLICY;
    expect(planOf({ kind: "complaint", weight: "major" }, p)).toEqual({ by: "director", within: "same_day" });
    expect(planOf({ kind: "complaint", weight: "written" }, p)).toEqual({ by: "director", within: "same_day" });
    expect(planOf({ kind: "repair", weight: "major" }, p)).toEqual({ by: "director", within: "same_day" });
    expect(planOf({ kind: "complaint", weight: "general" }, p)).toEqual({ by: "follower", within: 24 * 60 });
    expect(planOf({ kind: "repair", weight: "general" }, p)).toEqual({ by: "follower", within: 48 * 60 });
    expect(planOf({ kind: "help", weight: "general" }, p)).toEqual({ by: "follower", within: 24 * 60 });
    expect(planOf({ kind: "praise", weight: "general" }, p)).toBeNull();
    expect(planOf({ kind: "inquiry", weight: "major" }, p)).toBeNull();
  });

  it("the same business day ends at its close, or the next business day's when resolved after it", () => {
    expect(businessDayClose(sh("2026-11-23T15:00"), HOURS)).toEqual(sh("2026-11-23T18:00"));
    expect(businessDayClose(sh("2026-11-23T07:00"), HOURS)).toEqual(sh("2026-11-23T18:00"));
    expect(businessDayClose(sh("2026-11-23T18:00"), HOURS)).toEqual(sh("2026-11-24T18:00"));
    expect(businessDayClose(sh("2026-11-23T23:30"), HOURS)).toEqual(sh("2026-11-24T18:00"));
    // Weekdays only: Friday evening is Monday's close (2026-11-27 is a Friday).
    expect(businessDayClose(sh("2026-11-27T19:00"), { ...HOURS, days: [1, 2, 3, 4, 5] })).toEqual(sh("2026-11-30T18:00"));
  });

  it("are set per property with callback.<class>=<time>[/who] and shown by sla show", () => {
    const changed = changeOverrides({}, ["callback.repair=72h", "callback.major=4h", "callback.complaint=same-day/director", "callback.praise=none", "callback.inquiry=24h"]);
    expect(changed.ok).toBe(true);
    if (!changed.ok) return;
    expect(changed.overrides).toEqual({
      "callback.repair": "3d/follower",
      "callback.major": "4h/director",
      "callback.complaint": "same-day/director",
      "callback.praise": "none",
      "callback.inquiry": "24h/follower",
    });
    expect(changed.policy.callbackPlans.repair).toEqual({ by: "follower", within: 72 * 60 });
    expect(changed.policy.callbackPlans.inquiry).toEqual({ by: "follower", within: 24 * 60 });
    const shown = Object.fromEntries(policySettings(DEFAULT_SLA_POLICY).map((s) => [s.key, s.value]));
    expect(shown).toMatchObject({
      "callback.major": "same-day/director",
      "callback.written": "same-day/director",
      "callback.complaint": "24h/follower",
      "callback.repair": "2d/follower",
      "callback.help": "24h/follower",
      "callback.suggestion": "none",
      "callback.inquiry": "none",
      "callback.praise": "none",
    });
    const bad = changeOverrides({}, ["callback.repair=soon", "callback.major=none/director", "callback.help=24h/mayor"]);
    expect(bad.ok || bad.errors.map((e) => [e.code, e.key])).toEqual([
      ["bad_value", "callback.repair"],
      ["bad_value", "callback.major"],
      ["bad_value", "callback.help"],
    ]);
  });

  it("read a stored override from before, `callback=12h`, as the general complaint's", () => {
    const r = applyOverrides({ callback: "12h" });
    expect(r.ok && r.policy.callbackPlans.complaint).toEqual({ by: "follower", within: 12 * 60 });
    expect(changeOverrides({}, ["callback=1d12h"])).toMatchObject({ ok: true, overrides: { "callback.complaint": "36h/follower" } });
  });
});
