/**
 * The inbound port: what an adapter (console, grammY, Telegraf, Slack) hands the desks, and what
 * it gets back. Adapters translate a platform's update into these shapes and render the outcome;
 * the desks (./owner-desk.ts, ./staff-desk.ts) implement them and know nothing of any platform.
 */
import type { Channel, ChatRef, Inbound, Outcome, Sender, StaffInbound } from "../messages.js";
import type { SendWatch } from "./journal.js";

/** The chat an adapter will send a turn's replies to. */
export interface ReplyRoute {
  readonly to: ChatRef;
  /**
   * The platform's id of the update this turn answers (Telegram's update_id, Slack's event_id),
   * on `to`'s platform. The desk marks it processed in the transaction that saves the turn, so a
   * crash leaves either both or neither (issue 10, item 1); a turn for an update already marked
   * answers nothing.
   */
  readonly update?: string;
}

/** An owner turn's outcome; `delivery` is there when its replies were queued with the save. */
export interface DeskOutcome extends Outcome {
  readonly delivery?: ReplyDelivery;
  /**
   * The route's update is marked processed: with this turn's save, or by an earlier delivery.
   * Absent, the adapter marks it once the turn is over (`RedeliveryGuard.markProcessed`).
   */
  readonly marked?: true;
}

/** What an adapter owes replies queued on the durable fast path; `deliverDirectly` does it. */
export interface ReplyDelivery {
  /**
   * False: earlier messages to the chat are still waiting in the outbox, so the sender delivers
   * these after them and the adapter sends nothing (sent now, they would overtake).
   */
  readonly direct: boolean;
  /** False once a direct send could race the sender, which takes the replies when the hold ends. */
  inTime(): boolean;
  /**
   * The direct send is over: the first `delivered` replies reached the chat and are marked sent,
   * in the background and many turns' at once (`OwnerDesk.settled` waits for that); the rest are
   * left to the sender at once rather than after the hold. Never throws.
   */
  settle(delivered: number): Promise<void>;
  /**
   * The first `delivered` replies reached the chat and more are still to be sent: resolves once
   * they are marked sent, so a crash while the next is sent cannot send these again (issue 10,
   * item 2). Never throws.
   */
  progress(delivered: number): Promise<void>;
  /**
   * For the send that completes replies `from` up to `through`: the journal notes when its
   * request is written and when it fails (src/core/desk/journal.ts), so a process killed with
   * it in flight does not send it again. A part that completes no reply is not watched.
   */
  watch(from: number, through: number): SendWatch;
}

/** An owner addressed the bot in an owners' group (see `OwnerDeskPort.handoffFromGroup`). */
export interface GroupHandoff {
  readonly channel: Channel;
  readonly sender: Sender;
  /** The owner's private conversation with the bot. */
  readonly privateConversationKey: string;
  readonly groupChatId: string;
  readonly text: string;
}

/** The owner's side (业主): a private chat with the bot. */
export interface OwnerDeskPort {
  /** With `route`, the desk may queue the replies with the conversation (the durable fast path). */
  handle(inbound: Inbound, route?: ReplyRoute): Promise<DeskOutcome>;
  /** An owner raised a matter in an owners' group; an adapter without it ignores such messages. */
  handoffFromGroup?(inbound: GroupHandoff): Promise<Outcome>;
}

/** The staff side: commands (`/claim HG-0001`) and buttons (受理). */
export interface StaffDeskPort {
  /**
   * With `update` (the platform's id of the update, on the inbound's platform), the action's own
   * write marks it processed in its transaction (main.ts wraps the desk with
   * src/infra/prisma/update-mark.ts), so a crash after the action never repeats it when the
   * platform delivers the update again; an action that writes nothing is marked by the adapter
   * after it (issue 10, item 1).
   */
  handle(inbound: StaffInbound, update?: string): Promise<Outcome>;
  /**
   * Someone addressed the bot (`@bot …`) in a bound group without a command: staff are shown what
   * works there, anyone else whose group it is and how to join, rather than nothing.
   */
  addressed?(inbound: Omit<StaffInbound, "body">): Promise<Outcome>;
  /**
   * A photo sent outside any command (a letter's scan while the front desk records it): the
   * staff side's answer, or null when it is not staff business and the owner desk has it.
   */
  attach?(inbound: StaffAttachment): Promise<Outcome | null>;
}

/** A photo a person sent in a chat, as the platform references it (`tg:<file_id>`, `slack:<id>`). */
export interface StaffAttachment extends Omit<StaffInbound, "body"> {
  readonly fileRef: string;
}

/**
 * Remembers handled platform updates, so one a platform delivers again is not acted on twice.
 * An update counts as handled only once its effect is stored: an owner turn's mark is written
 * with the turn's save (`ReplyRoute.update`); anything else is marked after it was handled. A
 * process that dies before that leaves the update unmarked, and the platform's redelivery is
 * handled as if it were the first (issue 10, item 1). A staff action's ticket write carries its
 * update's mark in the same transaction (`StaffDeskPort.handle`), so it is not done twice either.
 */
export interface RedeliveryGuard {
  /** True once the update was handled (a redelivery): act on nothing. */
  processed(platform: ChatRef["platform"], updateId: string): Promise<boolean>;
  /** The update was handled; its redeliveries are skipped from now on. */
  markProcessed(platform: ChatRef["platform"], updateId: string, at: Date): Promise<void>;
}

/** An update as a platform's long poll handed it over: its id and its JSON, unparsed. */
export interface KeptUpdate {
  readonly id: string;
  readonly body: string;
}

/**
 * The updates a long poll fetched, kept before the platform is told they arrived. Telegram
 * forgets an update once the next poll confirms it, and @grammyjs/runner polls again while it
 * is still handling the last batch: a process killed then lost those updates for good. Kept
 * here first, they are handled at the next start if no mark (`RedeliveryGuard`) says they were
 * (issue 10, item 1).
 */
export interface UpdateInbox {
  /** Keeps a fetched batch (again is harmless); resolves once it is stored. */
  keep(platform: ChatRef["platform"], updates: readonly KeptUpdate[], at: Date): Promise<void>;
  /** Kept updates received from `since` to `until` (both included) and not marked processed, oldest first. */
  unfinished(platform: ChatRef["platform"], since: Date, until: Date): Promise<KeptUpdate[]>;
  /** Forgets these updates: handled again at a start, they get no third try. (Old ones go with the prune job.) */
  forget(platform: ChatRef["platform"], ids: readonly string[]): Promise<void>;
}
