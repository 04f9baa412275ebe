/**
 * Phone numbers as owners type them (五清楚's 问清楚: how to reach them; seed 002 §4.2 lists the
 * phone in a hotline record), and their masked form for anywhere others may read.
 */
import { normalizeInput } from "../util/input.js";

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

/** Digits as typed, full-width ones included; separators owners put inside a number, zero-width characters included. */
const DIGIT = "[0-9\\uFF10-\\uFF19]";
const SEP = "[\\s\\-\\u200B-\\u200D\\u2060\\uFEFF]?";
const MORE = (n: number) => `(?:${SEP}${DIGIT}){${n}}`;
/** 138 1234 5678, +86 138-1234-5678, 008613812345678. */
const MOBILE_IN_TEXT = `(?:(?:\\+|00)?86${SEP})?[1\\uFF11]${SEP}[3-9\\uFF13-\\uFF19]${MORE(9)}`;
/** 021-12345678, (0755) 8888 6666, +86 21 1234 5678 (the trunk 0 dropped after +86). */
const LANDLINE_IN_TEXT = `(?:(?:\\+|00)86${SEP}\\(?0?|\\(?0)${DIGIT}{2,3}\\)?${SEP}${DIGIT}{3,4}${SEP}${DIGIT}{4}`;
const PHONE_IN_TEXT = new RegExp(`(?<![0-9\\uFF10-\\uFF19+])(?:${MOBILE_IN_TEXT}|${LANDLINE_IN_TEXT})(?![0-9\\uFF10-\\uFF19])`, "gu");

/**
 * The phone numbers an owner typed into free text (a description, added information), masked as
 * the phone field is, wherever that field is masked (cards, reports, the digest). Room numbers
 * ("3-1201"), dates and 8-digit numbers without an area code are left alone.
 */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_IN_TEXT, (found) => maskPhone(found));
}
