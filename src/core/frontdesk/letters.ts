/**
 * A letter at the front desk (书面, seed 000 §2(2)B): registered in 收文登记簿 when the scribe
 * files it, its photo or scan kept as the ticket's attachment and in the entry, shown in the
 * read-back and in what the director is presented.
 */
import type { Outcome } from "../messages.js";
import type { OutboxStore } from "../outbox.js";
import type { PropertyRecord } from "../property/store.js";
import type { StaffContext } from "../staff/extension.js";
import { t, type Locale, type Text } from "../text.js";
import { localDateKey } from "../time/zone.js";
import type { TicketRecord, TicketStore } from "../ticket/store.js";
import { truncate } from "../util/input.js";
import type { DeskDraft } from "./draft.js";
import type { LetterEntry, LetterRegisterStore, LetterReply, RegisterRow } from "./register.js";

/** A file the letters produce: the printable reply, the register's workbook. */
export interface LetterFile {
  readonly filename: string;
  readonly mediaType: string;
  readonly base64: string;
}

/** The files need a renderer and a spreadsheet library: implemented in src/infra/export/letters.ts. */
export interface LetterFiles {
  /** 书面回复: the property's letterhead line, the register number, the owner, the matter and the reply. */
  reply(request: { property: PropertyRecord; entry: LetterEntry; ticket: TicketRecord; reply: LetterReply; locale: Locale }): Promise<LetterFile>;
  /** The year's register (收文登记簿), one row per letter. */
  register(request: { property: PropertyRecord; year: number; rows: readonly RegisterRow[]; locale: Locale }): Promise<LetterFile>;
}

export interface LetterDeps {
  readonly register: LetterRegisterStore;
  readonly files: LetterFiles;
  readonly outbox: Pick<OutboxStore, "enqueue">;
  /** The properties' time zone: the date received and the register's year are local. */
  readonly timeZone: string;
}

/** The summary a letter gets unless the scribe writes one: the start of the owner's words. */
const SUMMARY_CHARS = 60;

/** How long after filing a photo a scribe sends is still the letter's ("right after"). */
export const SCAN_WINDOW_MS = 30 * 60_000;

export const today = (deps: Pick<LetterDeps, "timeZone">, now: Date): string => localDateKey(now, deps.timeZone);

/** The entry as it will be registered, from the draft and its defaults. */
export function letterOf(d: DeskDraft, today: string): { receivedOn: string; sender: string; summary: string; scans: readonly string[] } {
  return {
    receivedOn: d.letter?.receivedOn ?? today,
    sender: d.letter?.sender ?? d.name ?? "",
    summary: d.letter?.summary ?? truncate(d.description ?? "", SUMMARY_CHARS),
    scans: d.letter?.scans ?? [],
  };
}

/** The read-back's register lines (记清楚): what will be written in 收文登记簿. */
export function letterLines(d: DeskDraft, today: string): Text[] {
  const l = letterOf(d, today);
  return [
    t("letters.review.entry", { received: l.receivedOn, sender: l.sender || t("card.not_given"), summary: l.summary }),
    t(l.scans.length > 0 ? "letters.review.scans" : "letters.review.no_scan", { count: l.scans.length }),
  ];
}

/** Registers the letter the scribe is filing; the number is the next of this year's register. */
export async function registerDraft(deps: LetterDeps, ctx: StaffContext, d: DeskDraft, intakeId: string): Promise<LetterEntry> {
  const day = today(deps, ctx.now);
  return deps.register.registerLetter({
    propertyId: d.propertyId,
    year: Number(day.slice(0, 4)),
    intakeId,
    ...letterOf(d, day),
    registeredAt: ctx.now,
    registeredById: ctx.person.id,
  });
}

/** What the scribe last filed as a letter, so a photo sent right after is the letter's. */
export interface FiledLetter {
  readonly ticketId: string;
  readonly ticketNumber: string;
  readonly entryId: string;
  readonly entryNumber: string;
  readonly at: string;
}

export function parseFiledLetter(raw: unknown): FiledLetter | null {
  const o = raw as Partial<FiledLetter> | null;
  return o && typeof o.ticketId === "string" && typeof o.entryId === "string" && typeof o.at === "string" && typeof o.ticketNumber === "string" && typeof o.entryNumber === "string"
    ? (o as FiledLetter)
    : null;
}

/** A photo of the letter after filing: the ticket's attachment and the entry's scan. */
export async function scanAfterFiling(
  deps: LetterDeps & { store: Pick<TicketStore, "appendEvent"> },
  ctx: StaffContext,
  filed: FiledLetter,
  fileRef: string,
): Promise<Outcome | null> {
  if (ctx.now.getTime() - Date.parse(filed.at) > SCAN_WINDOW_MS) return null;
  await deps.store.appendEvent(filed.ticketId, {
    at: ctx.now,
    type: "photo_added",
    actorKind: "staff",
    actorId: ctx.person.id,
    channel: ctx.inbound.channel,
    fromStatus: null,
    toStatus: null,
    data: { fileRef, letter: filed.entryNumber },
  });
  await deps.register.addLetterScan(filed.entryId, fileRef);
  return { locale: ctx.locale, replies: [{ text: [t("letters.scan_added", { number: filed.ticketNumber, register: filed.entryNumber })] }] };
}
