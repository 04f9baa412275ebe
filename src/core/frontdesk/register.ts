/**
 * 收文登记簿, the incoming-document register (seed 000 §2(2)B: "对用户的书面投诉,要在公司收文登记薄上
 * 登记后呈服务中心主任,按投诉性质一般以书面回复用户"). A letter recorded at the front desk with source
 * 书面 gets an entry numbered per property and year, is presented to the director with that
 * number, and a written complaint is resolved only with its written reply, which is kept here.
 */

/** One letter in the register. */
export interface LetterEntry {
  readonly id: string;
  readonly propertyId: string;
  /** `HG-收-2026-007`: the property's code, 收 (收文), the year, the place in that year's register. */
  readonly number: string;
  readonly year: number;
  readonly seq: number;
  readonly intakeId: string;
  readonly ticketId: string | null;
  /** The local date the letter arrived, YYYY-MM-DD. */
  readonly receivedOn: string;
  readonly sender: string;
  readonly summary: string;
  /** File references of the letter itself (photos or scans), also the ticket's attachments. */
  readonly scans: readonly string[];
  readonly registeredAt: Date;
  readonly registeredById: string;
}

/**
 * What the front desk registers: `year` is the local year of registration (the number is the next
 * of that year's register), `intakeId` the ticket filing's (registering it again returns the first entry).
 */
export type NewLetterEntry = Omit<LetterEntry, "id" | "number" | "seq" | "ticketId">;

/** A written reply (书面回复), kept as its own row beside the ticket's resolve event. */
export interface LetterReply {
  readonly id: string;
  readonly entryId: string;
  readonly ticketId: string;
  readonly text: string;
  readonly at: Date;
  readonly byId: string;
}

/** One line of the register as exported: the entry with its ticket and its latest reply. */
export interface RegisterRow {
  readonly entry: LetterEntry;
  readonly ticketNumber: string | null;
  readonly roomLabel: string | null;
  /** The ticket's TicketStatus; null before the ticket is filed. */
  readonly status: string | null;
  readonly reply: LetterReply | null;
}

/** The register's port, implemented in src/infra/prisma/letters.ts. */
export interface LetterRegisterStore {
  /**
   * Numbers and stores the entry in one transaction: of two letters registered at once, on either
   * database, each gets its own number and no number is skipped (a failed write takes its number
   * back with it). Idempotent on `intakeId`.
   */
  registerLetter(entry: NewLetterEntry): Promise<LetterEntry>;
  linkLetterTicket(entryId: string, ticketId: string): Promise<void>;
  /** A photo or scan of the letter sent after it was filed (it is the ticket's attachment too). */
  addLetterScan(entryId: string, fileRef: string): Promise<void>;
  letterOfTicket(ticketId: string): Promise<LetterEntry | null>;
  keepLetterReply(reply: Omit<LetterReply, "id">): Promise<LetterReply>;
  /** The replies to a letter, oldest first. */
  letterReplies(entryId: string): Promise<LetterReply[]>;
  /** The year's register of a property, by number. */
  registerOfYear(propertyId: string, year: number): Promise<RegisterRow[]>;
}

/** Three digits until a year holds a thousand letters; then as many as it takes. */
export function registerNumber(code: string, year: number, seq: number): string {
  return `${code}-收-${year}-${String(seq).padStart(3, "0")}`;
}

/** "2026-12-01", "2026-12-1", "12-01" or "12/1" (this year) as YYYY-MM-DD, never after `today`. */
export function parseReceivedOn(typed: string, today: string): string | null {
  const m = /^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?$/.exec(typed.trim());
  if (!m) return null;
  const year = Number(m[1] ?? today.slice(0, 4));
  const [month, day] = [Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const key = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return key > today ? null : key;
}

/** `书面: …`, `书面回复:…`, `written: …`: the reply text of `/resolve HG-0042 书面: …`, or null. */
export function writtenReplyOf(rest: string): string | null {
  const m = /^(?:书面回复|书面|written)\s*[:：]\s*([\s\S]*)$/i.exec(rest.trim());
  const text = m?.[1]?.trim();
  return text ? text : null;
}
