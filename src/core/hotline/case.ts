/**
 * The general manager's hotline (总经理热线, seed 002): the group's second tier, run by the
 * quality office (全质办) across all properties. A case file (热线处理档案) is an owner's complaint
 * about how a property handled them (§2.0, §4.1), sent to the property head, who sets the
 * handling measures and names the responsible department head at once (§4.4).
 */
import { addBusinessMinutes } from "../sla/hours.js";
import type { SlaPolicy } from "../sla/policy.js";
import { localParts } from "../time/zone.js";

/**
 * Roles of the company, not of one property (§3.1): 热线专员 of the quality office, and the
 * 总经理 the hotline reports to (§3.1.6, §4.3.2).
 */
export const COMPANY_ROLES = ["hotline_officer", "general_manager"] as const;
export type CompanyRole = (typeof COMPANY_ROLES)[number];
export const isCompanyRole = (s: string): s is CompanyRole => (COMPANY_ROLES as readonly string[]).includes(s);

/**
 * Where a case stands. `awaiting_measures`: sent to the property head (§4.3.1), who has not set
 * the measures yet; `in_hand`: measures set, the department head handles it on site until the
 * owner is satisfied (§4.5.1); `done`: the property reports it done; `closed`: the officer's
 * closing callback found the owner satisfied (§4.6.2, 结案).
 */
export const HOTLINE_STATUSES = ["awaiting_measures", "in_hand", "done", "closed"] as const;
export type HotlineStatus = (typeof HOTLINE_STATUSES)[number];
export const OPEN_HOTLINE_STATUSES: readonly HotlineStatus[] = ["awaiting_measures", "in_hand", "done"];

/** chat: the owner asked in chat (`/hotline`); phone: an officer recorded a call (§5.2). */
export type HotlineSource = "chat" | "phone";

export interface HotlineCaseRecord {
  readonly id: string;
  /** HL2026-0001: numbered per company and year. */
  readonly number: string;
  readonly propertyId: string;
  /** The property's tickets the complaint is about: a hotline case is about a handled matter (§4.1). */
  readonly tickets: readonly string[];
  readonly ownerId: string | null;
  /** §4.2: 房号, 姓名, 联系电话, 归属楼盘 and the matter, accurately. */
  readonly roomLabel: string | null;
  readonly contactName: string | null;
  readonly contactPhone: string | null;
  readonly matter: string;
  readonly source: HotlineSource;
  /** 重大投诉 (§4.3.2): the general manager is told at once. */
  readonly major: boolean;
  readonly status: HotlineStatus;
  readonly recordedById: string | null;
  readonly measures: string | null;
  readonly departmentHeadId: string | null;
  /** §4.4: when the measures are due (the SLA policy's `hotline.measures`, business hours). */
  readonly measuresDueAt: Date;
  readonly measuresAt: Date | null;
  readonly createdAt: Date;
  readonly closedAt: Date | null;
}

/** What is known of a case when it is filed (§4.2): everything the hotline heard, nothing handled yet. */
export type CaseIntake = Pick<
  HotlineCaseRecord,
  "propertyId" | "tickets" | "ownerId" | "roomLabel" | "contactName" | "contactPhone" | "matter" | "source" | "major" | "recordedById"
>;

/**
 * A case's history: filed, measures set (§4.4), the callbacks (§4.6: the department head's first,
 * the property head's second after completion, the officer's closing and stage callbacks), the
 * 处理回访表 returned (§4.5.1), the property reporting it done, the written report (§4.3.3).
 */
export const HOTLINE_EVENT_TYPES = [
  "filed", "measures", "callback_first", "callback_second", "callback_closing", "callback_stage", "feedback", "done", "written_report",
] as const;
export type HotlineEventType = (typeof HOTLINE_EVENT_TYPES)[number];
export const CALLBACK_KINDS = ["first", "second", "closing", "stage"] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

export interface HotlineEventRecord {
  readonly seq: number;
  readonly at: Date;
  readonly type: HotlineEventType;
  readonly actorId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

const NUMBER = /^HL(\d{4})-(\d{4,6})$/i;

export const caseNumber = (year: number, seq: number): string => `HL${year}-${String(seq).padStart(4, "0")}`;

/** "hl2026-1" is not a number; "HL2026-0001" and "hl2026-0001" are. */
export function parseCaseNumber(text: string): string | null {
  const m = NUMBER.exec(text.trim());
  return m ? caseNumber(Number(m[1]), Number(m[2])) : null;
}

/** The year a case is numbered in: the company's local year (its time zone is the policy's). */
export const caseYear = (at: Date, policy: SlaPolicy): number => localParts(at, policy.businessHours.timeZone).year;

/** §4.4 "必须立即确定处理措施": the clock runs in the property's business hours. */
export const measuresDue = (filedAt: Date, policy: SlaPolicy): Date => addBusinessMinutes(filedAt, policy.hotlineMeasuresMinutes, policy.businessHours);
