/**
 * First guess at what an owner's message is about, so the bot can ask the right follow-up
 * questions (五清楚's 问清楚) and report a major matter at once (一报告): domain.md "Five clears
 * and one report", seed 000 §2(2). It is a guess: the owner confirms the kind, and staff can
 * change it, so the classifier prefers being simple and predictable over being clever.
 *
 * How it decides (the tables are in ./lexicon.json, described in ./lexicon.md):
 * 1. Only the first MAX_CLASSIFY_CHARS characters are read; they are normalised (full-width →
 *    half-width, lower case) and scanned once per table with a trie, so the cost is linear in
 *    the text and independent of how far the owner goes on.
 * 2. Kind and category: sum the weights of the matched terms; the highest score wins, ties go to
 *    the earlier entry of KIND_PRIORITY / CATEGORY_PRIORITY. With no kind word but a topic, the
 *    topic's CATEGORY_DEFAULT_KIND applies; with nothing at all, inquiry/other and
 *    `matched: false`.
 * 3. Major reasons come from single terms (majorTerms), two terms close together (majorPairs:
 *    someone inside + a lift), and phrasing families a list cannot enumerate (majorPatterns:
 *    "X楼和Y楼之间", "三十多户"; repeatedPatterns: "第三次"). They add a hint (majorHints) of
 *    HINT_KIND_WEIGHT to a kind and HINT_CATEGORY_WEIGHT to a category, so "着火了" alone is
 *    still routed somewhere. A message that places the matter in the past, at second hand or as
 *    settled (pastTerms: 上次, 听说, 修好了, last week) and reads, by its words alone, as a
 *    question or a thank-you keeps no major reason: "上周的燃气泄漏查清楚原因了吗?" asks about an
 *    emergency that is over. A plain question with no grievance word keeps no threat reason
 *    (THREAT_REASONS): "所有业主都可以投票吗" asks, it does not organise anyone.
 * 4. Overrides, in order (seed 003 §6.5.3 — complaints are either service or repair-type):
 *    a. a thank-you (praise words ≥ THANKS_WEIGHT) about the past is praise, whatever trouble it
 *       recalls ("上次跳闸你们半夜来修,太感谢了");
 *    b. an explicit, un-negated complaint word (投诉, complain) makes it a complaint;
 *    c. a "repair" whose category is conduct or efficiency is a service complaint, and a repair
 *       or an inquiry with a grievance reason (a repeat, a threat, a collective action, an injury
 *       or an incident: the hint's kind is complaint) is a complaint about how it was handled;
 *    d. otherwise a complaint or inquiry with an emergency reason (flood, gas, fire, trapped
 *       lift) is a repair: it needs a crew first.
 * 5. Praise drops the major reasons: a thank-you mentions past trouble ("上次漏水处理得很及时"),
 *    and a thank-you must not page the director.
 * 6. `classify` then weighs a small learned model beside these tables (./learned.ts): it may add
 *    a major flag the lists missed and, when sure, set the kind; `classifyByKeywords` stops at 5.
 *
 * Negation is deliberately narrow: it is checked only for major-reason terms and explicit kind
 * words (weight ≥ EXPLICIT_WEIGHT), because for problem words a negation is usually the
 * problem itself ("没有热水", "no hot water"). A Chinese negator must sit within a few
 * characters before the term (NEGATORS_ZH), an English one within EN_NEGATION_WINDOW words, and
 * neither reaches across punctuation or "but/但是". Questions ("有没有人被困?") are not negations:
 * in doubt, a possible emergency stays major.
 */
import type { Category, MajorReason, NamedMajorReason, TicketKind } from "../ticket/kinds.js";
import { CATEGORIES, NAMED_MAJOR_REASONS, TICKET_KINDS } from "../ticket/kinds.js";
import { DEFAULT_LEXICON, type Lexicon } from "./lexicon.js";
import type { Classification, KeywordReading } from "./classification.js";
import { withLearnedModel } from "./learned.js";
import { normalizeForClassify } from "./normalize.js";

export { normalizeForClassify } from "./normalize.js";
export type { Classification, KeywordReading } from "./classification.js";

/**
 * Owners put the point of a message first; a long rant beyond this adds noise, not signal, and
 * bounding it keeps a 5,000-character paste as cheap as a short one.
 */
export const MAX_CLASSIFY_CHARS = 2000;

