/**
 * Filing on PostgreSQL as one statement (issue 16, item 4), as pg-turn.ts does for the save.
 *
 * Why: the transaction (tickets.ts, `fileIn`) takes the property's ticket counter first and
 * holds its row lock for eight more round trips to COMMIT. At 100 owners in flight, sampling
 * pg_stat_activity found about 3 of the pool's 10 connections waiting on that lock at any
 * moment, and the holder mostly idle in transaction, waiting for this process to send its next
 * statement. A data-modifying WITH writes the same rows in one round trip, so the lock is held
 * only while the server runs the statement and commits it.
 *
 * What one statement cannot do as the transaction does: build the outbox messages from the
 * ticket after its number is known. They are built here before, from a ticket whose number is a
 * placeholder, and the statement writes the real number in its place. That holds only when the
 * messages carry the number as it is and nothing else of it: checked each time by building them
 * from two different placeholders (a ticket record has no seq). When it does not hold, or the
 * statement refuses (the intake was filed before, the property is missing), nothing was written
 * and the caller takes the transaction, which tells the cases apart.
 */
import type { NewTicket, TicketRecord } from "../../core/ticket/store.js";
import { insertStatement, type HotSql, type Row } from "./hot-sql.js";
import { outboxRows } from "./outbox.js";
import { CONTACT_UPDATE, filedTicket, filingRows, OWNER_ROOM_UPSERT, TICKET_CONFLICT } from "./filing-rows.js";

/**
 * SQLSTATEs of a refusal: division_by_zero (the statement's own, when the intake was filed
 * before), not_null_violation (no property: no number), foreign_key_violation (the rows of a
 * ticket that was not inserted). The transaction then runs and reports the real cause.
 */
const REFUSED = new Set(["22012", "23502", "23503"]);

/** Two placeholder numbers, as numbers look: messages built with each must differ only by it. */
const PLACEHOLDERS = ["ZQXJZQ-918273645", "ZQXJZQ-546372819"] as const;

/**
 * The number as formatTicketNumber writes it (core/ticket/number.ts): the code in capitals, the
 * seq padded to four digits and never cut (lpad alone would cut a longer one).
 */
const NUMBER_SQL = `upper("code") || '-' || CASE WHEN "ticketSeq" < 1000 THEN lpad("ticketSeq"::text, 4, '0') ELSE "ticketSeq"::text END`;

/** The filing in one statement, or null when it cannot or refused: then nothing was written. */
export async function fileInOne(sql: HotSql, newId: () => string, input: NewTicket): Promise<TicketRecord | null> {
  const rows = filingRows(newId, input);
  const ticket = filedTicket(rows.ticket);
  const outbox = placeheldOutbox(newId, ticket, input);
  if (outbox === null) return null;
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return "?";
  };
  const values = (table: string, list: readonly Row[], special: Record<string, (value: unknown) => string> = {}, tail = ""): string =>
    insertStatement(table, list, (c, value) => (special[c] ?? p)(value), tail);
  const parts = [
    `prop AS (UPDATE "Property" SET "ticketSeq" = "ticketSeq" + 1 WHERE "id" = ${p(input.propertyId)} RETURNING "ticketSeq" AS "seq", ${NUMBER_SQL} AS "number")`,
    `ticket AS (${values("Ticket", [rows.ticket], { number: () => `(SELECT "number" FROM prop)`, seq: () => `(SELECT "seq" FROM prop)` }, TICKET_CONFLICT)} RETURNING "number")`,
  ];
  const also = (name: string, statement: string): void => void parts.push(`${name} AS (${statement})`);
  if (rows.attachments.length > 0) also("attachment", values("TicketAttachment", rows.attachments));
  also("event", values("TicketEvent", rows.events));
  if (rows.ownerRoom) also("room", values("OwnerRoom", [rows.ownerRoom], {}, OWNER_ROOM_UPSERT));
  const contact = rows.contact;
  if (contact) {
    let i = 0;
    also("contact", CONTACT_UPDATE.replace(/\?/g, () => p(contact[i++])));
  }
  if (outbox.length > 0) {
    also("outbox", values("OutboxMessage", outbox, { payload: (text) => `replace(${p(text)}, ${p(PLACEHOLDERS[0])}, (SELECT "number" FROM prop))` }));
  }
  try {
    const [row] = await (sql.waiting ?? sql).all(`WITH ${parts.join(",\n")}\nSELECT 1 / (SELECT count(*) FROM ticket)::int AS "ok", (SELECT "number" FROM ticket) AS "number"`, params);
    return { ...ticket, number: String(row!["number"]) };
  } catch (e) {
    if (REFUSED.has(String((e as { code?: unknown }).code))) return null;
    throw e;
  }
}

/**
 * The outbox rows of the filing, built from a ticket numbered with the first placeholder; null
 * when the messages use the number other than as it is, so the placeholder cannot stand for it.
 */
function placeheldOutbox(newId: () => string, ticket: TicketRecord, input: NewTicket): Row[] | null {
  if (!input.outbox) return [];
  const built = PLACEHOLDERS.map((number) => input.outbox!({ ...ticket, number }));
  const [a, b] = built.map((messages, i) => JSON.stringify(messages).replaceAll(PLACEHOLDERS[i]!, "#"));
  if (a !== b) return null;
  const out = outboxRows(newId, built[0]!, input.createdAt, {});
  // Anywhere but the payload (a chat, a ticket id), the statement could not replace it.
  if (out.some((row) => JSON.stringify({ ...row, payload: "" }).includes(PLACEHOLDERS[0]))) return null;
  return out;
}
