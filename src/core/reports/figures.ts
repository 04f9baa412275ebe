/**
 * What the director's digest and the monthly statistics count, as data (the rendering and the
 * workbook read these). Every rate is a numerator over a denominator with its definition in
 * docs/rates.md; tests pin each one. Counted by the store with indexed aggregate queries, never
 * by loading tickets into memory (the bench holds 1,000,000 tickets).
 *
 * Company targets from seed 002 §5.4–5.6: feedback on time 100%, callback rate 100%, callback
 * satisfaction 98%, closure rate at least 80%.
 */
import type { BreakdownStore } from "./breakdown.js";
import type { WrittenComplaintStore } from "./written.js";
import type { Rating } from "../ticket/rating.js";
import type { Category, TicketKind, TicketWeight } from "../ticket/kinds.js";
import type { TicketStatus } from "../ticket/status.js";

/** A rate as counted; its value is numerator / denominator, or none when nothing was counted. */
export interface Rate {
  readonly numerator: number;
  readonly denominator: number;
}

export const rateValue = (r: Rate): number | null => (r.denominator === 0 ? null : r.numerator / r.denominator);

/** seed 002 §5.4–5.6. The reopen rate has no company target: lower is better. */
export const RATE_TARGETS = {
  feedbackOnTime: 1,
  callback: 1,
  callbackSatisfaction: 0.98,
  closure: 0.8,
} as const;

/** A ticket as the digest lists it (one line). */
export interface DigestTicket {
  readonly id: string;
  readonly number: string;
  readonly kind: TicketKind;
  readonly category: Category;
  readonly weight: TicketWeight;
  readonly status: TicketStatus;
  readonly roomLabel: string | null;
  readonly description: string;
  readonly assigneeName: string | null;
  readonly createdAt: Date;
  readonly claimedAt: Date | null;
  readonly firstResponseAt: Date | null;
  readonly nextReplyDueAt: Date | null;
}

export interface CallbackLine {
  readonly ticketNumber: string;
  readonly at: Date;
  readonly rating: Rating;
  /** "owner" when the owner rated by button, "staff" when staff recorded a callback (回访). */
  readonly by: "owner" | "staff";
  readonly byName: string | null;
  readonly note: string | null;
}

/** The director's morning digest: yesterday [from, to) of one property, as of `asOf`. */
export interface DigestFigures {
  readonly propertyId: string;
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  /** Filed in the window, by kind (cancelled ones included). */
  readonly created: Readonly<Record<TicketKind, number>>;
  /** Distinct tickets resolved (moved to 已处理) in the window, from the history: a later reopening does not undo it. */
  readonly resolved: number;
  /** Filed before `to` and still open (new, claimed, in progress, waiting, reopened) at `asOf`. */
  readonly open: number;
  /** Of those, the ones whose promised reply time (跟清楚) had passed at `asOf`. */
  readonly overdue: number;
  /** Major (重大) tickets filed or escalated in the window, in filing order. */
  readonly major: readonly DigestTicket[];
  /** Callbacks made and ratings given in the window, in time order. */
  readonly callbacks: readonly CallbackLine[];
  /** 检查前一天所记录的用户投诉有否及时跟进: every complaint filed in the window, with how far it got by `asOf`. */
  readonly complaints: readonly DigestTicket[];
}

export interface CountBy<K extends string> {
  readonly key: K;
  readonly count: number;
}

export interface StaffFigures {
  readonly personId: string;
  readonly name: string;
  /** Distinct tickets this person claimed (受理) during the month. */
  readonly claimed: number;
  /** Tickets whose latest resolution falls in the month and that are assigned to this person. */
  readonly resolved: number;
}

export interface ZoneFigures {
  readonly zoneId: string | null;
  readonly name: string | null;
  readonly count: number;
}

/** The monthly statistics of one property for the calendar month [from, to), as of `asOf`. */
export interface MonthlyFigures {
  readonly propertyId: string;
  /** "2026-10" */
  readonly month: string;
  readonly from: Date;
  readonly to: Date;
  readonly asOf: Date;
  /** Filed in the month (cancelled ones included in total and by kind, as the intake list has them). */
  readonly total: number;
  readonly byKind: Readonly<Record<TicketKind, number>>;
  readonly byCategory: Readonly<Record<Category, number>>;
  /** Filed in the month by zone, most first; a null zone is a ticket whose zone was not known. */
  readonly byZone: readonly ZoneFigures[];
  /** Everyone who claimed or resolved something in the month, busiest first. */
  readonly byStaff: readonly StaffFigures[];
  /** Callbacks (回访) and owners' ratings recorded in the month, tickets of every kind, by rating. */
  readonly ratings: Readonly<Record<Rating, number>>;
  /**
   * Of those, the repeat callbacks: a ticket's second and later callback or rating, the owner asked
   * again after a 不满意 was fixed (seed 000 §2(3)A c: 确定下次回访时间), whenever the first was.
   */
  readonly repeatCallbacks: number;
  /** Each rate's numerator, denominator, window and tickets: docs/rates.md. */
  readonly rates: {
    readonly feedbackOnTime: Rate;
    readonly callback: Rate;
    readonly callbackSatisfaction: Rate;
    readonly closure: Rate;
    readonly reopen: Rate;
  };
}

/** One row of 用户意见受理表 (the complaint intake list), for the export. */
export interface IntakeRow {
  readonly number: string;
  readonly createdAt: Date;
  readonly kind: TicketKind;
  readonly category: Category;
  readonly weight: TicketWeight;
  readonly status: TicketStatus;
  readonly roomLabel: string | null;
  readonly contactName: string | null;
  readonly contactPhone: string | null;
  readonly zoneName: string | null;
  readonly description: string;
  readonly assigneeName: string | null;
  readonly firstResponseAt: Date | null;
  readonly resolvedAt: Date | null;
  /** The last resolution's result, as told to the owner. */
  readonly result: string | null;
  readonly rating: Rating | null;
  readonly calledBackAt: Date | null;
}

/** One row of 回访用户月统计表 (the monthly callback statistics): a callback or rating in the month. */
export interface CallbackRow extends CallbackLine {
  readonly roomLabel: string | null;
  readonly contactName: string | null;
  readonly kind: TicketKind;
  readonly category: Category;
}

/** The aggregate queries behind the digest, the statistics and the export. */
/**
 * With the Breakdown (./breakdown.ts): kind × category and sources, for the monthly statistics and
 * the daily posts; and the open written complaints (./written.ts) for the daily posts.
 */
export interface ReportStore extends BreakdownStore, WrittenComplaintStore {
  digest(propertyId: string, from: Date, to: Date, asOf: Date): Promise<DigestFigures>;
  monthly(propertyId: string, month: string, from: Date, to: Date, asOf: Date): Promise<MonthlyFigures>;
  /**
   * The month's tickets for 用户意见受理表, in filing order; paged so a big month streams: `after`
   * is the `number` of the previous page's last row.
   */
  intakeRows(propertyId: string, from: Date, to: Date, page: { after?: string; limit: number }): Promise<IntakeRow[]>;
  /** The month's callbacks and ratings for 回访用户月统计表, in time order. */
  callbackRows(propertyId: string, from: Date, to: Date): Promise<CallbackRow[]>;
}
