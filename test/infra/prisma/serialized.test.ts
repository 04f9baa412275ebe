/**
 * On SQLite every store call runs alone (see `serialized` in src/infra/prisma/store.ts): with
 * adapter-better-sqlite3 6.19.3 a write issued while another call's transaction is open joins
 * that transaction and is lost when it rolls back.
 */
import { describe, expect, it } from "vitest";
import { serialized } from "../../../src/infra/prisma/store.js";
import type { Stores } from "../../../src/infra/prisma/store.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recordingStore(log: string[]): Stores {
  const slow =
    (name: string, ms: number, fail = false) =>
    async () => {
      log.push(`${name}:start`);
      await sleep(ms);
      log.push(`${name}:end`);
      if (fail) throw new Error(`${name} failed`);
      return null;
    };
  return {
    fileTicket: slow("fileTicket", 30, true),
    saveConversation: slow("saveConversation", 1),
    loadConversation: slow("loadConversation", 1),
  } as unknown as Stores;
}

describe("serialized store", () => {
  it("runs one call at a time, in call order, past failures", async () => {
    const log: string[] = [];
    const store = serialized(recordingStore(log));
    const filing = store.fileTicket({} as never);
    const saving = store.saveConversation("k", "p", {}, 0, new Date());
    const loading = store.loadConversation("k");
    await expect(filing).rejects.toThrow(/fileTicket failed/);
    await Promise.all([saving, loading]);
    expect(log).toEqual([
      "fileTicket:start",
      "fileTicket:end",
      "saveConversation:start",
      "saveConversation:end",
      "loadConversation:start",
      "loadConversation:end",
    ]);
  });
});
