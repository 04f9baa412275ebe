/**
 * What every parser of a person's typing starts from. Owners type on phone keyboards, often in
 * full-width mode, with emoji; these helpers make such text comparable and safe to show.
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
  return toHalfWidth(withoutInvisibles(text)).replace(/\s+/g, " ").trim();
}

/**
 * Characters that show as nothing but make "3-1201" and "3-12\u200B01" different strings: zero-width
 * space and non-joiner, word joiner, BOM, and the bidi marks and controls an RTL keyboard or a
 * paste from a web page leaves behind. A zero-width joiner is kept only where it glues an emoji
 * sequence (👨‍👩‍👧), so a description's pictures survive.
 */
const INVISIBLE = /[\u200B\u200C\u2060\uFEFF\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;
const EMOJI_BEFORE = /\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;

function withoutInvisibles(text: string): string {
  return text
    .replace(INVISIBLE, "")
    .replace(/\u200D/g, (zwj, at: number, all: string) =>
      EMOJI_BEFORE.test(all.slice(Math.max(0, at - 3), at)) && EMOJI_AFTER.test(all.slice(at + 1, at + 3)) ? zwj : "",
    );
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
