import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shiftHandover } from "../../../src/core/reports/shift-handover.js";
import type { TicketKind } from "../../../src/core/ticket/kinds.js";
import { backends } from "../../support/db.js";
import { openWorld, sh, STAFF_CHAT, type World } from "../../support/sla-world.js";

describe.each(backends())("the shift handover's callbacks on $name", (backend) => {
  let w: World;
  beforeEach(async () => {
    w = await openWorld(backend);
  });
  afterEach(async () => {
    expect(w.errors).toEqual([]);
    await w.close();
  });

  it("lists the resolved tickets that are owed a callback, not an inquiry or praise", async () => {
    const kinds: TicketKind[] = ["complaint", "inquiry", "repair", "praise"];
    for (const [i, kind] of kinds.entries()) {
      await w.file(kind, sh("2026-11-23T09:00"));
      await w.act(w.people.wang, `HG-000${i + 1}`, { type: "claim" }, sh("2026-11-23T09:10"));
      await w.act(w.people.wang, `HG-000${i + 1}`, { type: "resolve", result: "已处理" }, sh("2026-11-23T10:00"));
    }
    expect(await shiftHandover(w.deps, sh("2026-11-24T08:30"), sh("2026-11-24T08:30"))).toEqual({ posted: 1, skipped: 0 });
    const pending = await w.db.outbox.due(new Date("2100-01-01T00:00:00Z"), 100);
    const posts = pending.flatMap((m) => (m.message.kind === "message" && m.message.to.chatId === STAFF_CHAT && m.message.body.text[0]?.key === "shift.title" ? [m.message.body.text] : []));
    expect(posts).toHaveLength(1);
    const text = w.render(posts[0]!);
    expect(text).toContain("待回访 2 单:");
    expect(text).toContain("HG-0001");
    expect(text).toContain("HG-0003");
    expect(text).not.toMatch(/HG-000[24]/);
  });
});
