/**
 * A property's SLA policy (服务时限): how long staff have to claim a ticket, to give the owner
 * the first reply, to call back after the work, and when an unsolved complaint goes up in
 * writing. The defaults come from the seeds; an admin overrides single settings per property
 * (`npm run admin -- sla set HG reply.repair=3h`), stored as text and validated here.
 */
import { t, type MessageKey, type Text } from "../text.js";
import { TICKET_KINDS, type TicketKind } from "../ticket/kinds.js";
import { ALL_WEEKDAYS, clockText, isTimeZone, type BusinessHours, type IsoWeekday } from "./hours.js";

export interface SlaPolicy {
  /** When the desk is open: the business-minute clocks below run only then. */
  readonly businessHours: BusinessHours;
  /** 受理: business minutes to claim a new ticket. */
  readonly claimMinutes: number;
  /** A major matter is reported at once (seed 000 §2(2)A f): wall-clock minutes to claim it. */
  readonly majorClaimMinutes: number;
  /** 跟清楚 / 复清楚: business minutes to the first reply promised at filing, by kind. */
  readonly replyMinutes: Readonly<Record<TicketKind, number>>;
  /** Wall-clock minutes to the first reply on a major matter (seed 000 §2(2)B: fix a reply time at once). */
  readonly majorReplyMinutes: number;
  // ── Callbacks planned by severity (回访, issue 12 item 5) ──
  /**
   * Who calls the owner back and by when, by weight and kind (seed 000 §2(3)A b: "按用户投诉的程度进行
   * 适当回访,回访时间按用户投诉内容具体确定"); null: no callback (praise, an inquiry).
   */
  readonly callbackPlans: Readonly<Record<CallbackClass, CallbackPlan | null>>;
  /** The follower is reminded this long after resolution (the owner may rate first), at the latest when due. */
  readonly callbackRemindAfterMinutes: number;
  // ── end of callbacks ──
  /** A complaint not solved this long after filing goes up in writing (seed 002 §4.3.3: 7 days). */
  readonly complaintEscalateMinutes: number;
  /** Between the levels of the overdue ladder (assignee, staff group, one level up). */
  readonly stepMinutes: number;

  // ── VIP owners (重要业主, issue 13 §2) ──────────────────────────────────────────────────────
  /** Business minutes to claim a VIP's ticket; null: half of `claimMinutes` (see vipClaimMinutes). */
  readonly vipClaimMinutes: number | null;
  /** Business minutes to the first reply on a VIP's ticket; null: half the kind's `replyMinutes`. */
  readonly vipReplyMinutes: number | null;
  // ── end VIP owners ──
  // ---- The general manager's hotline (总经理热线, seed 002; issue 14) ----
  /** §4.4: business minutes for the property head to set the measures and name the responsible department head ("立即"). */
  readonly hotlineMeasuresMinutes: number;
  /** §4.6.1: wall-clock minutes from the case file to the department head's first callback. */
  readonly hotlineFirstCallbackMinutes: number;
  /** §4.5.1: wall-clock minutes from the case file to the 处理回访表 returned to the quality office. */
  readonly hotlineFeedbackMinutes: number;
  /** §4.3.3: a case without measures, or unsolved, this long after the case file goes up in writing. */
  readonly hotlineWrittenReportMinutes: number;
  /** §4.6.2 阶段性回访: a case in hand this long (and each time as long again) is due a stage callback by the officer. */
  readonly hotlineStageMinutes: number;
}

