/**
 * How an owner wants to be addressed (五清楚's 问清楚: who), and the masked form of a name for
 * anywhere neighbours may read.
 */
import type { PersonRecord } from "./store.js";
import { normalizeInput } from "../util/input.js";

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

/** How staff and reports name a person: the name they gave, else the platform's display name. */
export const nameOf = (p: PersonRecord | null): string => p?.name ?? p?.displayName ?? "?";