/** A kind word at or above this weight names the kind outright (投诉, 报修, 建议, 表扬). */
export const EXPLICIT_WEIGHT = 5;
const HINT_KIND_WEIGHT = 2;
/** Praise words summing to this are a thank-you, not a polite 谢谢 at the end of a report. */
const THANKS_WEIGHT = 3;
const HINT_CATEGORY_WEIGHT = 1;
/** Characters between the two halves of a MAJOR_PAIRS reason (start to start). */
const PAIR_WINDOW = 60;
/** How far back a negator is looked for; also bounds the work per match. */
const NEGATION_LOOKBACK = 40;
const EN_NEGATION_WINDOW = 3;
/** Reasons that are a threat or a group's action, not a physical danger: see `asking`. */
const THREAT_REASONS: readonly NamedMajorReason[] = ["collective", "media", "escalation"];
/** Reads as a question as a whole: ends like one, or opens one (请问, 有没有). "How" inside a threat does not. */
const QUESTION_FORM = /[?？吗呢]\s*$|请问|有没有|是否|想问|问一下|^(?:how|what|where|when|which|who|is|are|can|could|do|does)\b/;

// ---------------------------------------------------------------------------------------------
// Tries over the lexicon. Built once per lexicon from plain data; never mutated afterwards.

interface TrieNode<E> {
  readonly next: Map<string, TrieNode<E>>;
  terminal?: { effects: E[]; stem: boolean };
}

interface Match<E> {
  readonly start: number;
  readonly effects: readonly E[];
}

function newNode<E>(): TrieNode<E> {
  return { next: new Map() };
}