const HOUR = 60;
const DAY = 24 * HOUR;

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  // seed 002 §5.1: the hotline is on duty 365 days, 08:30-18:00; seed 000 §3 has the director
  // check attendance at 08:30. Asia/Shanghai is where the seeds' companies work.
  businessHours: { timeZone: "Asia/Shanghai", open: 8 * HOUR + 30, close: 18 * HOUR, days: ALL_WEEKDAYS },
  claimMinutes: 30,
  majorClaimMinutes: 10,
  // The reply times the bot promised owners at filing before policies existed.
  // 求助 (issue 12): someone locked out or an elderly owner waiting is answered as fast as a repair.
  replyMinutes: { repair: 2 * HOUR, complaint: 4 * HOUR, inquiry: 4 * HOUR, suggestion: DAY, praise: DAY, help: 2 * HOUR },
  majorReplyMinutes: 30,
  // Callbacks planned by severity: seed 000 §2(3)A a has the director call back on what weighs
  // (服务中心主任负责回访用户工作) the same business day; seed 002 §4.6.1 has a first callback within
  // 24 hours. A repair is asked after two days, when a leak fixed has had time to show it holds.
  // 求助 (help): the follower asks within a day whether the hand given was enough. A suggestion is
  // answered, not fixed: no callback, like praise and an inquiry, unless an admin sets one.
  callbackPlans: {
    major: { by: "director", within: "same_day" },
    written: { by: "director", within: "same_day" },
    complaint: { by: "follower", within: DAY },
    repair: { by: "follower", within: 2 * DAY },
    help: { by: "follower", within: DAY },
    suggestion: null,
    inquiry: null,
    praise: null,
  },
  callbackRemindAfterMinutes: 4 * HOUR,
  complaintEscalateMinutes: 7 * DAY,
  stepMinutes: 30,
  // ── VIP owners (issue 13 §2): half the usual claim and reply times unless set ──
  vipClaimMinutes: null,
  vipReplyMinutes: null,
  // ── end VIP owners ──
  // ---- The general manager's hotline (seed 002; issue 14) ----
  hotlineMeasuresMinutes: 2 * HOUR,
  hotlineFirstCallbackMinutes: DAY,
  hotlineFeedbackMinutes: DAY,
  hotlineWrittenReportMinutes: 7 * DAY,
  hotlineStageMinutes: 3 * DAY,
};

// ── VIP owners (issue 13 §2) ─────────────────────────────────────────────────────────────────
/** A VIP's claim time: the property's own `vip.claim`, or half its usual claim time (at least a minute). */
export function vipClaimMinutes(policy: SlaPolicy): number {
  return policy.vipClaimMinutes ?? half(policy.claimMinutes);
}

/** A VIP's first-reply time: the property's own `vip.reply`, or half the usual one for the kind. */
export function vipReplyMinutes(policy: SlaPolicy, kind: TicketKind): number {
  return policy.vipReplyMinutes ?? half(policy.replyMinutes[kind]);
}

const half = (minutes: number): number => Math.max(1, Math.round(minutes / 2));

/** "half" stands for the default; shown so, and accepted back. */
const HALF = "half";

function halfOrDuration(get: (p: SlaPolicy) => number | null, set: (p: SlaPolicy, minutes: number | null) => SlaPolicy): Setting {
  return {
    value: "duration",
    parse: (text) => {
      if (text.trim().toLowerCase() === HALF) return (p) => set(p, null);
      const minutes = parseDuration(text);
      return minutes === null ? null : (p) => set(p, minutes);
    },
    show: (p) => {
      const minutes = get(p);
      return minutes === null ? HALF : durationText(minutes);
    },
  };
}

const vipSettings = {
  "vip.claim": halfOrDuration((p) => p.vipClaimMinutes, (p, m) => ({ ...p, vipClaimMinutes: m })),
  "vip.reply": halfOrDuration((p) => p.vipReplyMinutes, (p, m) => ({ ...p, vipReplyMinutes: m })),
} satisfies Record<string, Setting>;
// ── end VIP owners ──

/** What kind of value a setting takes; each is a locale key `sla.hint.<kind>` for its error. */
export type SettingValueKind = "duration" | "hours" | "days" | "timezone" | "callback";

interface Setting {
  readonly value: SettingValueKind;
  /** The change the text makes, or null when the text is not a valid value. */
  parse(text: string): ((p: SlaPolicy) => SlaPolicy) | null;
  show(p: SlaPolicy): string;
}

