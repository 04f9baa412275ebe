/**
 * The lexicon as data: the shape of lexicon.json (its guide is lexicon.md beside it) and
 * `parseLexicon`, which turns such a document into the tables the classifier reads or says, entry
 * by entry, what is wrong with it. Pure: a property company's own file is read by the caller
 * and handed in, so a typo in it is reported, not thrown at an owner mid-conversation.
 */
import { z } from "zod";
import type { Category, NamedMajorReason, TicketKind } from "../ticket/kinds.js";
import { CATEGORIES, NAMED_MAJOR_REASONS, TICKET_KINDS } from "../ticket/kinds.js";
import { normalizeForClassify } from "./normalize.js";

export type Weights = Readonly<Record<string, number>>;

/** Two-part major reason: a word from `a` and one from `b` close together ("被困" near "电梯"). */
export interface MajorPair {
  readonly reason: NamedMajorReason;
  readonly a: readonly string[];
  readonly b: readonly string[];
}

export interface MajorHint {
  readonly kind: TicketKind;
  readonly category: Category | null;
}

/** The validated tables; see lexicon.md for what each one does. */
export interface Lexicon {
  readonly kindTerms: { readonly [K in TicketKind]: Weights };
  readonly kindStopTerms: readonly string[];
  readonly categoryTerms: { readonly [C in Category]: Weights };
  readonly categoryStopTerms: readonly string[];
  readonly majorTerms: { readonly [R in NamedMajorReason]: readonly string[] };
  readonly majorPairs: readonly MajorPair[];
  readonly majorStopTerms: readonly string[];
  /** Words that place the matter in the past (上次, last week): see keywords.ts, "retrospective". */
  readonly pastTerms: readonly string[];
  readonly repeatedPatterns: readonly RegExp[];
  /**
   * Phrasing families a term list cannot enumerate ("X楼和Y楼之间", "forty of us owners"): a
   * match adds the reason, unnegated, like repeatedPatterns. Compiled once, with the lexicon.
   */
  readonly majorPatterns: readonly { readonly reason: NamedMajorReason; readonly re: RegExp }[];
  readonly majorHints: { readonly [R in NamedMajorReason]: MajorHint };
  readonly kindPriority: readonly TicketKind[];
  readonly categoryPriority: readonly Category[];
  readonly categoryDefaultKind: { readonly [C in Category]: TicketKind };
  readonly negatorsZh: Readonly<Record<string, number>>;
  readonly nonNegatingZh: readonly string[];
  readonly negatorsEn: readonly string[];
  /** Global (`g`): the classifier walks all its matches. */
  readonly clauseBreak: RegExp;
}

export type LexiconResult =
  | { readonly ok: true; readonly lexicon: Lexicon }
  | { readonly ok: false; readonly errors: readonly string[] };

const Kind = z.enum(TICKET_KINDS);
const CategoryKey = z.enum(CATEGORIES);
const Reason = z.enum(NAMED_MAJOR_REASONS);
const Weight = z.number().positive().max(10);
const WeightsSchema = z.record(z.string(), Weight);
const Terms = z.array(z.string());

const Document = z.strictObject({
  $guide: z.string().optional(),
  kinds: z.record(Kind, WeightsSchema),
  kindStopTerms: Terms,
  categories: z.record(CategoryKey, WeightsSchema),
  categoryStopTerms: Terms,
  majorTerms: z.record(Reason, Terms),
  majorPairs: z.array(z.strictObject({ reason: Reason, a: Terms.min(1), b: Terms.min(1) })),
  majorStopTerms: Terms,
  pastTerms: Terms,
  repeatedPatterns: z.array(z.string()),
  majorPatterns: z.partialRecord(Reason, z.array(z.string())).optional(),
  majorHints: z.record(Reason, z.strictObject({ kind: Kind, category: CategoryKey.nullable() })),
  kindPriority: z.array(Kind),
  categoryPriority: z.array(CategoryKey),
  categoryDefaultKind: z.record(CategoryKey, Kind),
  negation: z.strictObject({
    zh: z.record(z.string(), z.number().int().min(0).max(10)),
    nonNegatingZh: Terms,
    en: Terms,
    clauseBreak: z.string(),
  }),
});
type Document = z.infer<typeof Document>;

const IDENTIFIER = /^[A-Za-z$][\w$]*$/;

