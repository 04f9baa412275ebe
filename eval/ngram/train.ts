/**
 * `npm run train`: trains the n-gram model on eval/corpus.jsonl's TUNE split only and writes
 * src/core/classify/ngram-weights.json (one feature a line, so a retrain's diff can be read).
 * Deterministic: test/core/classify/learned.test.ts checks the committed file is what this writes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseCorpus } from "../score.js";
import { train } from "./train-lib.js";
import { weightsFileText } from "./weights-file.js";

const rows = parseCorpus(readFileSync(new URL("../corpus.jsonl", import.meta.url), "utf8")).filter((r) => r.split === "tune");
const weights = train(rows);
const target = new URL("../../src/core/classify/ngram-weights.json", import.meta.url);
writeFileSync(target, weightsFileText(weights));
console.log(`trained on ${rows.length} tune messages: ${weights.grams.length} grams, ${weights.words.length} words → ${target.pathname}`);
