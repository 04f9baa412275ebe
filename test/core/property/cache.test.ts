import { describe, expect, it } from "vitest";
import { PropertyCache } from "../../../src/core/property/cache.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { TestClock } from "../../support/chat.js";

const property = (code: string): PropertyRecord => ({ id: code, code, name: code, nameEn: null, zones: [], hasRoomRegistry: false });

describe("property cache", () => {
  it("reads the store once per ttl and again after it", async () => {
    let reads = 0;
    const list = [property("HG")];
    const clock = new TestClock();
    const cache = new PropertyCache({ properties: async () => (reads++, [...list]) }, clock, 60_000);
    expect(await cache.get()).toHaveLength(1);
    list.push(property("JX"));
    clock.advance(59_999);
    expect(await cache.get()).toHaveLength(1);
    expect(reads).toBe(1);
    clock.advance(1);
    expect(await cache.get()).toHaveLength(2);
    expect(reads).toBe(2);
  });

  it("does not remember a failed read", async () => {
    let fail = true;
    const cache = new PropertyCache(
      { properties: async () => { if (fail) throw new Error("db down"); return [property("HG")]; } },
      new TestClock(),
    );
    await expect(cache.get()).rejects.toThrow("db down");
    fail = false;
    expect(await cache.get()).toHaveLength(1);
  });
});
