/**
 * The front desk (前台) as a staff extension: `/record` and its `fd:` buttons let a staff member
 * record a matter that came by phone (来电), a visit (来访), a letter (书面) or a patrol (巡检发现),
 * with themselves as the scribe (issue 12, item 1). Seed 001: 前台助理 "对业主报修内容详细记录";
 * seed 000 §2(2): the complaint is heard, recorded and reported like one filed in chat. After
 * filing the ticket is an ordinary one: card, claim, clocks and reports are the same.
 */
import { classify } from "../classify/keywords.js";
import type { Choice, Outcome } from "../messages.js";
import type { ConversationStore } from "../conversation/store.js";
import type { PersonStore } from "../people/store.js";
import { parseName } from "../people/name.js";
import { parsePhone } from "../people/phone.js";
import type { PropertyStore } from "../property/store.js";
import { parseRoom } from "../property/room.js";
import type { RegistryStore } from "../registry/store.js";
import type { PolicyLookup } from "../sla/reply-promise.js";
import type { StaffContext, StaffExtension } from "../staff/extension.js";
import { t, type Locale, type Text } from "../text.js";
import { CATEGORIES, TICKET_KINDS, isCategory, isTicketKind } from "../ticket/kinds.js";
import type { IdGenerator } from "../util/ids.js";
import { DESK_SOURCES, parseDraft, parseRecordLine, type DeskDraft, type DeskSource } from "./draft.js";
import { fileDeskTicket, type FilingStores } from "./file.js";
import { readBack } from "./views.js";
import type { FrontDeskStore } from "./store.js";
import { letterLines, parseFiledLetter, scanAfterFiling, today, type FiledLetter, type LetterDeps } from "./letters.js";
import { parseReceivedOn } from "./register.js";

export interface FrontDeskDeps {
  readonly store: FilingStores & ConversationStore & PersonStore & PropertyStore & FrontDeskStore & Pick<RegistryStore, "roomsByPhone">;
  readonly ids: IdGenerator;
  readonly staffLocale: Locale;
  readonly slaPolicy?: PolicyLookup;
  /** 收文登记簿 (seed 000 §2(2)B): without it a letter is filed like any record, unregistered. */
  readonly letters?: LetterDeps;
}

const FIELDS = ["room", "name", "phone", "category", "kind", "words", "received", "sender", "summary"] as const;
/** The register entry's parts, corrected only where the register is installed. */
const LETTER_FIELDS: readonly string[] = ["received", "sender", "summary"];

export function frontDeskExtension(deps: FrontDeskDeps): StaffExtension {
  return {
    names: ["record", "fd"],
    handle: (ctx) => new Scribe(deps, ctx).run(),
    ...(deps.letters ? { attach: (ctx: StaffContext, fileRef: string) => new Scribe(deps, ctx).attach(fileRef) } : {}),
  };
}

class Scribe {
  private readonly key: string;
  /** The letter this scribe filed last in this chat, for a photo of it sent right after. */
  private readonly filedKey: string;
  constructor(
    private readonly deps: FrontDeskDeps,
    private readonly ctx: StaffContext,
  ) {
    const { inbound } = ctx;
    this.key = `frontdesk:${inbound.channel}:${inbound.chat.id}:${inbound.sender.platformUserId}`;
    this.filedKey = `frontdesk-letter:${inbound.channel}:${inbound.chat.id}:${inbound.sender.platformUserId}`;
  }

  /**
   * A photo or scan a staff member sent: the letter's, while a letter is being recorded (kept in
   * the draft, filed as the ticket's attachment) or right after one was filed; else not ours.
   */
  async attach(fileRef: string): Promise<Outcome | null> {
    const letters = this.deps.letters!;
    const stored = await this.deps.store.loadConversation(this.key);
    const draft = stored ? parseDraft(stored.state) : null;
    if (draft?.source === "letter") {
      const scans = [...(draft.letter?.scans ?? []), fileRef];
      await this.save({ ...draft, letter: { ...draft.letter, scans } }, stored!.revision);
      return this.say([t("letters.scan_kept", { count: scans.length })]);
    }
    const filed = parseFiledLetter((await this.deps.store.loadConversation(this.filedKey))?.state ?? null);
    return filed ? scanAfterFiling({ ...letters, store: this.deps.store }, this.ctx, filed, fileRef) : null;
  }