/** At most 60 days: nothing a property promises takes longer. */
const MAX_MINUTES = 60 * DAY;

function duration(get: (p: SlaPolicy) => number, set: (p: SlaPolicy, minutes: number) => SlaPolicy): Setting {
  return {
    value: "duration",
    parse: (text) => {
      const minutes = parseDuration(text);
      return minutes === null ? null : (p) => set(p, minutes);
    },
    show: (p) => durationText(get(p)),
  };
}

const withHours = (p: SlaPolicy, change: Partial<BusinessHours>): SlaPolicy => ({ ...p, businessHours: { ...p.businessHours, ...change } });

const replySettings = Object.fromEntries(
  TICKET_KINDS.map((kind) => [
    `reply.${kind}`,
    duration(
      (p) => p.replyMinutes[kind],
      (p, m) => ({ ...p, replyMinutes: { ...p.replyMinutes, [kind]: m } }),
    ),
  ]),
) as Record<`reply.${TicketKind}`, Setting>;

// ── Callbacks planned by severity (回访, issue 12 item 5) ──

/** A callback is planned by the ticket's weight when it is not general, else by its kind. */
export const CALLBACK_CLASSES = ["major", "written", ...TICKET_KINDS] as const;
export type CallbackClass = (typeof CALLBACK_CLASSES)[number];
/** The director (服务中心主任, seed 000 §2(3)A a) or whoever follows the ticket (跟清楚). */
export const CALLBACK_BY = ["director", "follower"] as const;
export type CallbackBy = (typeof CALLBACK_BY)[number];
export interface CallbackPlan {
  readonly by: CallbackBy;
  /** "same_day": by the close of the business day the ticket was resolved on; else wall-clock minutes. */
  readonly within: "same_day" | number;
}

/** "none", "same-day", "24h", each optionally "/director" or "/follower" ("24h/director"). */
export function parseCallbackPlan(text: string, current: CallbackPlan | null): CallbackPlan | null | undefined {
  const m = /^([^/]+?)(?:\/(director|follower))?$/.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  if (m[1] === "none") return m[2] ? undefined : null;
  const within = m[1] === "same-day" ? "same_day" : parseDuration(m[1]!);
  if (within === null) return undefined;
  const by = (m[2] as CallbackBy | undefined) ?? current?.by ?? (within === "same_day" ? "director" : "follower");
  return { by, within };
}

export const callbackPlanText = (plan: CallbackPlan | null): string =>
  plan ? `${plan.within === "same_day" ? "same-day" : durationText(plan.within)}/${plan.by}` : "none";

const callbackSettings = Object.fromEntries(
  CALLBACK_CLASSES.map((c): [string, Setting] => [
    `callback.${c}`,
    {
      value: "callback",
      parse: (text) => {
        const seen = parseCallbackPlan(text, null);
        return seen === undefined ? null : (p) => {
          const plan = parseCallbackPlan(text, p.callbackPlans[c]) ?? null;
          return { ...p, callbackPlans: { ...p.callbackPlans, [c]: plan } };
        };
      },
      show: (p) => callbackPlanText(p.callbackPlans[c]),
    },
  ]),
) as Record<`callback.${CallbackClass}`, Setting>;

/** Stored (or typed) before callbacks were planned by severity: the one callback time was the general complaint's. */
const LEGACY_KEYS: Readonly<Record<string, SlaSettingKey>> = { callback: "callback.complaint" };

// ── end of callbacks ──

