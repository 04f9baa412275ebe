/**
 * Parsing what an owner types when the bot asks for it (五清楚's 问清楚: name, room, phone —
 * domain.md "Five clears and one report"; seed 002 §4.2 lists the same fields for a hotline
 * record). Owners type on phone keyboards, often in full-width mode, so every parser starts from
 * `normalizeInput`. Nothing here throws: a bad answer is a normal conversational event, and the
 * caller turns the `reason` into a re-ask.
 */

/** Full-width ASCII block (！ to ～) sits exactly 0xFEE0 above its half-width twin. */
const FULLWIDTH_FIRST = 0xff01;
const FULLWIDTH_LAST = 0xff5e;
const FULLWIDTH_OFFSET = 0xfee0;

function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0x3000) return " ";
    return code >= FULLWIDTH_FIRST && code <= FULLWIDTH_LAST
      ? String.fromCharCode(code - FULLWIDTH_OFFSET)
      : ch;
  });
}

/**
 * ＡＢＣ１２３－ → ABC123-, ideographic space → space, trimmed, whitespace runs → one space.
 * Chinese punctuation outside the full-width ASCII block (。、「」) is left alone: it carries
 * meaning (sentence breaks) for the classifier.
 */
export function normalizeInput(text: string): string {
  if (typeof text !== "string") return "";
  return toHalfWidth(text).replace(/\s+/g, " ").trim();
}

