/**
 * The update inbox (src/infra/prisma/inbox.ts) on both databases: a kept batch comes back at the
 * next start only for updates no mark says were handled, within Telegram's 24 hours, oldest
 * first; keeping again is harmless; forgotten and pruned rows are gone.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMaintenance } from "../../../src/infra/prisma/maintenance.js";
import { backends, type TestStore } from "../../support/db.js";

const T0 = new Date("2026-11-23T02:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const update = (id: number) => ({ id: String(id), body: JSON.stringify({ update_id: id, message: { text: `消息 ${id}` } }) });

describe.each(backends())("the update inbox on $name", (backend) => {
  let db: TestStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(() => db.close());

  it("gives back the unmarked updates of a window, oldest first, once each", async () => {
    await db.store.keep("telegram", [update(11), update(12)], at(0));
    await db.store.keep("telegram", [update(12), update(13)], at(1_000));
    await db.store.keep("slack", [update(11)], at(0));
    await db.store.markProcessed("telegram", "12", at(2_000));

    const kept = await db.store.unfinished("telegram", at(-1), at(5_000));
    expect(kept.map((u) => u.id)).toEqual(["11", "13"]);
    expect(JSON.parse(kept[0]!.body)).toEqual({ update_id: 11, message: { text: "消息 11" } });
    // Outside the window: kept later than the start, or earlier than Telegram keeps updates.
    expect((await db.store.unfinished("telegram", at(-1), at(500))).map((u) => u.id)).toEqual(["11"]);
    expect((await db.store.unfinished("telegram", at(500), at(5_000))).map((u) => u.id)).toEqual(["13"]);

    await db.store.forget("telegram", ["11", "13"]);
    expect(await db.store.unfinished("telegram", at(-1), at(5_000))).toEqual([]);
    expect((await db.store.unfinished("slack", at(-1), at(5_000))).map((u) => u.id)).toEqual(["11"]);
  });

  it("is emptied of old rows by the prune job", async () => {
    await db.store.keep("telegram", [update(1)], at(0));
    await db.store.keep("telegram", [update(2)], at(60_000));
    await db.use((ctx) => createMaintenance(ctx)).prune(at(30_000), at(0));
    expect((await db.store.unfinished("telegram", at(-1), at(120_000))).map((u) => u.id)).toEqual(["2"]);
  });
});
