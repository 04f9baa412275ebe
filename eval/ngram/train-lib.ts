/**
 * Training of the n-gram model (src/core/classify/ngram.ts): logistic regression by stochastic
 * gradient descent with a fixed seed, so the same rows and options always give the same weights
 * (`npm run train` writes them; a test checks the committed file is what training produces).
 * Pure: the caller reads the corpus.
 */
import { NAMED_MAJOR_REASONS, TICKET_KINDS } from "../../src/core/ticket/kinds.js";
import { eachFeature, gramText, modelText, type NgramWeights } from "../../src/core/classify/ngram.js";
import { normalizeForClassify } from "../../src/core/classify/normalize.js";
import type { CorpusRow } from "../score.js";
import { seededRandom } from "../../src/core/util/seeded-random.js";

export { seededRandom };

export interface TrainOptions {
  /** A feature is kept when at least this many training messages contain it. */
  readonly minDf: number;
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty per step on the weights a message touches. */
  readonly l2: number;
  readonly seed: number;
  /** Rows whose largest weight is below this (after training) are dropped from the file. */
  readonly prune: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { minDf: 4, epochs: 30, learningRate: 0.5, l2: 1e-4, seed: 15, prune: 0.02 };

/** Weights are kept to 1/SCALE: two decimals change no decision and keep the file short. */
const SCALE = 100;


export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Doc {
  readonly index: Int32Array;
  readonly value: Float64Array;
  readonly major: number;
  readonly kind: number;
  readonly reasons: readonly number[];
}

type FeatureKey = number | string;

function countsOf(text: string): { counts: Map<FeatureKey, number>; total: number } {
  const counts = new Map<FeatureKey, number>();
  let total = 0;
  const add = (k: FeatureKey) => {
    total++;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  eachFeature(modelText(normalizeForClassify(text)), add, add);
  return { counts, total };
}

export function train(rows: readonly CorpusRow[], options: TrainOptions = DEFAULT_TRAIN_OPTIONS): NgramWeights {
  const counted = rows.map((r) => countsOf(r.text));
  const df = new Map<FeatureKey, number>();
  for (const { counts } of counted) for (const k of counts.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  // A stable order (grams by key, then words by text) keeps the file's diff readable.
  // Grams are of UTF-16 units: an emoji's half is no character, and no JSON parser need take it.
  const whole = (k: FeatureKey) => typeof k !== "number" || !/[\ud800-\udfff]/.test(gramText(k));
  const kept = [...df].filter(([k, n]) => n >= options.minDf && whole(k)).map(([k]) => k);
  const grams = kept.filter((k): k is number => typeof k === "number").sort((a, b) => a - b);
  const words = kept.filter((k): k is string => typeof k === "string").sort();
  const ids = new Map<FeatureKey, number>([...grams, ...words].map((k, i) => [k, i]));

  const nk = TICKET_KINDS.length;
  const nr = NAMED_MAJOR_REASONS.length;
  const width = 1 + nk + nr;
  const docs: Doc[] = rows.map((row, i) => {
    const { counts, total } = counted[i]!;
    const entries = [...counts].filter(([k]) => ids.has(k)).map(([k, n]) => [ids.get(k)!, n / Math.sqrt(total)] as const);
    entries.sort((a, b) => a[0] - b[0]);
    return {
      index: Int32Array.from(entries, (e) => e[0]),
      value: Float64Array.from(entries, (e) => e[1]),
      major: row.major ? 1 : 0,
      kind: TICKET_KINDS.indexOf(row.kind),
      reasons: NAMED_MAJOR_REASONS.map((r) => (row.reasons.includes(r) ? 1 : 0)),
    };
  });

  const w = new Float64Array(ids.size * width);
  const bias = new Float64Array(width);
  const z = new Float64Array(width);
  const grad = new Float64Array(width);
  const random = seededRandom(options.seed);
  const softmaxGrad = (from: number, n: number, target: number) => {
    let max = -Infinity;
    for (let k = 0; k < n; k++) max = Math.max(max, z[from + k]!);
    let sum = 0;
    for (let k = 0; k < n; k++) sum += Math.exp(z[from + k]! - max);
    for (let k = 0; k < n; k++) grad[from + k] = Math.exp(z[from + k]! - max) / sum - (k === target ? 1 : 0);
  };
  const logisticGrad = (at: number, target: number) => {
    grad[at] = 1 / (1 + Math.exp(-z[at]!)) - target;
  };

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const rate = options.learningRate / (1 + epoch * 0.1);
    for (const d of shuffled(docs, random)) {
      z.set(bias);
      for (let j = 0; j < d.index.length; j++) {
        const off = d.index[j]! * width;
        const x = d.value[j]!;
        for (let k = 0; k < width; k++) z[k]! += w[off + k]! * x;
      }
      logisticGrad(0, d.major);
      softmaxGrad(1, nk, d.kind);
      for (let r = 0; r < nr; r++) logisticGrad(1 + nk + r, d.reasons[r]!);
      for (let k = 0; k < width; k++) bias[k]! -= rate * grad[k]!;
      for (let j = 0; j < d.index.length; j++) {
        const off = d.index[j]! * width;
        const x = d.value[j]!;
        for (let k = 0; k < width; k++) w[off + k]! -= rate * (grad[k]! * x + options.l2 * w[off + k]!);
      }
    }
  }

  const keptGrams: string[] = [];
  const keptWords: string[] = [];
  const weights: number[][] = [];
  [...grams, ...words].forEach((key, i) => {
    const row = [...w.subarray(i * width, (i + 1) * width)];
    if (Math.max(...row.map(Math.abs)) < options.prune) return;
    if (typeof key === "number") keptGrams.push(gramText(key));
    else keptWords.push(key);
    weights.push(row.map((x) => Math.round(x * SCALE)));
  });
  // Grams come before words in that walk, as the file's rows must.
  return {
    version: 1,
    grams: keptGrams,
    words: keptWords,
    kinds: [...TICKET_KINDS],
    reasons: [...NAMED_MAJOR_REASONS],
    bias: [...bias].map((b) => Math.round(b * SCALE) / SCALE),
    weights,
    scale: SCALE,
  };
}
