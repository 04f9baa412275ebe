/**
 * What the hotline reads and writes (implemented in src/infra/prisma/hotline.ts): the company's
 * roles, chats and codes, and the case files with their history. Every write that tells someone
 * takes its outbox messages and commits them in the same transaction.
 */
import type { ChatRef } from "../messages.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { PersonRecord } from "../people/store.js";
import type { TicketRecord } from "../ticket/store.js";
import type { CaseIntake, CompanyRole, HotlineCaseRecord, HotlineEventRecord, HotlineEventType, HotlineStatus } from "./case.js";

export type CompanyGrant = { readonly kind: "join"; readonly role: CompanyRole } | { readonly kind: "bind" };

export interface CompanyInviteRecord {
  readonly code: string;
  readonly grant: CompanyGrant;
  readonly expiresAt: Date;
}

export type CompanyRedeemResult =
  | { readonly ok: true; readonly grant: CompanyGrant }
  | { readonly ok: false; readonly code: "invite_unknown" | "invite_used" | "invite_expired" | "invite_wrong_kind" };

export interface NewHotlineCase extends CaseIntake {
  readonly id: string;
  readonly year: number;
  readonly measuresDueAt: Date;
  readonly createdAt: Date;
}

export interface MeasuresInput {
  readonly measures: string;
  readonly departmentHeadId: string;
  readonly actorId: string;
  readonly at: Date;
}

export interface HotlineStore {
  companyRoles(personId: string): Promise<CompanyRole[]>;
  companyPeople(role: CompanyRole): Promise<PersonRecord[]>;
  /** The active hotline groups (全质办). */
  hotlineChats(): Promise<ChatRef[]>;
  /** Whether the chat is an active company chat. */
  isCompanyChat(ref: ChatRef): Promise<boolean>;
  /** A one-time code prefixed `HL-`, so `/join` and `/bind` tell it from a property's at sight. */
  createCompanyInvite(grant: CompanyGrant, expiresAt: Date, createdAt: Date): Promise<CompanyInviteRecord>;
  /** Spends the code and grants the role (`join`), or binds `chat` (`bind`), in one transaction. */
  redeemCompanyInvite(code: string, kind: CompanyGrant["kind"], personId: string, chat: ChatRef | null, at: Date): Promise<CompanyRedeemResult>;
  /** Numbers the case (per year), records its first event and writes `outbox(case)` in one transaction. */
  fileCase(input: NewHotlineCase, outbox: (c: HotlineCaseRecord) => readonly NewOutboxMessage[]): Promise<HotlineCaseRecord>;
  caseByNumber(number: string): Promise<HotlineCaseRecord | null>;
  cases(filter: { readonly propertyIds?: readonly string[]; readonly departmentHeadId?: string; readonly statuses: readonly HotlineStatus[]; readonly limit: number }): Promise<HotlineCaseRecord[]>;
  /** Compare-and-set from awaiting_measures: false when someone set them first (nothing is written). */
  setMeasures(caseId: string, input: MeasuresInput, outbox: readonly NewOutboxMessage[]): Promise<boolean>;
  caseEvents(caseId: string): Promise<HotlineEventRecord[]>;
  /**
   * Appends an event; with `move`, only while the case is in one of `from` (compare-and-set), and
   * then to `to` (closing it when `to` is closed). False when the case had moved: nothing written.
   */
  recordEvent(caseId: string, event: NewHotlineEvent, move: { readonly from: readonly HotlineStatus[]; readonly to?: HotlineStatus } | null, outbox: readonly NewOutboxMessage[]): Promise<boolean>;
  /**
   * An officer's caller (§4.2): the tickets, of any property, with this room label or this contact
   * phone (or whose owner has it), newest first; neither given, none.
   */
  callerTickets(match: { readonly roomLabel?: string; readonly phone?: string }, limit: number): Promise<TicketRecord[]>;
  /** Cases filed in [from, to), oldest first: the daily report's new cases, the month's KPIs and forms. */
  casesFiled(from: Date, to: Date): Promise<HotlineCaseRecord[]>;
}

export interface NewHotlineEvent {
  readonly type: HotlineEventType;
  readonly actorId: string | null;
  readonly at: Date;
  readonly data: Readonly<Record<string, unknown>>;
}
