/**
 * What a ticket is about. Source: ../shared/domain.md "Kinds of ticket"; seed 000 §2(2)B for
 * the complaint weights, seed 003 §6.5.3 for the service/repair split, seed 000 §2(4) and
 * seed 003 §6.5.3(4) for the analysis categories.
 */

/**
 * 投诉 complaint, 报修 repair request, 咨询 inquiry, 建议 suggestion, 表扬 praise, and 求助 help (a
 * request for help: locked out, carrying, an elderly owner needing assistance), which seed 003
 * §6.5.3 counts each month beside 咨询, 投诉 and 报修 (issue 12, item 4). Appended last, so
 * orderings and stored values of the others do not move.
 */
export const TICKET_KINDS = ["complaint", "repair", "inquiry", "suggestion", "praise", "help"] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

/**
 * Weight of a ticket. For complaints it is seed 000's 一般性 / 重大 / 书面 投诉. An urgent repair
 * (a flood, a trapped lift) is also marked `major` so that it is reported at once (五清楚's 报告);
 * `written` is only ever set by staff for a letter registered in the incoming-document log.
 */
export const TICKET_WEIGHTS = ["general", "major", "written"] as const;
export type TicketWeight = (typeof TICKET_WEIGHTS)[number];

/**
 * Analysis categories used by the seeds: 清洁, 工程维修, 绿化养护, 护卫(秩序), 停车场,
 * 物业费/车位费, 整体管理, 工作效率, 言行举止/礼仪礼貌, 其他.
 */
export const CATEGORIES = ["cleaning", "engineering", "greening", "security", "parking", "fees", "management", "efficiency", "conduct", "other"] as const;
export type Category = (typeof CATEGORIES)[number];

/** Where the matter is: in the owner's home, or in a common area (lobby, lift, car park...). */
export const LOCATIONS = ["home", "common"] as const;
export type Location = (typeof LOCATIONS)[number];

/** Why a matter is major, by name: what the lexicon, the corpus's labels and the learned model speak of. */
export const NAMED_MAJOR_REASONS = ["flooding", "fire", "gas", "injury", "lift_trapped", "security_incident", "collective", "media", "repeated", "escalation"] as const;
export type NamedMajorReason = (typeof NAMED_MAJOR_REASONS)[number];
/**
 * Why the classifier thinks a matter is major; each has a locale key `major.<reason>`.
 * `possible_major`: only the learned model flagged it and could not name why with confidence
 * (src/core/classify/learned.ts); the staff are alerted at once all the same and check.
 */
export const MAJOR_REASONS = [...NAMED_MAJOR_REASONS, "possible_major"] as const;
export type MajorReason = (typeof MAJOR_REASONS)[number];

export function isTicketKind(v: unknown): v is TicketKind {
  return typeof v === "string" && (TICKET_KINDS as readonly string[]).includes(v);
}
export function isCategory(v: unknown): v is Category {
  return typeof v === "string" && (CATEGORIES as readonly string[]).includes(v);
}

/**
 * How a matter reached the desk (issue 12): an owner's chat with the bot, or recorded by staff at
 * the front desk from a call (来电), a visit to the counter (来访), a letter (书面, seed 000 §2(2)B)
 * or a finding on patrol (巡检发现, seed 001's 客服专员 "负责公共区域设施设备的巡检").
 */
export const TICKET_SOURCES = ["chat", "phone", "visit", "letter", "patrol"] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];