  async run(): Promise<Outcome> {
    const { command, args } = this.ctx;
    const stored = await this.deps.store.loadConversation(this.key);
    const draft = stored ? parseDraft(stored.state) : null;
    const revision = stored?.revision ?? 0;
    if (command === "record") return this.typed(draft, revision, args);
    const [action = "", value = ""] = args.split(":");
    if (action === "start") return this.say([t("frontdesk.start")], sourceButtons());
    if (action === "src" && (DESK_SOURCES as readonly string[]).includes(value)) {
      const next = { ...(draft ?? this.blank()), source: value as DeskSource };
      return this.step(next, revision);
    }
    if (!draft) return this.say([t("frontdesk.none")]);
    if (action === "cancel") {
      await this.save(null, revision);
      return this.say([t("frontdesk.cancelled")]);
    }
    if (action === "owner") {
      const owner = value === "yes" ? draft.candidate ?? null : null;
      const next: DeskDraft = { ...draft, candidate: undefined, owner };
      if (owner) Object.assign(next, { name: next.name ?? owner.name ?? undefined, phone: next.phone ?? owner.phone ?? undefined, room: next.room ?? owner.roomLabel ?? undefined });
      return this.step(next, revision);
    }
    if (action === "kind" && isTicketKind(value)) return this.step({ ...draft, kind: value }, revision);
    if (action === "major") return this.step({ ...draft, major: !draft.major }, revision);
    if (action === "ok") return this.file(draft, revision);
    return this.say([t("frontdesk.none")]);
  }

  /** `/record`, `/record 来电 3-1201 13800001234 楼上漏水`, or `/record name 张三` to correct a part. */
  private async typed(draft: DeskDraft | null, revision: number, args: string): Promise<Outcome> {
    if (!args) return draft ? this.step(draft, revision) : this.say([t("frontdesk.start")], sourceButtons());
    const [first = "", ...rest] = args.split(/\s+/);
    const word = first.toLowerCase();
    const known = (FIELDS as readonly string[]).includes(word) && (this.deps.letters !== undefined || !LETTER_FIELDS.includes(word));
    const field = known ? (word as (typeof FIELDS)[number]) : null;
    if (field && draft) return this.correct(draft, revision, field, rest.join(" ").trim());
    const line = parseRecordLine(args);
    const base = draft && !draft.description ? draft : this.blank();
    const next: DeskDraft = { ...base, ...defined({ source: line.source, room: line.room, phone: line.phone }) };
    if (line.words) Object.assign(next, this.classified(line.words));
    return this.step(next, revision);
  }

  private correct(draft: DeskDraft, revision: number, field: (typeof FIELDS)[number], value: string): Promise<Outcome> | Outcome {
    if (field === "words") return this.step({ ...draft, ...this.classified(value) }, revision);
    if (field === "kind") return isTicketKind(value) ? this.step({ ...draft, kind: value }, revision) : this.say([t("frontdesk.bad_kind", { kinds: TICKET_KINDS.join(" ") })]);
    if (field === "category") return isCategory(value) ? this.step({ ...draft, category: value }, revision) : this.say([t("frontdesk.bad_category", { categories: CATEGORIES.join(" ") })]);
    if (field === "room") {
      const room = parseRoom(value);
      return room.ok ? this.step({ ...draft, room: room.label, owner: undefined }, revision) : this.say([t("frontdesk.bad_room")]);
    }
    if (field === "phone") {
      const phone = parsePhone(value);
      return phone.ok ? this.step({ ...draft, phone: phone.phone }, revision) : this.say([t("frontdesk.bad_phone")]);
    }
    if (field === "received") {
      const day = parseReceivedOn(value, today(this.deps.letters!, this.ctx.now));
      return day ? this.step({ ...draft, letter: { scans: [], ...draft.letter, receivedOn: day } }, revision) : this.say([t("letters.bad_received")]);
    }
    if (field === "sender" || field === "summary") {
      return value ? this.step({ ...draft, letter: { scans: [], ...draft.letter, [field]: value } }, revision) : this.say([t(`letters.ask.${field}`)]);
    }
    const name = parseName(value);
    return name.ok ? this.step({ ...draft, name: name.name }, revision) : this.say([t("frontdesk.bad_name")]);
  }

  /** The classifier proposes; the scribe corrects with the buttons or `/record kind …`. */
  private classified(words: string): Partial<DeskDraft> {
    const c = classify(words);
    return { description: words, kind: c.kind, category: c.category, major: c.major, majorReasons: c.majorReasons };
  }

