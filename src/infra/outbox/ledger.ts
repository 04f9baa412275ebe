/**
 * Where the outbox senders book their platform calls, so the platform's limits hold for the bot
 * as a whole: a restarted sender sees what it sent before it stopped, and the senders of several
 * instances on one PostgreSQL database share one budget instead of each spending the whole of it.
 */
import type { Channel } from "../../core/messages.js";

/** The calls already booked, as times in ms: the platform's since `globalSince`, the chat's since `chatSince`. */
export interface Booked {
  readonly global: readonly number[];
  readonly chat: readonly number[];
}

export interface BookingRequest {
  readonly platform: Channel;
  readonly chatId: string;
  /** Exclusive: calls at or before these no longer count (ms). */
  readonly globalSince: number;
  readonly chatSince: number;
}

/** `decide`'s answer: the slot for the call, and whether to book it (a slot too far off is not). */
export interface Decision {
  readonly at: number;
  readonly book: boolean;
}

export interface SendLedger {
  /**
   * In one transaction that takes turns with every other booking for the platform (in this
   * process and in others): read what is booked, let `decide` choose a slot from it, and record
   * a call to the chat at that slot if `decide` says so.
   */
  book(request: BookingRequest, decide: (booked: Booked) => Decision): Promise<Decision>;
}