/** Keycap emoji (1️⃣, #️⃣) are a digit plus combining marks; they are pictures, not words. */
const KEYCAP = /[0-9#*]\uFE0F?\u20E3/g;

/** At least one letter (any script, CJK included) or digit; emoji and punctuation alone are not words. */
export function hasWords(text: string): boolean {
  if (typeof text !== "string") return false;
  return /[\p{L}\p{N}]/u.test(text.replace(KEYCAP, ""));
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Whether to answer in English when the platform gives no language hint. Deliberately strict
 * (default locale is zh-CN): no CJK at all, at least two Latin words (one of 2+ letters), Latin
 * letters make up ≥ 80% of all letters and outnumber digits. So "ok", "3-1201", "Bldg 5, #301"
 * are not English, while "Room 3-1201 please" is.
 */
export function looksEnglish(text: string): boolean {
  const s = normalizeInput(text);
  if (!s || CJK.test(s)) return false;
  const words = s.match(/[A-Za-z]+(?:'[A-Za-z]+)?/g) ?? [];
  if (words.length < 2 || !words.some((w) => w.length >= 2)) return false;
  const latin = (s.match(/[A-Za-z]/g) ?? []).length;
  const letters = (s.match(/\p{L}/gu) ?? []).length;
  const digits = (s.match(/\p{N}/gu) ?? []).length;
  return latin >= 0.8 * letters && latin > digits;
}

// ---------------------------------------------------------------------------------------------
// Room numbers

export type RoomResult =
  | { ok: true; label: string; zoneCode: string | null }
  | { ok: false; reason: "empty" | "format" };

/**
 * The canonical room label, for docs and prompts. A leading letter is always the zone (seed 001:
 * 虹港家园 is split into A区 and B区), so the label is unambiguous: 4 parts = zone-building-unit-
 * room, 3 parts starting with a letter = zone-building-room, 3 numeric parts = building-unit-room.
 */
export const ROOM_LABEL_FORMAT =
  "[zone letter-]building[-unit]-room, e.g. A-5-2-301, B-12-0803, 3-2-1201, 3-1201";

/** Longer than this is a sentence, not a room number. */
export const MAX_ROOM_INPUT_CHARS = 40;

const BUILDING = "([1-9]\\d{0,2})"; // no leading zero: "021-..." is an area code, not a building
const UNIT = "([1-9]\\d?)";
const ROOM_SUFFIX = "(?:室|号|房)";
/**
 * Rooms have 3–5 digits in every form (floor + door, 301 / 1201 / 0803): shorter numbers are
 * dates ("3-12") or villa numbers we cannot tell apart, and one rule for all forms means every
 * label parses back to itself.
 */
const ROOM = "(\\d{3,5})";

/** A区5栋2单元301室, 5号楼2单元301, 12幢1单元502, 5栋301, A5栋301. */
const CHINESE_ROOM = new RegExp(
  `^(?:([A-Z])区?-?)?${BUILDING}(?:号楼|栋|幢|座|号)-?(?:${UNIT}单元-?)?${ROOM}${ROOM_SUFFIX}?$`,
);

/**
 * 3-1201, 3-2-1201, B-12-0803, A5-2-301, A区3-1201. A unit cannot start with 0, so "B-12-0803"
 * reads as building 12 room 0803, not unit 08.
 */
const DASHED_ROOM = new RegExp(
  `^(?:([A-Z])区?-?)?${BUILDING}(?:-${UNIT})?-${ROOM}${ROOM_SUFFIX}?$`,
);

/** Building 5 Unit 2 Room 301, Bldg 5, #301, Zone A Block 3 Flat 1201, Building 5 Unit 301. */
const ENGLISH_ROOM = new RegExp(
  "^(?:(?:zone|area|district|section)\\s*([a-z])\\s*,?\\s*)?" +
    "(?:building|bldg\\.?|block|blk\\.?|tower)\\s*(?:no\\.?\\s*|#\\s*)?([1-9]\\d{0,2})\\s*,?\\s*" +
    "(?:(?:unit|entrance)\\s*(?:no\\.?\\s*|#\\s*)?([1-9]\\d?)\\s*,?\\s*)?" +
    `(?:room|rm\\.?|apt\\.?|apartment|flat|unit|no\\.?|#)\\s*#?\\s*${ROOM}$`,
  "i",
);

function roomLabel(
  zone: string | undefined,
  building: string,
  unit: string | undefined,
  room: string,
): RoomResult {
  const zoneCode = zone ? zone.toUpperCase() : null;
  const parts = [zoneCode, building, unit, room].filter((p): p is string => !!p);
  return { ok: true, label: parts.join("-"), zoneCode };
}

/**
 * An owner's room number in any of the shapes they type, to the canonical label. Room digits are
 * kept as written (0803 stays 0803). Bare numbers ("12", "1201"), phone numbers and anything
 * without a building are rejected: a room without a building cannot be routed to a zone
 * specialist (domain.md "People": each 管家 owns one zone). Letter-named buildings ("A栋301")
 * are not supported, because a leading letter already means the zone.
 */
export function parseRoom(text: string): RoomResult {
  const s = normalizeInput(text);
  if (!s) return { ok: false, reason: "empty" };
  if (Array.from(s).length > MAX_ROOM_INPUT_CHARS) return { ok: false, reason: "format" };

  const en = ENGLISH_ROOM.exec(s);
  if (en) return roomLabel(en[1], en[2]!, en[3], en[4]!);

  // "3 1201" is a building and a room typed with a space; other spaces are noise.
  const compact = s
    .replace(/(\d)\s+(?=\d)/g, "$1-")
    .replace(/\s+/g, "")
    .replace(/[#_/—–−~]/g, "-")
    .replace(/-{2,}/g, "-")
    .toUpperCase();

  const zh = CHINESE_ROOM.exec(compact);
  if (zh) return roomLabel(zh[1], zh[2]!, zh[3], zh[4]!);

  const dashed = DASHED_ROOM.exec(compact);
  if (dashed) return roomLabel(dashed[1], dashed[2]!, dashed[3], dashed[4]!);

  return { ok: false, reason: "format" };
}

// ---------------------------------------------------------------------------------------------
// Phone numbers

export type PhoneResult = { ok: true; phone: string } | { ok: false; reason: "empty" | "format" };

/** Owners often answer "手机:138..." or "tel 138..."; the label is not part of the number. */
const PHONE_LABEL = /^(?:联系电话|联系方式|手机号码|手机号|手机|电话|tel|phone|mobile)[:\s]*/i;

/** 010 and 02x have 3-digit area codes; every other mainland area code has 4 digits. */
function formatLandline(national: string): string | null {
  const m = /^(0[12]\d|0[3-9]\d{2})(\d{7,8})$/.exec(national);
  return m ? `${m[1]}-${m[2]}` : null;
}

/** A mainland number without country code: mobile 1[3-9]xxxxxxxxx or a landline with area code. */
function parseMainland(digits: string, hasCountryCode: boolean): string | null {
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  // After +86 the trunk 0 is dropped ("+86 21 1234 5678"); put it back.
  return formatLandline(hasCountryCode && !digits.startsWith("0") ? `0${digits}` : digits);
}

/**
 * Mobile → "13812345678"; landline → "021-12345678" / "0755-88886666"; other countries →
 * "+447911123456" (E.164-like, 7–15 digits). Service numbers (400/95xxx), short numbers and
 * anything with letters are rejected: the specialist must be able to call the owner back.
 */
export function parsePhone(text: string): PhoneResult {
  const s = normalizeInput(text).replace(PHONE_LABEL, "");
  if (!s) return { ok: false, reason: "empty" };
  if (!/^[+\d\s\-().]+$/.test(s)) return { ok: false, reason: "format" };
  const plusCount = (s.match(/\+/g) ?? []).length;
  const hasPlus = /^\(?\+/.test(s);
  if (plusCount > 1 || (plusCount === 1 && !hasPlus)) return { ok: false, reason: "format" };

  const digits = s.replace(/\D/g, "");
  let international: string | null = null;
  if (hasPlus) international = digits;
  else if (digits.startsWith("00")) international = digits.slice(2);

  let phone: string | null;
  if (international !== null) {
    if (international.startsWith("86")) phone = parseMainland(international.slice(2), true);
    else phone = /^[1-9]\d{6,14}$/.test(international) ? `+${international}` : null;
  } else if (/^861[3-9]\d{9}$/.test(digits)) {
    phone = digits.slice(2); // "86138..." typed without the plus
  } else {
    phone = parseMainland(digits, false);
  }
  return phone ? { ok: true, phone } : { ok: false, reason: "format" };
}

/**
 * For showing a number in staff groups and receipts without exposing it (seed 002 §4.8: hotline
 * files are confidential). Mobile: 138****5678. Others keep the first 3 and the last 2–4
 * characters (4 from 11 characters up); separators such as "-" stay visible. Strings of 5 or
 * fewer characters keep only their first character.
 */
export function maskPhone(phone: string): string {
  if (typeof phone !== "string") return "";
  const cps = Array.from(phone);
  const n = cps.length;
  if (n === 0) return "";
  const keepEnd = n <= 5 ? 0 : Math.min(4, Math.max(2, n - 7));
  const keepStart = n <= 5 ? 1 : 3;
  return cps
    .map((ch, i) => (i < keepStart || i >= n - keepEnd || !/[\p{L}\p{N}]/u.test(ch) ? ch : "*"))
    .join("");
}

// ---------------------------------------------------------------------------------------------
// Names

export type NameResult =
  | { ok: true; name: string }
  | { ok: false; reason: "empty" | "format" | "too_long" };

export const MAX_NAME_CHARS = 20;

/** Letters, combining marks, digits (checked below), spaces and the punctuation names use. */
const NAME_CHARS = /^[\p{L}\p{M}\p{N} .·・•'’-]+$/u;
const URL_LIKE =
  /(?:https?:|www\.)|\.(?:com|cn|net|org|io|me|co|info|top|xyz|vip|cc|tv|app|dev)(?:\b|$)/i;

/**
 * How the owner wants to be addressed: "王先生", "李女士", "张三", "Mr. Smith", "O'Brien",
 * "阿卜杜拉·买买提". Digits are tolerated only in small numbers (at most 2, and fewer than half
 * the letters) so that a phone or room typed into the name prompt is caught.
 */
export function parseName(text: string): NameResult {
  const s = normalizeInput(text);
  if (!s) return { ok: false, reason: "empty" };
  if (Array.from(s).length > MAX_NAME_CHARS) return { ok: false, reason: "too_long" };
  if (URL_LIKE.test(s) || !NAME_CHARS.test(s)) return { ok: false, reason: "format" };
  const letters = (s.match(/\p{L}/gu) ?? []).length;
  const digits = (s.match(/\p{N}/gu) ?? []).length;
  if (letters === 0 || digits > 2 || digits * 2 >= letters) return { ok: false, reason: "format" };
  return { ok: true, name: s };
}

// ---------------------------------------------------------------------------------------------

/**
 * Cut to at most `max` code points including the "…", never inside a surrogate pair. Grapheme
 * clusters (ZWJ emoji families, flags) may still be split between their code points.
 */
export function truncate(text: string, max: number): string {
  if (typeof text !== "string") return "";
  if (max === Infinity) return text;
  const limit = Number.isFinite(max) ? Math.max(0, Math.floor(max)) : 0;
  let count = 0;
  let index = 0;
  let cut = 0; // UTF-16 index just after the first (limit - 1) code points
  for (const ch of text) {
    if (count === limit - 1) cut = index;
    count++;
    index += ch.length;
    if (count > limit) return limit === 0 ? "" : `${text.slice(0, cut)}…`;
  }
  return text;
}

/** "王先生" → "王**", "John Smith" → "J*** S****": enough for neighbours not to learn who. */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") return "**";
  if (/^[\p{Script=Han}·]+$/u.test(trimmed)) {
    const [first, ...rest] = [...trimmed];
    return first + "*".repeat(Math.max(2, rest.length));
  }
  return trimmed
    .split(/\s+/)
    .map((w) => {
      const [first, ...rest] = [...w];
      return (first ?? "") + "*".repeat(rest.length);
    })
    .join(" ");
}