const SETTINGS = {
  timezone: {
    value: "timezone",
    parse: (text) => (isTimeZone(text) ? (p) => withHours(p, { timeZone: text }) : null),
    show: (p) => p.businessHours.timeZone,
  },
  hours: {
    value: "hours",
    parse: (text) => {
      const window = parseHours(text);
      return window && ((p) => withHours(p, window));
    },
    show: (p) => `${clockText(p.businessHours.open)}-${clockText(p.businessHours.close)}`,
  },
  days: {
    value: "days",
    parse: (text) => {
      const days = parseDays(text);
      return days && ((p) => withHours(p, { days }));
    },
    show: (p) => daysText(p.businessHours.days),
  },
  claim: duration((p) => p.claimMinutes, (p, m) => ({ ...p, claimMinutes: m })),
  "claim.major": duration((p) => p.majorClaimMinutes, (p, m) => ({ ...p, majorClaimMinutes: m })),
  ...replySettings,
  "reply.major": duration((p) => p.majorReplyMinutes, (p, m) => ({ ...p, majorReplyMinutes: m })),
  ...callbackSettings,
  "callback.remind": duration((p) => p.callbackRemindAfterMinutes, (p, m) => ({ ...p, callbackRemindAfterMinutes: m })),
  escalate: duration((p) => p.complaintEscalateMinutes, (p, m) => ({ ...p, complaintEscalateMinutes: m })),
  step: duration((p) => p.stepMinutes, (p, m) => ({ ...p, stepMinutes: m })),
  ...vipSettings,
  // ---- The general manager's hotline (seed 002; issue 14) ----
  "hotline.measures": duration((p) => p.hotlineMeasuresMinutes, (p, m) => ({ ...p, hotlineMeasuresMinutes: m })),
  "hotline.callback": duration((p) => p.hotlineFirstCallbackMinutes, (p, m) => ({ ...p, hotlineFirstCallbackMinutes: m })),
  "hotline.feedback": duration((p) => p.hotlineFeedbackMinutes, (p, m) => ({ ...p, hotlineFeedbackMinutes: m })),
  "hotline.written": duration((p) => p.hotlineWrittenReportMinutes, (p, m) => ({ ...p, hotlineWrittenReportMinutes: m })),
  "hotline.stage": duration((p) => p.hotlineStageMinutes, (p, m) => ({ ...p, hotlineStageMinutes: m })),
} satisfies Record<string, Setting>;

/** The keys an admin sets; each has a locale key `sla.setting.<key>` saying what it means. */
export type SlaSettingKey = keyof typeof SETTINGS;
export const SLA_SETTING_KEYS = Object.keys(SETTINGS) as SlaSettingKey[];

const isSettingKey = (key: string): key is SlaSettingKey => Object.hasOwn(SETTINGS, key);

/** A property's overrides as stored: setting key → its value in the admin's notation. */
export type SlaOverrides = Readonly<Partial<Record<SlaSettingKey, string>>>;

export type SlaErrorCode = "unknown_key" | "bad_value" | "bad_assignment";

/** Each code is a locale key `sla.error.<code>`. */
export interface SlaSettingError {
  readonly code: SlaErrorCode;
  readonly key: string;
  readonly text: Text;
}

export type PolicyResult = { readonly ok: true; readonly policy: SlaPolicy } | { readonly ok: false; readonly errors: readonly SlaSettingError[] };

function unknownKey(key: string): SlaSettingError {
  return { code: "unknown_key", key, text: t("sla.error.unknown_key", { key, keys: SLA_SETTING_KEYS.join(", ") }) };
}

function badValue(key: SlaSettingKey, value: string): SlaSettingError {
  return { code: "bad_value", key, text: t("sla.error.bad_value", { key, value, hint: t(`sla.hint.${SETTINGS[key].value}` as MessageKey) }) };
}

