/**
 * The sent-replies journal file (src/infra/sent-journal.ts): what was noted survives the process
 * (a new journal on the same file reads it), and it is emptied once the database has the marks.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fileSentJournal, sentJournalPath } from "../../src/infra/sent-journal.js";

const dir = mkdtempSync(join(tmpdir(), "guanjia-journal-"));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the sent-replies journal", () => {
  it("keeps what was noted for the next process, and empties once every noted reply is marked", () => {
    const path = join(dir, "sub", "guanjia.db.sent");
    const first = fileSentJournal(path);
    first.note(["r1", "r2"]);
    first.note(["r3"]);
    first.settled(["r1", "r2"]);
    // r3 is not marked yet: a process killed now leaves it for the next.
    const next = fileSentJournal(path);
    expect(next.noted()).toEqual(["r1", "r2", "r3"]);
    first.settled(["r3"]);
    expect(readFileSync(path, "utf8")).toBe("");
    first.note(["r4"]);
    expect(next.noted()).toEqual(["r4"]);
    next.clear();
    expect(next.noted()).toEqual([]);
    first.close();
    next.close();
  });

  it("keeps a card with where it was posted, among the noted ids", () => {
    const path = join(dir, "cards.sent");
    const first = fileSentJournal(path);
    first.note(["r1"]);
    first.noteCard({ outboxId: "c1", ticketId: "t1", to: { platform: "telegram", chatId: "-100123" }, messageId: "77" });
    const next = fileSentJournal(path);
    expect(next.noted()).toEqual(["r1", "c1"]);
    expect(next.notedCards()).toEqual([{ outboxId: "c1", ticketId: "t1", to: { platform: "telegram", chatId: "-100123" }, messageId: "77" }]);
    first.settled(["r1", "c1"]);
    expect(next.notedCards()).toEqual([]);
    first.close();
    next.close();
  });

  it("counts a send last seen being written as delivered, one that failed after as not, and keeps both through a truncation's rules", () => {
    const path = join(dir, "flight.sent");
    const first = fileSentJournal(path);
    first.sending(["a"]); // in flight when the process dies
    first.sending(["b"]);
    first.notSent(["b"]); // Telegram refused it
    first.sending(["c"]);
    first.notSent(["c"]);
    first.sending(["c"]); // auto-retry wrote it again
    first.sending(["d"]);
    first.note(["d"]); // answered: delivered either way
    const next = fileSentJournal(path);
    expect(next.noted()).toEqual(["a", "c", "d"]);
    expect(next.inFlight()).toEqual(["a", "c"]);
    // A send in flight keeps the journal from being emptied by another reply's mark.
    first.settled(["d"]);
    expect(next.inFlight()).toEqual(["a", "c"]);
    first.note(["a", "c"]);
    first.settled(["a", "c"]);
    expect(readFileSync(path, "utf8")).toBe("");
    // A refused send is nothing to keep: the journal empties without its mark.
    first.sending(["e"]);
    first.notSent(["e"]);
    first.note(["f"]);
    first.settled(["f"]);
    expect(readFileSync(path, "utf8")).toBe("");
    first.close();
    next.close();
  });

  it("lives beside the SQLite file, or in data/ for PostgreSQL", () => {
    expect(sentJournalPath("file:./data/guanjia.db")).toBe("./data/guanjia.db.sent");
    expect(sentJournalPath("file:/var/lib/guanjia/g.db?connection_limit=1")).toBe("/var/lib/guanjia/g.db.sent");
    expect(sentJournalPath("postgresql://u:p@db:5432/guanjia")).toBe("data/sent-replies.journal");
  });
});