  /** 问清楚: what is still missing is asked for; once nothing is, the record is read back. */
  private async step(draft: DeskDraft, revision: number): Promise<Outcome> {
    if (!draft.source) return this.keep(draft, revision, [t("frontdesk.ask.source")], sourceButtons());
    if (!draft.description) return this.keep(draft, revision, [t(draft.source === "patrol" ? "frontdesk.ask.words_patrol" : "frontdesk.ask.words")]);
    if (draft.source !== "patrol" && draft.owner === undefined) {
      const candidate = draft.candidate ?? (await this.lookUp(draft));
      if (candidate) return this.keep({ ...draft, candidate }, revision, [t("frontdesk.ask.owner", ownerParams(candidate))], yesNo());
      if (!draft.room) return this.keep(draft, revision, [t("frontdesk.ask.room")]);
      if (!draft.phone) return this.keep(draft, revision, [t("frontdesk.ask.phone")]);
      draft = { ...draft, owner: null };
    }
    const letter = draft.source === "letter" && this.deps.letters ? letterLines(draft, today(this.deps.letters, this.ctx.now)) : [];
    return this.keep(draft, revision, [...readBack(draft), ...letter], reviewButtons(draft));
  }

  /** Owners of earlier tickets of that room or phone, else the roster (业主档案) by phone. */
  private async lookUp(draft: DeskDraft) {
    if (!draft.room && !draft.phone) return null;
    const earlier = await this.deps.store.earlierOwners(draft.propertyId, defined({ roomLabel: draft.room, phone: draft.phone }));
    if (earlier[0]) return earlier[0];
    const roster = draft.phone ? await this.deps.store.roomsByPhone(draft.propertyId, draft.phone) : [];
    const room = roster.find((r) => !draft.room || r.label === draft.room);
    return room ? { personId: null, name: room.ownerName, phone: room.ownerPhone, roomLabel: room.label, inChat: false } : null;
  }

  private async file(draft: DeskDraft, revision: number): Promise<Outcome> {
    const ready = draft.source && draft.description && (draft.source === "patrol" || draft.owner !== undefined);
    if (!ready) return this.step(draft, revision);
    const filed = await fileDeskTicket(this.deps, this.ctx, draft);
    await this.save(null, revision);
    if (filed.entry) await this.rememberLetter({ ticketId: filed.ticket.id, ticketNumber: filed.ticket.number, entryId: filed.entry.id, entryNumber: filed.entry.number, at: this.ctx.now.toISOString() });
    return this.say(filed.text);
  }

  private async rememberLetter(filed: FiledLetter): Promise<void> {
    const revision = (await this.deps.store.loadConversation(this.filedKey))?.revision ?? 0;
    await this.deps.store.saveConversation(this.filedKey, this.ctx.person.id, filed, revision, this.ctx.now);
  }

  private blank(): DeskDraft {
    return { v: 1, id: this.deps.ids.next(), propertyId: this.ctx.binding?.propertyId ?? this.ctx.propertyIds[0]!, major: false, majorReasons: [] };
  }

  private async keep(draft: DeskDraft, revision: number, text: Text[], choices?: Choice[]): Promise<Outcome> {
    await this.save(draft, revision);
    return this.say(text, choices);
  }

  private async save(draft: DeskDraft | null, revision: number): Promise<void> {
    await this.deps.store.saveConversation(this.key, this.ctx.person.id, draft, revision, this.ctx.now);
  }

  private say(text: Text[], choices?: Choice[]): Outcome {
    return { locale: this.ctx.locale, replies: [choices ? { text, choices } : { text }] };
  }
}

function defined<T extends Record<string, unknown>>(o: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}

const sourceButtons = (): Choice[] => DESK_SOURCES.map((s) => ({ value: `fd:src:${s}`, label: t(`source.${s}`) }));
const yesNo = (): Choice[] => [
  { value: "fd:owner:yes", label: t("frontdesk.owner_yes") },
  { value: "fd:owner:no", label: t("frontdesk.owner_no") },
];

function reviewButtons(draft: DeskDraft): Choice[] {
  const kinds = TICKET_KINDS.filter((k) => k !== draft.kind).map((k) => ({ value: `fd:kind:${k}`, label: t(`kind.${k}`) }));
  return [
    { value: "fd:ok", label: t(`frontdesk.confirm.${draft.source!}`) },
    ...kinds,
    { value: "fd:major", label: t(draft.major ? "frontdesk.major_off" : "frontdesk.major_on") },
    { value: "fd:cancel", label: t("frontdesk.cancel") },
  ];
}

export function ownerParams(c: { name: string | null; phone: string | null; roomLabel: string | null; inChat: boolean }): Record<string, Text | string> {
  return {
    name: c.name ?? t("card.not_given"),
    phone: c.phone ?? t("card.not_given"),
    room: c.roomLabel ?? t("card.not_given"),
    reach: t(c.inChat ? "frontdesk.reach.chat" : "frontdesk.reach.phone"),
  };
}