/** The policy with the overrides applied over `base`; every bad key or value is reported. */
export function applyOverrides(overrides: Readonly<Record<string, string | undefined>>, base: SlaPolicy = DEFAULT_SLA_POLICY): PolicyResult {
  const errors: SlaSettingError[] = [];
  let policy = base;
  for (const [stored, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const key = LEGACY_KEYS[stored] ?? stored;
    if (!isSettingKey(key)) {
      errors.push(unknownKey(key));
      continue;
    }
    const change = SETTINGS[key].parse(value.trim());
    if (change) policy = change(policy);
    else errors.push(badValue(key, value));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policy };
}

export type ChangeResult =
  | { readonly ok: true; readonly overrides: SlaOverrides; readonly policy: SlaPolicy }
  | { readonly ok: false; readonly errors: readonly SlaSettingError[] };

/**
 * An admin's `key=value ...` over the current overrides: a value replaces the override (stored
 * in its canonical notation, "90m" as "1h30m"), `key=default` removes it. All or nothing.
 */
export function changeOverrides(current: SlaOverrides, assignments: readonly string[]): ChangeResult {
  const next: Partial<Record<SlaSettingKey, string>> = { ...current };
  const errors: SlaSettingError[] = [];
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    if (eq <= 0) {
      errors.push({ code: "bad_assignment", key: assignment, text: t("sla.error.bad_assignment", { value: assignment }) });
      continue;
    }
    const typed = assignment.slice(0, eq).trim().toLowerCase();
    const key = LEGACY_KEYS[typed] ?? typed;
    const value = assignment.slice(eq + 1).trim();
    if (!isSettingKey(key)) errors.push(unknownKey(key));
    else if (value.toLowerCase() === "default") delete next[key];
    else {
      const change = SETTINGS[key].parse(value);
      if (change) next[key] = SETTINGS[key].show(change(DEFAULT_SLA_POLICY));
      else errors.push(badValue(key, value));
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const applied = applyOverrides(next);
  return applied.ok ? { ok: true, overrides: next, policy: applied.policy } : applied;
}

/** Every setting with its value in `policy`, in the admin's notation. */
export function policySettings(policy: SlaPolicy): { key: SlaSettingKey; value: string }[] {
  return SLA_SETTING_KEYS.map((key) => ({ key, value: SETTINGS[key].show(policy) }));
}

/** "30m", "2h", "1h30m", "7d", or plain minutes ("90"). Null for anything else, zero, or over 60 days. */
export function parseDuration(text: string): number | null {
  const s = text.trim().toLowerCase();
  let minutes: number;
  if (/^\d+$/.test(s)) minutes = Number(s);
  else {
    const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(s);
    if (!m || s === "") return null;
    minutes = Number(m[1] ?? 0) * DAY + Number(m[2] ?? 0) * HOUR + Number(m[3] ?? 0);
  }
  return minutes > 0 && minutes <= MAX_MINUTES ? minutes : null;
}

/** Whole days from two up ("7d"); below that hours, as the seeds say "24 小时". */
export function durationText(minutes: number): string {
  const d = minutes % DAY === 0 && minutes >= 2 * DAY ? minutes / DAY : 0;
  const rest = minutes - d * DAY;
  const h = Math.floor(rest / HOUR);
  const m = rest % HOUR;
  return `${d ? `${d}d` : ""}${h ? `${h}h` : ""}${m ? `${m}m` : ""}` || "0m";
}

/** "08:30-18:00"; closing may be 24:00; opening must come first. */
function parseHours(text: string): { open: number; close: number } | null {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [oh, om, ch, cm] = m.slice(1).map(Number) as [number, number, number, number];
  if (om > 59 || cm > 59) return null;
  const open = oh * HOUR + om;
  const close = ch * HOUR + cm;
  return open < close && close <= DAY ? { open, close } : null;
}

/** ISO weekdays, "1-7", "1-5", "1,3,5" or "1-5,7" (1 = Monday). */
function parseDays(text: string): IsoWeekday[] | null {
  const days = new Set<IsoWeekday>();
  for (const part of text.split(",").map((s) => s.trim())) {
    const m = /^([1-7])(?:-([1-7]))?$/.exec(part);
    if (!m) return null;
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (to < from) return null;
    for (let d = from; d <= to; d++) days.add(d as IsoWeekday);
  }
  return [...days].sort();
}

function daysText(days: readonly IsoWeekday[]): string {
  const runs: string[] = [];
  const sorted = [...days].sort();
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return runs.join(",");
}
