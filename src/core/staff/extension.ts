/**
 * A staff command or button answered outside the ticket workflow: the digest and its 已阅
 * button, statistics, exports, handover notes. The desk has already checked (./access.ts) that
 * the person is staff of the chat's property, or in a private chat staff somewhere; an extension
 * checks the roles its command needs, within `propertyIds` only.
 */
import type { ChatRef, Outcome, StaffInbound } from "../messages.js";
import type { PersonRecord } from "../people/store.js";
import type { Locale, Text } from "../text.js";
import type { TicketRecord } from "../ticket/store.js";
import type { ChatBindingRecord } from "./chats.js";
import type { StaffRoleRecord } from "./roles.js";

export interface StaffContext {
  readonly inbound: StaffInbound;
  readonly person: PersonRecord;
  /** The answer's language: the staff locale in a group, the person's own in a private chat. */
  readonly locale: Locale;
  /** The group's binding; null in a private chat. */
  readonly binding: ChatBindingRecord | null;
  /** The person's roles in `propertyIds`: in a group, only the group's property's. */
  readonly roles: readonly StaffRoleRecord[];
  /** The properties this chat may act on: the group's one, or all of the person's in private. */
  readonly propertyIds: readonly string[];
  /** The command (`stats`) or, for a button, the value's prefix (`digest`). */
  readonly command: string;
  /** What followed the command, or the button value after its prefix. */
  readonly args: string;
  readonly now: Date;
}

export interface StaffExtension {
  /** Commands and button prefixes it answers; each must be in STAFF_COMMANDS or isStaffChoice. */
  readonly names: readonly string[];
  handle(ctx: StaffContext): Promise<Outcome>;
  /**
   * A photo a staff member sent outside any command (a letter's scan at the front desk): null
   * when it is not this extension's business, and the owner desk has it as before.
   */
  attach?(ctx: StaffContext, fileRef: string): Promise<Outcome | null>;
  /** Ticket commands (`resolve`) this extension checks before the workflow runs them. */
  readonly guards?: readonly string[];
  /** `ctx.args` is what followed the ticket number; see `GuardVerdict`. */
  guard?(ctx: StaffContext, ticket: TicketRecord): Promise<GuardVerdict>;
  /**
   * A company-level extension (seed 002's hotline: the quality office and the general manager
   * belong to no property): the messages it claims reach it before the desk's property scope
   * check, with all the person's roles, and it decides who may act itself.
   */
  readonly company?: {
    claims(command: string, args: string, chat: { readonly kind: "private" | "group"; readonly ref: ChatRef }): Promise<boolean>;
  };
}

/**
 * Refused with a reason; or let through, with the words the workflow is to read instead of the
 * typed ones (`书面: …` read as the result) and what to do once it succeeded (keep the written
 * reply), whose lines are added to the answer.
 */
export type GuardVerdict =
  | { readonly ok: false; readonly text: readonly Text[] }
  | { readonly ok: true; readonly args?: string; after?(ticket: TicketRecord): Promise<Text[]> };
