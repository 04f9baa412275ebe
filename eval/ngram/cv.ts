/**
 * The experiment (issue 15 item 2): 5-fold cross-validation of the n-gram model ON THE TUNE SPLIT
 * ONLY (fixed seed), for a few training variants and decision rules. It never reads the held-out
 * split. Two stand-ins for the keyword classifier on each out-of-fold message:
 * - "as written": the classifier of the commit before its batch was tuned on
 *   (keyword-as-written.jsonl, ./as-written.ts): what keywords do on unseen wording (pessimistic:
 *   older lexicons);
 * - "current": today's classifier, tuned on every tune message (optimistic: it has seen them all).
 * `npx tsx eval/ngram/cv.ts`
 */
import { readFileSync } from "node:fs";
import { classifyByKeywords as classify, readKeywords } from "../../src/core/classify/keywords.js";
import { loadNgramModel } from "../../src/core/classify/ngram.js";
import { normalizeForClassify } from "../../src/core/classify/normalize.js";
import { NAMED_MAJOR_REASONS, TICKET_KINDS } from "../../src/core/ticket/kinds.js";
import { parseCorpus, type CorpusRow } from "../score.js";
import { DEFAULT_TRAIN_OPTIONS, seededRandom, shuffled, train, type TrainOptions } from "./train-lib.js";

