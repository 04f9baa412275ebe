import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobLedger } from "../../../src/core/scheduled/ledger.js";
import type { NewOutboxMessage } from "../../../src/core/outbox.js";
import { t } from "../../../src/core/text.js";
import { createJobLedger } from "../../../src/infra/prisma/jobs.js";
import { backends, type TestStore } from "../../support/db.js";

const at = new Date("2026-11-02T00:30:00Z");
const key = { job: "director_digest", period: "2026-11-01", target: "property-1" };
const message = (chatId: string): NewOutboxMessage => ({
  kind: "message",
  to: { platform: "telegram", chatId },
  body: { locale: "zh-CN", text: [t("common.raw", { value: chatId })] },
});

describe.each(backends())("the jobs' ledger on $name", (backend) => {
  let db: TestStore;
  let ledger: JobLedger;
  beforeEach(async () => {
    db = await backend.open();
    ledger = db.use(createJobLedger);
  });
  afterEach(() => db.close());

  const pending = async () => (await db.outbox.due(new Date(at.getTime() + 1000), 100)).map((r) => r.message.to.chatId);

  it("makes a post once: a second attempt writes no messages and reads the first post", async () => {
    const first = await ledger.post(key, { scheduledFor: at, at, late: false, data: { n: 1 }, outbox: [message("-1")] });
    expect(first.posted).toBe(true);
    const again = await ledger.post(key, { scheduledFor: at, at, late: true, data: { n: 2 }, outbox: [message("-2")] });
    expect(again).toMatchObject({ posted: false, existing: { late: false, data: { n: 1 } } });
    expect(await pending()).toEqual(["-1"]);
  });

  it("of ten concurrent attempts at one key, exactly one posts", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ledger.post(key, { scheduledFor: at, at, late: false, outbox: [message(String(-i - 1))] })),
    );
    expect(results.filter((r) => r.posted)).toHaveLength(1);
    expect(await pending()).toHaveLength(1);
  });

  it("keys differ by job, period and target", async () => {
    for (const k of [key, { ...key, period: "2026-11-02" }, { ...key, target: "property-2" }, { ...key, job: "daily_log" }]) {
      expect((await ledger.post(k, { scheduledFor: at, at, late: false, outbox: [] })).posted).toBe(true);
    }
    expect(await ledger.postsOf("director_digest", at, new Date(at.getTime() + 1))).toHaveLength(3);
  });

  it("queues a bulk post (a report) behind ticket traffic queued after it", async () => {
    await ledger.post(key, { scheduledFor: at, at, late: false, outbox: [message("-report")], bulk: true });
    await ledger.post({ ...key, job: "overdue" }, { scheduledFor: at, at, late: false, outbox: [message("-reminder")] });
    const heads = await db.outbox.heads(new Date(at.getTime() + 1000), 10);
    expect(heads.map((r) => r.message.to.chatId)).toEqual(["-reminder", "-report"]);
  });

  it("records the first sign-off only", async () => {
    expect(await ledger.sign(key, "p1", at)).toEqual({ ok: false, code: "not_found" });
    await ledger.post(key, { scheduledFor: at, at, late: false, outbox: [] });
    const later = new Date(at.getTime() + 60_000);
    const [a, b] = await Promise.all([ledger.sign(key, "p1", later), ledger.sign(key, "p2", later)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const post = await ledger.find(key);
    expect(post?.signedAt).toEqual(later);
    expect(["p1", "p2"]).toContain(post?.signedById);
  });

  it("keeps run state moving forward only", async () => {
    const state = (slot: string, failures = 0) => ({ job: "overdue", lastSlotAt: new Date(slot), failures, lastError: null, nextRetryAt: null });
    await ledger.saveRunState(state("2026-11-02T01:00:00Z"), at);
    await ledger.saveRunState(state("2026-11-02T00:55:00Z"), at);
    expect((await ledger.runState("overdue"))?.lastSlotAt).toEqual(new Date("2026-11-02T01:00:00Z"));
    await ledger.saveRunState(state("2026-11-02T01:00:00Z", 2), at);
    expect(await ledger.runState("overdue")).toMatchObject({ failures: 2 });
    expect(await ledger.runState("nothing")).toBeNull();
  });
});
