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
  /** 回访: wall-clock minutes from resolution to the callback (seed 002 §4.6.1: within 24 hours). */
  readonly callbackMinutes: number;
  /** Callback reminders list a resolved ticket once this long has passed (the owner may rate first). */
  readonly callbackRemindAfterMinutes: number;
  /** A complaint not solved this long after filing goes up in writing (seed 002 §4.3.3: 7 days). */
  readonly complaintEscalateMinutes: number;
  /** Between the levels of the overdue ladder (assignee, staff group, one level up). */
  readonly stepMinutes: number;
  // ---- The general manager's hotline (总经理热线, seed 002; issue 14) ----
  /** §4.4: business minutes for the property head to set the measures and name the responsible department head ("立即"). */
  readonly hotlineMeasuresMinutes: number;
  /** §4.6.1: wall-clock minutes from the case file to the department head's first callback. */
  readonly hotlineFirstCallbackMinutes: number;
  /** §4.5.1: wall-clock minutes from the case file to the 处理回访表 returned to the quality office. */
  readonly hotlineFeedbackMinutes: number;
  /** §4.3.3: a case without measures, or unsolved, this long after the case file goes up in writing. */
  readonly hotlineWrittenReportMinutes: number;
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
  callbackMinutes: DAY,
  callbackRemindAfterMinutes: 4 * HOUR,
  complaintEscalateMinutes: 7 * DAY,
  stepMinutes: 30,
  // ---- The general manager's hotline (seed 002; issue 14) ----
  hotlineMeasuresMinutes: 2 * HOUR,
  hotlineFirstCallbackMinutes: DAY,
  hotlineFeedbackMinutes: DAY,
  hotlineWrittenReportMinutes: 7 * DAY,
};

/** What kind of value a setting takes; each is a locale key `sla.hint.<kind>` for its error. */
export type SettingValueKind = "duration" | "hours" | "days" | "timezone";

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
  callback: duration((p) => p.callbackMinutes, (p, m) => ({ ...p, callbackMinutes: m })),
  "callback.remind": duration((p) => p.callbackRemindAfterMinutes, (p, m) => ({ ...p, callbackRemindAfterMinutes: m })),
  escalate: duration((p) => p.complaintEscalateMinutes, (p, m) => ({ ...p, complaintEscalateMinutes: m })),
  step: duration((p) => p.stepMinutes, (p, m) => ({ ...p, stepMinutes: m })),
  // ---- The general manager's hotline (seed 002; issue 14) ----
  "hotline.measures": duration((p) => p.hotlineMeasuresMinutes, (p, m) => ({ ...p, hotlineMeasuresMinutes: m })),
  "hotline.callback": duration((p) => p.hotlineFirstCallbackMinutes, (p, m) => ({ ...p, hotlineFirstCallbackMinutes: m })),
  "hotline.feedback": duration((p) => p.hotlineFeedbackMinutes, (p, m) => ({ ...p, hotlineFeedbackMinutes: m })),
  "hotline.written": duration((p) => p.hotlineWrittenReportMinutes, (p, m) => ({ ...p, hotlineWrittenReportMinutes: m })),
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
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
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
    const key = assignment.slice(0, eq).trim().toLowerCase();
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
