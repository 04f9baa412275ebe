/**
 * `npm run eval`: scores the classifier over eval/corpus.jsonl, both splits: the keywords alone,
 * with the learned n-gram model beside them (what the bot runs), and with the optional LLM.
 * `npm run eval -- --misses` also lists the tune split's misclassified messages (what a lexicon
 * edit should look at); `--misses=heldout` lists the held-out ones, which spends the held-out
 * split: once its messages have guided an edit, its figures no longer measure anything.
 * `--record` asks the configured LLM for the messages not yet in eval/llm-recorded.jsonl (./llm.ts).
 */
import { readFileSync } from "node:fs";
import { classify, classifyByKeywords } from "../src/core/classify/keywords.js";
import { llmColumn } from "./llm.js";
import { missList, report, type Column } from "./report.js";
import { parseCorpus, SPLITS, type Split } from "./score.js";

const rows = parseCorpus(readFileSync(new URL("./corpus.jsonl", import.meta.url), "utf8"));
const llm = await llmColumn(rows, process.argv.includes("--record"));
const columns: Column[] = [
  { name: "keywords alone", classify: (text) => classifyByKeywords(text) },
  // The bot's classifier: the keywords and the learned n-gram model (src/core/classify/learned.ts).
  { name: "keyword+ngram", classify: (text) => classify(text) },
  { name: "keyword+ngram+LLM", classify: llm.classify },
];

console.log(`Classifier evaluation over eval/corpus.jsonl (${rows.length} messages); ${llm.note}\n`);
console.log(report(rows, columns));

const flag = process.argv.slice(2).find((a) => a.startsWith("--misses"));
if (flag) {
  const split = (flag.split("=")[1] ?? "tune") as Split;
  if (!SPLITS.includes(split)) throw new Error(`--misses=${split}: expected one of ${SPLITS.join(", ")}`);
  console.log(`Misclassified (${split}):`);
  console.log(missList(rows.filter((r) => r.split === split), (text) => classify(text)));
}