const FOLDS = 5;
const outputs = { kinds: TICKET_KINDS, reasons: NAMED_MAJOR_REASONS };
const rows = parseCorpus(readFileSync(new URL("../corpus.jsonl", import.meta.url), "utf8")).filter((r) => r.split === "tune");
interface Kw {
  readonly kind: string;
  readonly category: string;
  readonly major: boolean;
}
const asWritten = new Map<string, Kw>(
  readFileSync(new URL("./keyword-as-written.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Kw & { id: string })
    .map((p) => [p.id, p]),
);
const current = new Map<string, Kw>(rows.map((r) => [r.id, classify(r.text)]));
const scored = rows.filter((r) => asWritten.has(r.id));
/** Whether the keywords must keep the kind (rule B): an explicit kind word, or no keyword at all. */
const evidence = new Map(rows.map((r) => [r.id, readKeywords(r.text)] as const));
const keepKind = new Map(rows.map((r) => [r.id, evidence.get(r.id)!.kindEvidence === "explicit" || !evidence.get(r.id)!.matched]));
/** Rule C: the model's kind only where the keywords' rests on no kind word at all. */
const keepKindC = new Map(rows.map((r) => [r.id, evidence.get(r.id)!.kindEvidence !== "none" || !evidence.get(r.id)!.matched]));

interface Oof {
  readonly major: number;
  readonly kind: string;
  readonly kindP: number;
  readonly reason: string;
  readonly reasonP: number;
}

function outOfFold(options: TrainOptions): Map<string, Oof> {
  const order = shuffled(rows, seededRandom(2026));
  const out = new Map<string, Oof>();
  for (let f = 0; f < FOLDS; f++) {
    const test = order.filter((_, i) => i % FOLDS === f);
    const model = loadNgramModel(
      train(order.filter((_, i) => i % FOLDS !== f), options),
      outputs,
    );
    for (const r of test) {
      const s = model.score(normalizeForClassify(r.text));
      const best = s.reasonProbabilities.reduce((b, p, i) => (p > s.reasonProbabilities[b]! ? i : b), 0);
      out.set(r.id, { major: s.major, kind: s.kind, kindP: s.kindProbability, reason: s.reasons[best]!, reasonP: s.reasonProbabilities[best]! });
    }
  }
  return out;
}

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;

function majorLine(label: string, set: readonly CorpusRow[], flag: (r: CorpusRow) => boolean): string {
  let hit = 0;
  let guessed = 0;
  const labelled = set.filter((r) => r.major).length;
  for (const r of set) {
    const g = flag(r);
    if (g) guessed++;
    if (g && r.major) hit++;
  }
  return `${label.padEnd(34)} recall ${pct(hit, labelled).padStart(6)} (${hit}/${labelled})  precision ${pct(hit, guessed).padStart(6)} (${hit}/${guessed})`;
}

function accuracy(set: readonly CorpusRow[], ok: (r: CorpusRow) => boolean): string {
  const n = set.filter(ok).length;
  return `${pct(n, set.length)} (${n}/${set.length})`;
}

const variants: readonly [string, TrainOptions][] = [
  ["default", DEFAULT_TRAIN_OPTIONS],
  ["minDf 1", { ...DEFAULT_TRAIN_OPTIONS, minDf: 1 }],
  ["minDf 3", { ...DEFAULT_TRAIN_OPTIONS, minDf: 3 }],
  ["l2 1e-3", { ...DEFAULT_TRAIN_OPTIONS, l2: 1e-3 }],
  ["epochs 60", { ...DEFAULT_TRAIN_OPTIONS, epochs: 60 }],
  ["lr 1", { ...DEFAULT_TRAIN_OPTIONS, learningRate: 1 }],
];
const only = process.argv[2];

console.log(`tune split ${rows.length} messages (${rows.filter((r) => r.major).length} major); ${scored.length} with an as-written keyword answer`);
for (const [name, options] of variants) {
  if (only && name !== only) continue;
  const started = performance.now();
  const oof = outOfFold(options);
  const m = (r: CorpusRow) => oof.get(r.id)!;
  console.log(`\n== ${name} ${JSON.stringify(options)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`model alone: kind ${accuracy(rows, (r) => m(r).kind === r.kind)}`);
  console.log(
    `  reason named right on major messages it flags at 0.5: ${accuracy(
      rows.filter((r) => r.major && m(r).major >= 0.5),
      (r) => r.reasons.includes(m(r).reason as never),
    )}`,
  );
  // What a card would show when only the model flags a message: its best reason when sure enough.
  const modelOnly = scored.filter((r) => r.major && !asWritten.get(r.id)!.major && m(r).major >= 0.5);
  for (const q of [0.3, 0.5, 0.7]) {
    const sure = modelOnly.filter((r) => m(r).reasonP >= q);
    console.log(`  model-only major (as written missed): best reason P>=${q} on ${sure.length}/${modelOnly.length}, right ${accuracy(sure, (r) => r.reasons.includes(m(r).reason as never))}`);
  }
  for (const t of [0.2, 0.3, 0.4, 0.5]) console.log(majorLine(`  model P>=${t}`, rows, (r) => m(r).major >= t));
  console.log(majorLine("keywords as written", scored, (r) => asWritten.get(r.id)!.major));
  for (const t of [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6]) {
    console.log(majorLine(`  as written OR P>=${t}`, scored, (r) => asWritten.get(r.id)!.major || m(r).major >= t));
  }
  for (const t of [0.2, 0.3, 0.4, 0.5]) {
    console.log(majorLine(`  current OR P>=${t}`, rows, (r) => current.get(r.id)!.major || m(r).major >= t));
  }
  console.log(`kind: as written ${accuracy(scored, (r) => asWritten.get(r.id)!.kind === r.kind)}; current ${accuracy(rows, (r) => current.get(r.id)!.kind === r.kind)}`);
  for (const c of [0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    const aw = accuracy(scored, (r) => (m(r).kindP >= c ? m(r).kind : asWritten.get(r.id)!.kind) === r.kind);
    const cu = accuracy(rows, (r) => (m(r).kindP >= c ? m(r).kind : current.get(r.id)!.kind) === r.kind);
    console.log(`  model's kind when P>=${c}, else keywords': as written ${aw}; current ${cu}`);
  }
  for (const c of [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9]) {
    const pick = (r: CorpusRow, kw: string) => (!keepKind.get(r.id) && m(r).kindP >= c ? m(r).kind : kw);
    const aw = accuracy(scored, (r) => pick(r, asWritten.get(r.id)!.kind) === r.kind);
    const cu = accuracy(rows, (r) => pick(r, current.get(r.id)!.kind) === r.kind);
    console.log(`  B: keywords' kind when explicit or unmatched, else model's when P>=${c}: as written ${aw}; current ${cu}`);
  }
  for (const c of [0, 0.4, 0.5, 0.6]) {
    const pick = (r: CorpusRow, kw: string) => (!keepKindC.get(r.id) && m(r).kindP >= c ? m(r).kind : kw);
    const aw = accuracy(scored, (r) => pick(r, asWritten.get(r.id)!.kind) === r.kind);
    const cu = accuracy(rows, (r) => pick(r, current.get(r.id)!.kind) === r.kind);
    console.log(`  C: keywords' kind unless it rests on no kind word, then model's when P>=${c}: as written ${aw}; current ${cu}`);
  }
  console.log(`category: as written ${accuracy(scored, (r) => asWritten.get(r.id)!.category === r.category)}; current ${accuracy(rows, (r) => current.get(r.id)!.category === r.category)}`);
}
