import { describe, expect, it } from "vitest";
import { overdueTexts } from "../../../src/core/sla/notices.js";
import { DEFAULT_SLA_POLICY } from "../../../src/core/sla/policy.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";

const at = new Date("2026-11-23T02:00:00Z");
const ticket = {
  id: "t1", number: "HG-0001", propertyId: "p", zoneId: null, kind: "repair", category: "engineering", weight: "general",
  majorReasons: [], status: "new", ownerId: "o", roomLabel: "3-1201", contactName: "王先生", contactPhone: "13812345678",
  location: "home", place: null, description: "厨房漏水,急!打我电话 138 1234 5678 或者 021-62345678", since: null,
  visitTime: null, channel: "telegram", locale: "zh-CN", photoCount: 0, assigneeId: null, createdAt: at, confirmedAt: at,
  nextReplyDueAt: null, resolvedAt: null, closedAt: null, firstReplyDueAt: null, firstResponseAt: null, claimedAt: null,
  calledBackAt: null, rating: null, reopenCount: 0, awaitingClaimSince: at, source: "chat", summary: null, vip: false, vipNote: null, nextCallbackAt: null,
} satisfies TicketRecord;

describe("an overdue reminder in the staff group", () => {
  it("masks phone numbers the owner typed into the description", async () => {
    const renderer = createRenderer(await loadCatalog(), "Asia/Shanghai");
    const deadline = { kind: "claim", due: at, business: true, levels: [1, 2, 3] } as const;
    const text = overdueTexts(ticket, deadline, 3, null, null, DEFAULT_SLA_POLICY).map((x) => renderer.text(x, "zh-CN")).join("\n");
    expect(text).toContain("厨房漏水");
    expect(text).not.toContain("1234 5678");
    expect(text).not.toContain("62345678");
  });
});