/** `kinds.complaint."投诉"`: the entry an error is about, as an editor would look for it. */
function where(path: readonly PropertyKey[]): string {
  const parts = path.map((p, i) => {
    if (typeof p === "number") return `[${p}]`;
    const key = String(p);
    return (i > 0 ? "." : "") + (IDENTIFIER.test(key) ? key : JSON.stringify(key));
  });
  return parts.join("") || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `${where(issue.path)}: unknown ${issue.keys.length > 1 ? "keys" : "key"} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
  }
  if (issue.code === "invalid_value") {
    return `${where(issue.path)}: ${issue.message} (allowed: ${issue.values.map(String).join(", ")})`;
  }
  return `${where(issue.path)}: ${issue.message}`;
}

/** Why a term cannot be matched as written, or null. */
function termProblem(term: string): string | null {
  if (term.trim() === "") return "is empty";
  const normal = normalizeForClassify(term);
  if (normal !== term) return `is not in normal form (lower case, half-width, single spaces): write ${JSON.stringify(normal)}`;
  if (term.slice(0, -1).includes("*")) return `has "*" before its end ("*" only marks a stem, at the end)`;
  if (term.endsWith("*") && !/[a-z]\*$/.test(term)) return `ends in "*" after a non-Latin character (only Latin words have stems)`;
  return null;
}

function compile(source: string, flags: string, at: string, errors: string[]): RegExp | null {
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    errors.push(`${at}: not a valid regular expression (${e instanceof Error ? e.message : String(e)})`);
    return null;
  }
  // A pattern that matches nothing in particular would match every message.
  if (new RegExp(source, flags.replace("g", "")).test("")) {
    errors.push(`${at}: matches an empty text, so it would match every message`);
    return null;
  }
  return re;
}

function checkTerms(doc: Document, errors: string[]): void {
  const check = (path: readonly PropertyKey[], term: string): void => {
    const problem = termProblem(term);
    if (problem) errors.push(`${where([...path, term])}: ${problem}`);
  };
  const lists: [readonly PropertyKey[], readonly string[]][] = [
    ...TICKET_KINDS.map((k): [PropertyKey[], string[]] => [["kinds", k], Object.keys(doc.kinds[k])]),
    ...CATEGORIES.map((c): [PropertyKey[], string[]] => [["categories", c], Object.keys(doc.categories[c])]),
    ...NAMED_MAJOR_REASONS.map((r): [PropertyKey[], string[]] => [["majorTerms", r], doc.majorTerms[r]]),
    ...doc.majorPairs.flatMap((p, i): [PropertyKey[], string[]][] => [
      [["majorPairs", i, "a"], p.a],
      [["majorPairs", i, "b"], p.b],
    ]),
    [["kindStopTerms"], doc.kindStopTerms],
    [["categoryStopTerms"], doc.categoryStopTerms],
    [["majorStopTerms"], doc.majorStopTerms],
    [["pastTerms"], doc.pastTerms],
    [["negation", "zh"], Object.keys(doc.negation.zh)],
    [["negation", "nonNegatingZh"], doc.negation.nonNegatingZh],
    [["negation", "en"], doc.negation.en],
  ];
  for (const [path, terms] of lists) for (const t of terms) check(path, t);
}

function checkPriority<K extends string>(name: string, got: readonly K[], all: readonly K[], errors: string[]): void {
  const missing = all.filter((k) => !got.includes(k));
  const twice = got.filter((k, i) => got.indexOf(k) !== i);
  if (missing.length) errors.push(`${name}: missing ${missing.join(", ")} (list every one exactly once)`);
  if (twice.length) errors.push(`${name}: lists ${twice.join(", ")} more than once`);
}

export function parseLexicon(json: unknown): LexiconResult {
  const parsed = Document.safeParse(json);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map(describeIssue) };
  const doc = parsed.data;
  const errors: string[] = [];
  checkTerms(doc, errors);
  checkPriority("kindPriority", doc.kindPriority, TICKET_KINDS, errors);
  checkPriority("categoryPriority", doc.categoryPriority, CATEGORIES, errors);
  for (const r of NAMED_MAJOR_REASONS) {
    const words = doc.majorTerms[r].length + doc.majorPairs.filter((p) => p.reason === r).length;
    const patterns = (doc.majorPatterns?.[r]?.length ?? 0) + (r === "repeated" ? doc.repeatedPatterns.length : 0);
    if (words === 0 && patterns === 0) {
      errors.push(`majorTerms.${r}: no term or pair recognises this reason`);
    }
  }
  // No `g` on the patterns: `.test` must not carry lastIndex from one message to the next.
  const repeatedPatterns = doc.repeatedPatterns.map((p, i) => compile(p, "", `repeatedPatterns[${i}]`, errors));
  const majorPatterns = NAMED_MAJOR_REASONS.flatMap((reason) =>
    (doc.majorPatterns?.[reason] ?? []).map((p, i) => ({ reason, re: compile(p, "", `majorPatterns.${reason}[${i}]`, errors) })),
  ).filter((p): p is { reason: NamedMajorReason; re: RegExp } => p.re !== null);
  const clauseBreak = compile(doc.negation.clauseBreak, "g", "negation.clauseBreak", errors);
  if (errors.length > 0 || !clauseBreak) return { ok: false, errors };
  return {
    ok: true,
    lexicon: {
      kindTerms: doc.kinds,
      kindStopTerms: doc.kindStopTerms,
      categoryTerms: doc.categories,
      categoryStopTerms: doc.categoryStopTerms,
      majorTerms: doc.majorTerms,
      majorPairs: doc.majorPairs,
      majorStopTerms: doc.majorStopTerms,
      pastTerms: doc.pastTerms,
      repeatedPatterns: repeatedPatterns.filter((re): re is RegExp => re !== null),
      majorPatterns,
      majorHints: doc.majorHints,
      kindPriority: doc.kindPriority,
      categoryPriority: doc.categoryPriority,
      categoryDefaultKind: doc.categoryDefaultKind,
      negatorsZh: doc.negation.zh,
      nonNegatingZh: doc.negation.nonNegatingZh,
      negatorsEn: doc.negation.en,
      clauseBreak,
    },
  };
}
