import { describe, expect, it } from "vitest";
import { allowedActions, isOpen, transition, TRANSITIONS, TICKET_STATUSES } from "../../../src/core/ticket/status.js";

describe("ticket status machine", () => {
  it("follows the 五清楚 path from new to closed", () => {
    const path = [
      ["new", "claim", "claimed"],
      ["claimed", "start", "in_progress"],
      ["in_progress", "await_owner", "waiting_owner"],
      ["waiting_owner", "owner_replied", "in_progress"],
      ["in_progress", "resolve", "resolved"],
      ["resolved", "close", "closed"],
    ] as const;
    for (const [from, action, to] of path) {
      const actor = action === "owner_replied" ? "owner" : "staff";
      expect(transition(from, action, actor)).toEqual({ ok: true, from, to, action });
    }
  });

  it("reopens a resolved ticket when the owner is not satisfied", () => {
    expect(transition("resolved", "reopen", "owner")).toMatchObject({ ok: true, to: "reopened" });
    expect(transition("reopened", "claim", "staff")).toMatchObject({ ok: true, to: "claimed" });
  });

  it("refuses transitions the table does not list", () => {
    expect(transition("new", "resolve", "owner")).toMatchObject({ ok: false, code: "actor_not_allowed" });
    expect(transition("closed", "claim", "staff")).toMatchObject({ ok: false, code: "transition_not_allowed" });
    expect(transition("cancelled", "reopen", "staff")).toMatchObject({ ok: false, code: "transition_not_allowed" });
    expect(transition("claimed", "claim", "staff")).toMatchObject({ ok: false, code: "transition_not_allowed" });
  });

  it("lets an owner cancel only before work has started", () => {
    expect(allowedActions("new", "owner")).toEqual(["cancel"]);
    expect(allowedActions("claimed", "owner")).toEqual(["cancel"]);
    expect(allowedActions("in_progress", "owner")).toEqual([]);
  });

  it("has a rule row for every status and only known targets", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...TICKET_STATUSES].sort());
    for (const rules of Object.values(TRANSITIONS)) {
      for (const rule of Object.values(rules)) expect(TICKET_STATUSES).toContain(rule!.to);
    }
    expect(TICKET_STATUSES.filter(isOpen)).toEqual(["new", "claimed", "in_progress", "waiting_owner", "reopened"]);
  });
});
