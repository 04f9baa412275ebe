import type { NgramWeights } from "../../src/core/classify/ngram.js";

/** The weights as JSON with one row a line: readable diffs, and the same bytes for the same weights. */
export function weightsFileText(w: NgramWeights): string {
  const { grams, words, weights, ...head } = w;
  const list = (items: readonly unknown[]) => `[\n${items.map((x) => `  ${JSON.stringify(x)}`).join(",\n")}\n]`;
  const top = JSON.stringify(head).slice(1, -1);
  return `{${top},\n"grams": ${list(grams)},\n"words": ${list(words)},\n"weights": ${list(weights)}\n}\n`;
}
