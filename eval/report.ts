/**
 * The text `npm run eval` prints: per split, accuracy for kind, category and major, major
 * recall and precision, and the kind confusion table, one column per classifier. A classifier
 * that is not set up (the LLM, for now) keeps its column and says so, so the figures line up
 * the day it arrives.
 */
import { TICKET_KINDS } from "../src/core/ticket/kinds.js";
import {
  categoryAccuracy,
  kindAccuracy,
  majorAccuracy,
  majorPrecision,
  majorRecall,
  score,
  SPLITS,
  type Classifier,
  type CorpusRow,
  type Scores,
  type Split,
} from "./score.js";

export interface Column {
  readonly name: string;
  /** Null when not configured. */
  readonly classify: Classifier | null;
}

const SPLIT_TITLE: Record<Split, string> = { tune: "tune split", heldout: "held-out split (never tuned on)" };
const NOT_CONFIGURED = "not configured";
const LABEL_WIDTH = 20;
const COLUMN_WIDTH = 22;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function line(label: string, cells: readonly string[]): string {
  return `  ${label.padEnd(LABEL_WIDTH)}${cells.map((c) => c.padEnd(COLUMN_WIDTH)).join("")}`.trimEnd();
}

function figures(rows: readonly CorpusRow[], columns: readonly Column[]): string[] {
  const scores = columns.map((c) => (c.classify ? score(rows, c.classify) : null));
  const cell = (f: (s: Scores) => string) => scores.map((s) => (s ? f(s) : NOT_CONFIGURED));
  const out = [
    line("", columns.map((c) => c.name)),
    line("kind accuracy", cell((s) => `${pct(kindAccuracy(s))} (${s.kindCorrect}/${s.total})`)),
    line("category accuracy", cell((s) => `${pct(categoryAccuracy(s))} (${s.categoryCorrect}/${s.total})`)),
    line("major accuracy", cell((s) => `${pct(majorAccuracy(s))} (${s.majorCorrect}/${s.total})`)),
    line("major recall", cell((s) => `${pct(majorRecall(s))} (${s.majorHit}/${s.majorLabelled})`)),
    line("major precision", cell((s) => `${pct(majorPrecision(s))} (${s.majorHit}/${s.majorGuessed})`)),
  ];
  scores.forEach((s, i) => {
    if (!s) return;
    out.push("", `  kind confusion, ${columns[i]!.name} (rows: labelled, columns: guessed)`);
    out.push(`    ${"".padEnd(12)}${TICKET_KINDS.map((k) => k.padStart(11)).join("")}`);
    for (const k of TICKET_KINDS) {
      out.push(`    ${k.padEnd(12)}${TICKET_KINDS.map((g) => String(s.confusion[k][g]).padStart(11)).join("")}`);
    }
  });
  return out;
}

export function report(rows: readonly CorpusRow[], columns: readonly Column[]): string {
  const out: string[] = [];
  for (const split of SPLITS) {
    const part = rows.filter((r) => r.split === split);
    const major = part.filter((r) => r.major).length;
    out.push(`${SPLIT_TITLE[split]}: ${part.length} messages, ${major} major`, ...figures(part, columns), "");
  }
  return out.join("\n");
}

/** The misclassified messages of one split, for tuning the lexicon on the tune split. */
export function missList(rows: readonly CorpusRow[], classify: Classifier): string {
  return score(rows, classify)
    .misses.map(({ row, guess }) => {
      const want = `${row.kind}/${row.category}/${row.major ? "major" : "-"}`;
      const got = `${guess.kind}/${guess.category}/${guess.major ? "major" : "-"}`;
      return `${row.id}  want ${want.padEnd(30)} got ${got.padEnd(30)} ${row.text}`;
    })
    .join("\n");
}
