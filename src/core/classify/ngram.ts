/**
 * A small learned lexical model beside the keyword lists (issue 15 item 2): logistic regression
 * over character 1–3-grams of the same normal form the keywords read, plus English word unigrams
 * and bigrams. It reads wording the lists have never seen ("我妈在里面出不来" without 电梯 or 被困),
 * because it weighs every fragment it saw in training instead of needing an exact phrase.
 *
 * Pure and predictable: the weights are plain data trained offline (`npm run train`, eval/ngram/)
 * and imported; the same text always gets the same scores. Reading a message walks it once,
 * looking each gram up in a numeric map built once per model; nothing big is allocated per call.
 */
/** Which output a weight column feeds; the trained file's `outputs` must list these in this order. */
export interface NgramOutputs<K extends string, R extends string> {
  readonly kinds: readonly K[];
  readonly reasons: readonly R[];
}

/**
 * The trained file's shape. Columns of `weights` (one row of `width` numbers per feature, row-major):
 * major (a logit), then one per kind (softmax), then one per major reason (each its own logit).
 * No category: on cross-validation the model named it less often than the keywords do.
 */
export interface NgramWeights {
  readonly version: 1;
  /** Character grams as text. */
  readonly grams: readonly string[];
  /** English words and word pairs ("no water"), same order as their rows after the grams. */
  readonly words: readonly string[];
  readonly kinds: readonly string[];
  readonly reasons: readonly string[];
  readonly bias: readonly number[];
  /** One row of `1 + kinds + reasons` integers per gram, then per word: a weight times `scale`, so the file stays small and exact. */
  readonly weights: readonly (readonly number[])[];
  readonly scale: number;
}

export interface NgramScores<K extends string, R extends string> {
  /** P(major): the probability the message is a matter to report at once. */
  readonly major: number;
  readonly kind: K;
  readonly kindProbability: number;
  /** Each reason's own probability, in `reasons` order. */
  readonly reasonProbabilities: readonly number[];
  readonly reasons: readonly R[];
}

/** The model reads less than the keywords: the point of a message is in its first lines. */
export const MAX_MODEL_CHARS = 600;
const MAX_GRAM = 3;
/** Bits per code unit in a gram's numeric key: a UTF-16 unit plus one fits, three fit in a double. */
const UNIT_BITS = 2 ** 17;

/**
 * A run of six or more digits (a phone, an order number) reads as one mark: it is not a topic,
 * and its fragments must not look like the city hotline 12345. Shorter numbers are kept ("3次",
 * "12345", a room's 1201).
 */
const LONG_NUMBER = /\d{6,}/g;
const unit = (code: number): number => code;

/** The numeric key of a gram of one to three code units; distinct lengths never collide. */
function gramKey(a: number, b: number, c: number): number {
  return (a + 1) * UNIT_BITS * UNIT_BITS + (b + 1) * UNIT_BITS + (c + 1);
}

function keyOfGram(gram: string): number {
  const codes = [...Array(gram.length).keys()].map((i) => unit(gram.charCodeAt(i)));
  const [a = -1, b = -1, c = -1] = codes.length === 1 ? [-1, -1, codes[0]] : codes.length === 2 ? [-1, codes[0], codes[1]] : codes;
  return gramKey(a, b, c);
}

/** What the model reads of a text already in normalizeForClassify's form. */
export function modelText(normalized: string): string {
  return (normalized.length > MAX_MODEL_CHARS ? normalized.slice(0, MAX_MODEL_CHARS) : normalized).replace(LONG_NUMBER, "#");
}

const isLatin = (code: number): boolean => (code >= 97 && code <= 122) || code === 39;

/**
 * Calls `gram(key)` for every character 1–3-gram (a lone space is not one) and `word(w)` for
 * every English word and adjacent word pair. Training and reading share it, so they cannot drift.
 */