function addTerm<E>(root: TrieNode<E>, rawTerm: string, effect: E | null): void {
  const stem = rawTerm.endsWith("*");
  const term = stem ? rawTerm.slice(0, -1) : rawTerm;
  let node = root;
  // By UTF-16 unit, the same way scan() walks the text.
  for (let k = 0; k < term.length; k++) {
    const unit = term[k]!;
    let child = node.next.get(unit);
    if (!child) {
      child = newNode<E>();
      node.next.set(unit, child);
    }
    node = child;
  }
  node.terminal ??= { effects: [], stem: false };
  node.terminal.stem ||= stem;
  if (effect !== null) node.terminal.effects.push(effect);
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && ((ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9"));
}

/**
 * All matches, longest first at each position; a match lying inside an earlier one is dropped
 * (that is how "不干净" hides "干净", and how stop terms work). O(text × deepest term).
 */
function scan<E>(text: string, root: TrieNode<E>): Match<E>[] {
  const out: Match<E>[] = [];
  let covered = 0;
  for (let i = 0; i < text.length; i++) {
    // A term starting with a Latin letter or digit must start a word.
    if (isWordChar(text[i]) && isWordChar(text[i - 1])) continue;
    let node: TrieNode<E> | undefined = root;
    let best: { end: number; effects: readonly E[] } | null = null;
    for (let j = i; j < text.length; j++) {
      node = node.next.get(text[j]!);
      if (!node) break;
      const t = node.terminal;
      if (t && (t.stem || !isWordChar(text[j]) || !isWordChar(text[j + 1]))) {
        best = { end: j + 1, effects: t.effects };
      }
    }
    if (best && best.end > covered) {
      covered = best.end;
      if (best.effects.length > 0) out.push({ start: i, effects: best.effects });
    }
  }
  return out;
}

interface KindEffect {
  readonly kind: TicketKind;
  readonly weight: number;
}
interface CategoryEffect {
  readonly category: Category;
  readonly weight: number;
}
type MajorEffect =
  | { readonly reason: NamedMajorReason; readonly pair?: undefined }
  | { readonly reason: NamedMajorReason; readonly pair: number; readonly side: "a" | "b" };

/** A lexicon turned into tries, once per lexicon object. */
interface Compiled {
  readonly lexicon: Lexicon;
  readonly kinds: TrieNode<KindEffect>;
  readonly categories: TrieNode<CategoryEffect>;
  readonly major: TrieNode<MajorEffect>;
  readonly past: TrieNode<true>;
  readonly negatorsEn: ReadonlySet<string>;
  /** Longest first, so "没有" is tried before "没". */
  readonly negatorsZh: readonly (readonly [string, number])[];
}

function compile(lex: Lexicon): Compiled {
  const kinds = newNode<KindEffect>();
  for (const kind of TICKET_KINDS) {
    for (const [term, weight] of Object.entries(lex.kindTerms[kind])) addTerm(kinds, term, { kind, weight });
  }
  for (const term of lex.kindStopTerms) addTerm(kinds, term, null);

  const categories = newNode<CategoryEffect>();
  for (const category of CATEGORIES) {
    for (const [term, weight] of Object.entries(lex.categoryTerms[category])) {
      addTerm(categories, term, { category, weight });
    }
  }
  for (const term of lex.categoryStopTerms) addTerm(categories, term, null);

  const major = newNode<MajorEffect>();
  for (const reason of NAMED_MAJOR_REASONS) {
    for (const term of lex.majorTerms[reason]) addTerm(major, term, { reason });
  }
  lex.majorPairs.forEach((p, pair) => {
    for (const term of p.a) addTerm(major, term, { reason: p.reason, pair, side: "a" });
    for (const term of p.b) addTerm(major, term, { reason: p.reason, pair, side: "b" });
  });
  for (const term of lex.majorStopTerms) addTerm(major, term, null);

  const past = newNode<true>();
  for (const term of lex.pastTerms) addTerm(past, term, true);

  return {
    lexicon: lex,
    kinds,
    categories,
    major,
    past,
    negatorsEn: new Set(lex.negatorsEn),
    negatorsZh: Object.entries(lex.negatorsZh).sort((x, y) => y[0].length - x[0].length),
  };
}

/** Lexicons are immutable values; a company's own one is compiled on first use and kept while it lives. */
const compiled = new WeakMap<Lexicon, Compiled>();

function compiledOf(lex: Lexicon): Compiled {
  let c = compiled.get(lex);
  if (!c) {
    c = compile(lex);
    compiled.set(lex, c);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------

/** Whether the term starting at `start` is negated within its clause (see the header). */
function isNegated(c: Compiled, text: string, start: number): boolean {
  let before = text.slice(Math.max(0, start - NEGATION_LOOKBACK), start);
  let clauseStart = 0;
  for (const m of before.matchAll(c.lexicon.clauseBreak)) clauseStart = m.index + m[0].length;
  before = before.slice(clauseStart);
  for (const idiom of c.lexicon.nonNegatingZh) {
    if (before.includes(idiom)) before = before.split(idiom).join("□".repeat(idiom.length));
  }
  for (const [negator, gap] of c.negatorsZh) {
    const at = before.lastIndexOf(negator);
    if (at >= 0 && before.length - (at + negator.length) <= gap) return true;
  }
  const words = before.match(/[a-z']+/g) ?? [];
  return words.slice(-EN_NEGATION_WINDOW).some((w) => c.negatorsEn.has(w));
}

function argmax<K extends string>(scores: Map<K, number>, priority: readonly K[]): K | null {
  let best: K | null = null;
  let bestScore = 0;
  for (const key of priority) {
    const score = scores.get(key) ?? 0;
    if (score > bestScore) {
      best = key;
      bestScore = score;
    }
  }
  return best;
}

function add<K>(scores: Map<K, number>, key: K, weight: number): void {
  scores.set(key, (scores.get(key) ?? 0) + weight);
}

/** Whether some `a` and some `b` start within PAIR_WINDOW of each other (both lists ascending). */
function near(a: readonly number[], b: readonly number[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (Math.abs(x - y) <= PAIR_WINDOW) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}

function majorReasonsOf(c: Compiled, text: string): Set<NamedMajorReason> {
  const { majorPairs, repeatedPatterns, majorPatterns } = c.lexicon;
  const reasons = new Set<NamedMajorReason>();
  const sides = majorPairs.map(() => ({ a: [] as number[], b: [] as number[] }));
  for (const m of scan(text, c.major)) {
    if (isNegated(c, text, m.start)) continue;
    for (const e of m.effects) {
      if (e.pair === undefined) reasons.add(e.reason);
      else sides[e.pair]![e.side].push(m.start);
    }
  }
  majorPairs.forEach((p, i) => {
    const s = sides[i]!;
    if (near(s.a, s.b)) reasons.add(p.reason);
  });
  if (repeatedPatterns.some((re) => re.test(text))) reasons.add("repeated");
  for (const p of majorPatterns) if (!reasons.has(p.reason) && p.re.test(text)) reasons.add(p.reason);
  return reasons;
}

/** Only a prefix is read; never cut a surrogate pair in half. */
function head(text: string): string {
  if (text.length <= MAX_CLASSIFY_CHARS) return text;
  const cut = text.slice(0, MAX_CLASSIFY_CHARS);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * The intake's classifier: the keyword tables, then the learned model beside them (./learned.ts
 * says how the two are combined). `lexicon`: a company's own tables (from `parseLexicon`); the
 * bundled ones by default.
 */
export function classify(text: string, lexicon: Lexicon = DEFAULT_LEXICON): Classification {
  const t = normalizedHead(text);
  return withLearnedModel(byKeywords(t, lexicon), t);
}

/** The keyword tables alone: the baseline the learned model is measured against (eval/ngram/). */
export function classifyByKeywords(text: string, lexicon: Lexicon = DEFAULT_LEXICON): Classification {
  const { kindEvidence: _, ...c } = readKeywords(text, lexicon);
  return c;
}

export function readKeywords(text: string, lexicon: Lexicon = DEFAULT_LEXICON): KeywordReading {
  return byKeywords(normalizedHead(text), lexicon);
}

function normalizedHead(text: string): string {
  return normalizeForClassify(typeof text === "string" ? head(text) : "");
}

function byKeywords(t: string, lexicon: Lexicon): KeywordReading {
  const c = compiledOf(lexicon);

  const kindScores = new Map<TicketKind, number>();
  let explicitComplaint = false;
  let explicitKind = false;
  for (const m of scan(t, c.kinds)) {
    const explicit = m.effects.some((e) => e.weight >= EXPLICIT_WEIGHT);
    if (explicit && isNegated(c, t, m.start)) continue;
    explicitKind ||= explicit;
    for (const e of m.effects) {
      add(kindScores, e.kind, e.weight);
      if (e.kind === "complaint" && e.weight >= EXPLICIT_WEIGHT) explicitComplaint = true;
    }
  }

  const categoryScores = new Map<Category, number>();
  for (const m of scan(t, c.categories)) {
    for (const e of m.effects) add(categoryScores, e.category, e.weight);
  }

  const matchedWords = kindScores.size > 0 || categoryScores.size > 0;
  const kindEvidence = explicitKind ? "explicit" : kindScores.size > 0 ? "words" : "none";
  const found = majorReasonsOf(c, t);
  // A question about, or a thank-you for, something past is not an emergency now.
  const wordsKind = argmax(kindScores, lexicon.kindPriority);
  const thanks = (kindScores.get("praise") ?? 0) >= THANKS_WEIGHT;
  const past = scan(t, c.past).length > 0;
  const retrospective = past && (wordsKind === "inquiry" || wordsKind === "praise" || thanks);
  // A plain question that names an outside body or a group ("所有业主都可以投票吗", "有没有律师
  //咨询的活动") asks, it does not threaten: without a grievance word it keeps no threat reason.
  const asking = wordsKind === "inquiry" && !kindScores.has("complaint") && QUESTION_FORM.test(t);
  const reasons = retrospective
    ? new Set<NamedMajorReason>()
    : asking
      ? new Set([...found].filter((r) => !THREAT_REASONS.includes(r)))
      : found;
  for (const r of reasons) {
    const hint = lexicon.majorHints[r];
    add(kindScores, hint.kind, HINT_KIND_WEIGHT);
    if (hint.category) add(categoryScores, hint.category, HINT_CATEGORY_WEIGHT);
  }

  const category = argmax(categoryScores, lexicon.categoryPriority) ?? "other";
  let kind =
    argmax(kindScores, lexicon.kindPriority) ??
    (categoryScores.size > 0 ? lexicon.categoryDefaultKind[category] : "inquiry");
  const serviceCategory = category === "conduct" || category === "efficiency";
  const grievance = [...reasons].some((r) => lexicon.majorHints[r].kind === "complaint");
  const emergency = [...reasons].some((r) => lexicon.majorHints[r].kind === "repair");
  if (past && thanks) kind = "praise";
  else if (explicitComplaint) kind = "complaint";
  else if ((kind === "repair" && serviceCategory) || ((kind === "repair" || kind === "inquiry") && grievance)) {
    kind = "complaint";
  }
  else if ((kind === "complaint" || kind === "inquiry") && emergency && !grievance) kind = "repair";

  const majorReasons = kind === "praise" ? [] : NAMED_MAJOR_REASONS.filter((r) => reasons.has(r));
  return {
    kind,
    category,
    major: majorReasons.length > 0,
    majorReasons,
    matched: matchedWords || found.size > 0,
    kindEvidence,
  };
}
