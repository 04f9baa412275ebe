/**
 * Scores a classifier over the labelled corpus (eval/corpus.jsonl; how it was written is in
 * eval/README.md). Pure: the caller reads the file, so `npm run eval` and the threshold test in
 * test/core/classify.test.ts score exactly the same way.
 */
import { z } from "zod";
import { CATEGORIES, NAMED_MAJOR_REASONS, TICKET_KINDS, type Category, type TicketKind } from "../src/core/ticket/kinds.js";

export const SPLITS = ["tune", "heldout"] as const;
export type Split = (typeof SPLITS)[number];

const Row = z
  .strictObject({
    id: z.string().min(1),
    split: z.enum(SPLITS),
    lang: z.enum(["zh", "en", "mixed"]),
    kind: z.enum(TICKET_KINDS),
    category: z.enum(CATEGORIES),
    major: z.boolean(),
    reasons: z.array(z.enum(NAMED_MAJOR_REASONS)),
    text: z.string().min(1),
    note: z.string().optional(),
  })
  .refine((r) => r.major === r.reasons.length > 0, { message: "major must be true exactly when reasons are given" });
export type CorpusRow = z.infer<typeof Row>;

/** The JSONL text as rows; a bad line throws with its line number (the corpus is ours to fix). */
export function parseCorpus(jsonl: string): CorpusRow[] {
  const rows: CorpusRow[] = [];
  const ids = new Set<string>();
  jsonl.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const parsed = Row.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`corpus line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join(".")} ${x.message}`).join("; ")}`);
    if (ids.has(parsed.data.id)) throw new Error(`corpus line ${i + 1}: id ${parsed.data.id} is used twice`);
    ids.add(parsed.data.id);
    rows.push(parsed.data);
  });
  return rows;
}

/** What a classifier must answer to be scored; `classify` from keywords.ts fits as it is. */
export interface Guess {
  readonly kind: TicketKind;
  readonly category: Category;
  readonly major: boolean;
}
export type Classifier = (text: string) => Guess;

export interface Miss {
  readonly row: CorpusRow;
  readonly guess: Guess;
}

export interface Scores {
  readonly total: number;
  readonly kindCorrect: number;
  readonly categoryCorrect: number;
  readonly majorCorrect: number;
  /** Labelled major and guessed major (true positives), labelled major, guessed major. */
  readonly majorHit: number;
  readonly majorLabelled: number;
  readonly majorGuessed: number;
  /** confusion[expected][guessed]: how many messages. */
  readonly confusion: Readonly<Record<TicketKind, Readonly<Record<TicketKind, number>>>>;
  readonly misses: readonly Miss[];
}

export function score(rows: readonly CorpusRow[], classify: Classifier): Scores {
  const confusion = Object.fromEntries(
    TICKET_KINDS.map((k) => [k, Object.fromEntries(TICKET_KINDS.map((g) => [g, 0]))]),
  ) as Record<TicketKind, Record<TicketKind, number>>;
  let kindCorrect = 0;
  let categoryCorrect = 0;
  let majorCorrect = 0;
  let majorHit = 0;
  let majorLabelled = 0;
  let majorGuessed = 0;
  const misses: Miss[] = [];
  for (const row of rows) {
    const guess = classify(row.text);
    confusion[row.kind][guess.kind] += 1;
    const kindOk = guess.kind === row.kind;
    const categoryOk = guess.category === row.category;
    const majorOk = guess.major === row.major;
    if (kindOk) kindCorrect++;
    if (categoryOk) categoryCorrect++;
    if (majorOk) majorCorrect++;
    if (row.major) majorLabelled++;
    if (guess.major) majorGuessed++;
    if (row.major && guess.major) majorHit++;
    if (!kindOk || !categoryOk || !majorOk) misses.push({ row, guess });
  }
  return {
    total: rows.length,
    kindCorrect,
    categoryCorrect,
    majorCorrect,
    majorHit,
    majorLabelled,
    majorGuessed,
    confusion,
    misses,
  };
}

/** A ratio that is 1 when there is nothing to get wrong (no major message: recall is perfect). */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 1 : part / whole;
}

export const kindAccuracy = (s: Scores): number => ratio(s.kindCorrect, s.total);
export const categoryAccuracy = (s: Scores): number => ratio(s.categoryCorrect, s.total);
export const majorAccuracy = (s: Scores): number => ratio(s.majorCorrect, s.total);
export const majorRecall = (s: Scores): number => ratio(s.majorHit, s.majorLabelled);
export const majorPrecision = (s: Scores): number => ratio(s.majorHit, s.majorGuessed);
