/**
 * The LetterRegisterStore port (src/core/frontdesk/register.ts) over Prisma: 收文登记簿's entries,
 * their per-year counter and the written replies, on SQLite and PostgreSQL alike.
 */
import { registerNumber, type LetterEntry, type LetterRegisterStore, type LetterReply, type NewLetterEntry, type RegisterRow } from "../../core/frontdesk/register.js";
import { isUniqueViolation, TX_OPTIONS, type Ctx, type Tx } from "./db.js";

interface EntryRow {
  id: string;
  propertyId: string;
  year: number;
  seq: number;
  intakeId: string;
  ticketId: string | null;
  receivedOn: string;
  sender: string;
  summary: string;
  scans: string;
  registeredAt: Date;
  registeredById: string;
}

function toEntry(row: EntryRow, code: string): LetterEntry {
  const scans: unknown = JSON.parse(row.scans);
  return { ...row, number: registerNumber(code, row.year, row.seq), scans: Array.isArray(scans) ? scans.map(String) : [] };
}

async function codeOf({ db }: Pick<Ctx, "db">, propertyId: string): Promise<string> {
  return (await db.property.findUnique({ where: { id: propertyId }, select: { code: true } }))?.code ?? "?";
}

/**
 * The next number of the year's register. One statement that inserts or raises the counter: on
 * PostgreSQL it holds the row until the transaction ends, so a second registration waits and
 * counts on from what the first committed (or from where it was, if the first rolled back);
 * SQLite runs one transaction at a time.
 */
async function nextSeq(tx: Tx, propertyId: string, year: number): Promise<number> {
  const rows = await tx.$queryRaw<{ last: number | bigint }[]>`
    INSERT INTO "LetterCounter" ("propertyId", "year", "last") VALUES (${propertyId}, ${year}, 1)
    ON CONFLICT ("propertyId", "year") DO UPDATE SET "last" = "LetterCounter"."last" + 1
    RETURNING "last"`;
  return Number(rows[0]!.last);
}

async function registerLetter(ctx: Ctx, e: NewLetterEntry): Promise<LetterEntry> {
  const code = await codeOf(ctx, e.propertyId);
  const existing = () => ctx.db.letterEntry.findUnique({ where: { intakeId: e.intakeId } });
  try {
    const row = await ctx.db.$transaction(async (tx) => {
      const found = await tx.letterEntry.findUnique({ where: { intakeId: e.intakeId } });
      if (found) return found;
      const seq = await nextSeq(tx, e.propertyId, e.year);
      return tx.letterEntry.create({ data: { id: ctx.newId(), ...e, seq, scans: JSON.stringify(e.scans) } });
    }, TX_OPTIONS);
    return toEntry(row, code);
  } catch (error) {
    // The same filing registered at once elsewhere: its number stands, this one rolled back.
    const row = isUniqueViolation(error) ? await existing() : null;
    if (!row) throw error;
    return toEntry(row, code);
  }
}

async function addLetterScan({ db }: Ctx, entryId: string, fileRef: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.letterEntry.findUnique({ where: { id: entryId }, select: { scans: true } });
    if (!row) return;
    const scans = JSON.parse(row.scans) as string[];
    if (!scans.includes(fileRef)) await tx.letterEntry.update({ where: { id: entryId }, data: { scans: JSON.stringify([...scans, fileRef]) } });
  }, TX_OPTIONS);
}

async function letterOfTicket(ctx: Ctx, ticketId: string): Promise<LetterEntry | null> {
  const row = await ctx.db.letterEntry.findUnique({ where: { ticketId } });
  return row ? toEntry(row, await codeOf(ctx, row.propertyId)) : null;
}

async function registerOfYear(ctx: Ctx, propertyId: string, year: number): Promise<RegisterRow[]> {
  const { db } = ctx;
  const code = await codeOf(ctx, propertyId);
  const entries = await db.letterEntry.findMany({ where: { propertyId, year }, orderBy: { seq: "asc" } });
  const ticketIds = entries.flatMap((e) => (e.ticketId ? [e.ticketId] : []));
  const [tickets, replies] = await Promise.all([
    db.ticket.findMany({ where: { id: { in: ticketIds } }, select: { id: true, number: true, roomLabel: true, status: true } }),
    db.letterReply.findMany({ where: { entryId: { in: entries.map((e) => e.id) } }, orderBy: { at: "asc" } }),
  ]);
  const ticketOf = new Map(tickets.map((x) => [x.id, x]));
  // The latest reply of each letter: a letter answered again after a reopening shows the last answer.
  const replyOf = new Map(replies.map((r) => [r.entryId, r]));
  return entries.map((row) => {
    const ticket = row.ticketId ? ticketOf.get(row.ticketId) : undefined;
    return { entry: toEntry(row, code), ticketNumber: ticket?.number ?? null, roomLabel: ticket?.roomLabel ?? null, status: ticket?.status ?? null, reply: replyOf.get(row.id) ?? null };
  });
}

export function letterRegisterStore(ctx: Ctx): LetterRegisterStore {
  const { db } = ctx;
  return {
    registerLetter: (entry) => registerLetter(ctx, entry),
    linkLetterTicket: async (entryId, ticketId) => void (await db.letterEntry.update({ where: { id: entryId }, data: { ticketId } })),
    addLetterScan: (entryId, fileRef) => addLetterScan(ctx, entryId, fileRef),
    letterOfTicket: (ticketId) => letterOfTicket(ctx, ticketId),
    keepLetterReply: (reply): Promise<LetterReply> => db.letterReply.create({ data: { id: ctx.newId(), ...reply } }),
    letterReplies: (entryId) => db.letterReply.findMany({ where: { entryId }, orderBy: { at: "asc" } }),
    registerOfYear: (propertyId, year) => registerOfYear(ctx, propertyId, year),
  };
}
