/**
 * Who is in the playground: the demo property's staff (seed 001's 客服前台助理, 管家 of A区,
 * 客服主管, and seed 000's 服务中心主任) and the chats they work in. The playground speaks as a
 * Telegram client (see ./room.ts), so ids are Telegram's shapes: users are positive numbers and
 * a private chat's id is its user's, groups are negative.
 */
import type { StaffRole } from "../../core/staff/roles.js";
import type { ChatPurpose } from "../../core/staff/chats.js";
import type { Locale } from "../../core/text.js";

export interface CastMember {
  readonly id: number;
  /** The person's name as staff read it on cards; their Telegram handle is `username`. */
  readonly name: string;
  readonly username: string;
  readonly role: StaffRole;
  /** A zone specialist's zone code (管辖区域). */
  readonly zone?: string;
}

export const STAFF: readonly CastMember[] = [
  { id: 9001, name: "小李", username: "xiaoli", role: "front_desk" },
  { id: 9002, name: "小王", username: "xiaowang", role: "zone_specialist", zone: "A" },
  { id: 9003, name: "陈主管", username: "chen_zhuguan", role: "supervisor" },
  { id: 9004, name: "周主任", username: "zhou_zhuren", role: "director" },
];

export type ChatKind = "owner" | "staff" | "director" | "department" | "owners_group";

export interface CastChat {
  readonly id: string;
  readonly kind: ChatKind;
  /** The binding that makes it one of the property's chats; none for the owners' group (业主群). */
  readonly purpose?: ChatPurpose;
  readonly department?: string;
}

/** The groups; each owner's and staff member's private chat is added by id as it is used. */
export const GROUPS: readonly CastChat[] = [
  { id: "-1001", kind: "staff", purpose: "staff" },
  { id: "-1002", kind: "director", purpose: "director" },
  { id: "-1003", kind: "department", purpose: "department", department: "工程部" },
  { id: "-1004", kind: "owners_group" },
];

export interface Owner {
  readonly id: number;
  readonly name: string;
  readonly locale: Locale;
}

/** The owners a fresh playground starts with; more are added from the page. */
export const FIRST_OWNERS: readonly Owner[] = [
  { id: 1001, name: "王先生", locale: "zh-CN" },
  { id: 1002, name: "Mr Smith", locale: "en" },
];

/** Telegram's @name of the playground's bot, as owners and staff address it in groups. */
export const BOT_USERNAME = "guanjia_playground_bot";

export const isGroup = (chatId: string): boolean => chatId.startsWith("-");