export function eachFeature(t: string, gram: (key: number) => void, word: (w: string) => void): void {
  for (let i = 0; i < t.length; i++) {
    const a = unit(t.charCodeAt(i));
    if (a !== 32) gram(gramKey(-1, -1, a));
    if (i + 1 < t.length) {
      const b = unit(t.charCodeAt(i + 1));
      gram(gramKey(-1, a, b));
      if (i + 2 < t.length) gram(gramKey(a, b, unit(t.charCodeAt(i + 2))));
    }
  }
  let previous: string | null = null;
  let i = 0;
  while (i < t.length) {
    if (!isLatin(t.charCodeAt(i))) {
      // Anything but a space breaks a word pair: "leak. fire" is not the pair "leak fire".
      if (t.charCodeAt(i) !== 32) previous = null;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < t.length && isLatin(t.charCodeAt(j))) j++;
    const w = t.slice(i, j);
    word(w);
    if (previous !== null) word(`${previous} ${w}`);
    previous = w;
    i = j;
  }
}

/** Text of a gram key, for the trained file (the inverse of `keyOfGram`). */
export function gramText(key: number): string {
  const c = (key % UNIT_BITS) - 1;
  const b = (Math.floor(key / UNIT_BITS) % UNIT_BITS) - 1;
  const a = Math.floor(key / UNIT_BITS / UNIT_BITS) - 1;
  return String.fromCharCode(...[a, b, c].filter((x) => x >= 0));
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export interface NgramModel<K extends string, R extends string> {
  /** `normalized`: the text as normalizeForClassify gives it, the form the model was trained on. */
  score(normalized: string): NgramScores<K, R>;
}

/** Builds the lookup tables once; the returned model allocates only its small answer per call. */
export function loadNgramModel<K extends string, R extends string>(
  data: NgramWeights,
  outputs: NgramOutputs<K, R>,
): NgramModel<K, R> {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(data.kinds, outputs.kinds) || !same(data.reasons, outputs.reasons)) {
    throw new Error("n-gram weights were trained for other kinds or reasons: run npm run train");
  }
  const nk = outputs.kinds.length;
  const width = 1 + nk + outputs.reasons.length;
  const rows = data.grams.length + data.words.length;
  if (data.bias.length !== width || data.weights.length !== rows || data.weights.some((r) => r.length !== width)) {
    throw new Error("n-gram weights: wrong size");
  }
  const weights = Float64Array.from(data.weights.flat(), (w) => w / data.scale);
  const grams = new Map<number, number>();
  data.grams.forEach((g, i) => grams.set(keyOfGram(g), i * width));
  const words = new Map<string, number>();
  data.words.forEach((w, i) => words.set(w, (data.grams.length + i) * width));
  // One scratch row for the sums: classifying is synchronous, so calls never share it.
  const sum = new Float64Array(width);
  let count = 0;
  const addRow = (offset: number | undefined) => {
    count++;
    if (offset === undefined) return;
    for (let k = 0; k < width; k++) sum[k]! += weights[offset + k]!;
  };
  const onGram = (key: number) => addRow(grams.get(key));
  const onWord = (w: string) => addRow(words.get(w));

  const argmax = (from: number, n: number): number => {
    let best = 0;
    for (let k = 1; k < n; k++) if (sum[from + k]! > sum[from + best]!) best = k;
    return best;
  };

  return {
    score(normalized) {
      sum.fill(0);
      count = 0;
      eachFeature(modelText(normalized), onGram, onWord);
      // Each occurrence counts; the sum is scaled by 1/√n so a long message is not louder.
      const norm = count > 0 ? 1 / Math.sqrt(count) : 0;
      for (let k = 0; k < width; k++) sum[k] = sum[k]! * norm + data.bias[k]!;
      const kindAt = argmax(1, nk);
      let z = 0;
      for (let k = 0; k < nk; k++) z += Math.exp(sum[1 + k]! - sum[1 + kindAt]!);
      const reasonProbabilities = outputs.reasons.map((_, k) => sigmoid(sum[1 + nk + k]!));
      return {
        major: sigmoid(sum[0]!),
        kind: outputs.kinds[kindAt]!,
        kindProbability: 1 / z,
        reasonProbabilities,
        reasons: outputs.reasons,
      };
    },
  };
}
