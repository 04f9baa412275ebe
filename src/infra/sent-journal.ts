/**
 * The sent-replies journal (src/core/desk/journal.ts) as an append-only local file: one reply
 * id a line (a card's line adds its ticket, platform, chat and message id, tab-separated; `~id`
 * a request being written, `!id` one that failed; a reply's last line is its state), written
 * with a synchronous write so it is in the page cache before the process can do anything else.
 * Truncated whenever every noted reply is marked in the database (and no send is in flight), so
 * it stays a few lines long.
 *
 * Shared by two instances on one host it stays correct (every line is a reply that was sent),
 * only less useful: one instance's truncation can drop the other's unmarked lines.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { NotedCard, SentJournal } from "../core/desk/journal.js";
import type { Channel } from "../core/messages.js";
import type { OutboxStore } from "../core/outbox.js";

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
    noteCard(card) {
      writeSync(fd, `${[card.outboxId, card.ticketId, card.to.platform, card.to.chatId, card.messageId].join("\t")}\n`);
      open.add(card.outboxId);
    },
    sending(ids) {
      writeSync(fd, ids.map((id) => `~${id}\n`).join(""));
      for (const id of ids) open.add(id);
    },
    notSent(ids) {
      writeSync(fd, ids.map((id) => `!${id}\n`).join(""));
      // Not delivered: nothing for the database to mark, and a truncation forgets it rightly.
      for (const id of ids) open.delete(id);
    },
    settled(ids) {
      for (const id of ids) open.delete(id);
      if (open.size === 0) ftruncateSync(fd, 0);
    },
    noted() {
      return [...states(path)].flatMap(([id, state]) => (state === "failed" ? [] : [id]));
    },
    inFlight() {
      return [...states(path)].flatMap(([id, state]) => (state === "in flight" ? [id] : []));
    },
    notedCards() {
      return lines(path).flatMap((line): NotedCard[] => {
        const [outboxId, ticketId, platform, chatId, messageId] = line.split("\t");
        return messageId ? [{ outboxId: outboxId!, ticketId: ticketId!, to: { platform: platform as Channel, chatId: chatId! }, messageId }] : [];
      });
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

/** Each noted reply's last state, in the order first noted. */
function states(path: string): Map<string, "delivered" | "in flight" | "failed"> {
  const last = new Map<string, "delivered" | "in flight" | "failed">();
  for (const line of lines(path)) {
    const id = line.split("\t")[0]!;
    if (id.startsWith("~")) last.set(id.slice(1), "in flight");
    else if (id.startsWith("!")) last.set(id.slice(1), "failed");
    else last.set(id, "delivered");
  }
  return last;
}

function lines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").filter((line) => line.length > 0) : [];
}

/**
 * At start-up, before the owner desk marks what the journal noted as sent: the cards an earlier
 * process posted and died before saving get their message ids, so they are edited, not posted again.
 */
export async function saveJournaledCards(journal: SentJournal, outbox: Pick<OutboxStore, "saveCardMessage">, at: Date): Promise<number> {
  const cards = journal.notedCards();
  for (const c of cards) await outbox.saveCardMessage(c.ticketId, c.to, c.messageId, at);
  return cards.length;
}
