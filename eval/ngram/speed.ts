/**
 * What the learned model costs per owner turn: microseconds per call for the keywords alone and
 * for the classifier (keywords + model), over the tune split's messages and a 2,000-character
 * paste, and the heap the model's tables hold. `node --expose-gc --import tsx eval/ngram/speed.ts`
 */
import { readFileSync } from "node:fs";
import { parseCorpus } from "../score.js";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
gc();
const before = process.memoryUsage().heapUsed;
const { learnedScores } = await import("../../src/core/classify/learned.js");
gc();
const modelHeap = process.memoryUsage().heapUsed - before;
const { classify, classifyByKeywords, normalizeForClassify } = await import("../../src/core/classify/keywords.js");
classify("warm");
gc();
const loaded = process.memoryUsage().heapUsed - before;

const texts = parseCorpus(readFileSync(new URL("../corpus.jsonl", import.meta.url), "utf8"))
  .filter((r) => r.split === "tune")
  .map((r) => r.text);
const paste = "楼上漏水,我家天花板都泡了。".repeat(200).slice(0, 2000);

function perCall(f: (t: string) => unknown, inputs: readonly string[], rounds: number): number {
  for (const t of inputs) f(t);
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (const t of inputs) f(t);
  return Number(process.hrtime.bigint() - start) / 1000 / (rounds * inputs.length);
}

// Alternated, twice, so a busy neighbour on the machine hits both sides alike.
for (let pass = 1; pass <= 2; pass++) {
  const kw = perCall(classifyByKeywords, texts, 20);
  const both = perCall(classify, texts, 20);
  const kwLong = perCall(classifyByKeywords, [paste], 500);
  const bothLong = perCall(classify, [paste], 500);
  const normalized = texts.map(normalizeForClassify);
  const model = perCall(learnedScores, normalized, 20);
  const modelLong = perCall(learnedScores, [normalizeForClassify(paste)], 500);
  console.log(`pass ${pass}: the model alone: ${model.toFixed(1)} µs a corpus message, ${modelLong.toFixed(1)} µs for 2,000 chars (it reads 600)`);
  console.log(
    `pass ${pass}: corpus messages (mean ${Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length)} chars): keywords ${kw.toFixed(1)} µs, ` +
      `keywords+model ${both.toFixed(1)} µs (model ${(both - kw).toFixed(1)} µs); 2,000 chars: ${kwLong.toFixed(1)} → ${bothLong.toFixed(1)} µs`,
  );
}
console.log(`heap after load: the model ${(modelHeap / 1024 / 1024).toFixed(1)} MiB, with the keywords ${(loaded / 1024 / 1024).toFixed(1)} MiB; load avg ${readFileSync("/proc/loadavg", "utf8").trim()}`);
