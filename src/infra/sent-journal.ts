/**
 * The sent-replies journal (src/core/desk/journal.ts) as an append-only local file: one reply
 * id a line, written with a synchronous write so it is in the page cache before the process can
 * do anything else. Truncated whenever every noted reply is marked in the database, so it stays
 * a few lines long.
 *
 * Shared by two instances on one host it stays correct (every line is a reply that was sent),
 * only less useful: one instance's truncation can drop the other's unmarked lines.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { SentJournal } from "../core/desk/journal.js";

export interface FileSentJournal extends SentJournal {
  close(): void;
}

export function fileSentJournal(path: string): FileSentJournal {
  mkdirSync(dirname(path), { recursive: true });
  // "a": every write lands at the end, also after a truncation.
  const fd = openSync(path, "a");
  /** Noted by this process and not yet marked in the database. */
  const open = new Set<string>();
  return {
    note(ids) {
      writeSync(fd, ids.map((id) => `${id}\n`).join(""));
      for (const id of ids) open.add(id);
    },
    settled(ids) {
      for (const id of ids) open.delete(id);
      if (open.size === 0) ftruncateSync(fd, 0);
    },
    noted() {
      return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((line) => line.length > 0) : [];
    },
    clear() {
      open.clear();
      ftruncateSync(fd, 0);
    },
    close() {
      closeSync(fd);
    },
  };
}

/** Beside the SQLite file; for PostgreSQL, in the working directory's data/ (one per host). */
export function sentJournalPath(databaseUrl: string): string {
  return databaseUrl.startsWith("file:") ? `${databaseUrl.slice("file:".length).split("?")[0]}.sent` : "data/sent-replies.journal";
}
