/**
 * The keyword+LLM column of `npm run eval` (issue 15, item 1). Each message's model reading is
 * recorded in eval/llm-recorded.jsonl (text, model, the JSON the model answered), so the figures
 * can be printed again, and checked in CI, without a network. A message not yet recorded is
 * sent to the configured service (OPENAI_* as the bot reads them, src/config.ts) when
 * `--record` is given; without a key and without recordings the column says "not configured".
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { classify } from "../src/core/classify/keywords.js";
import { mergeClassification, type OwnerTextReading } from "../src/core/classify/owner-text.js";
import { loadConfig } from "../src/config.js";
import { ownerTextModel } from "../src/infra/llm/guard.js";
import { systemClock } from "../src/infra/system.js";
import type { Classifier, CorpusRow } from "./score.js";

const RECORDED = new URL("./llm-recorded.jsonl", import.meta.url);
/** Not an owner waiting: a slow service is given time. */
const EVAL_BUDGET_MS = 30_000;

interface Recorded {
  readonly text: string;
  readonly model: string;
  readonly reading: OwnerTextReading;
}

function load(): Map<string, Recorded> {
  if (!existsSync(RECORDED)) return new Map();
  const lines = readFileSync(RECORDED, "utf8").split("\n").filter((l) => l.trim() !== "");
  return new Map(lines.map((l) => JSON.parse(l) as Recorded).map((r) => [r.text, r]));
}

const quiet = { error: () => undefined, warn: (m: string) => console.error(m), info: () => undefined, debug: () => undefined };

/** The column's classifier, or null when there is nothing to score it with. */
export async function llmColumn(rows: readonly CorpusRow[], record: boolean): Promise<{ classify: Classifier | null; note: string }> {
  const recorded = load();
  const openai = loadConfig().openai;
  const missing = rows.filter((r) => !recorded.has(r.text));
  if (record && openai && missing.length > 0) {
    const model = ownerTextModel({ ...openai, budgetMs: EVAL_BUDGET_MS }, systemClock, quiet);
    let failed = 0;
    for (const row of missing) {
      const r = await model.read(row.text);
      if (r.ok) recorded.set(row.text, { text: row.text, model: openai.model, reading: r.reading });
      else failed++;
    }
    writeFileSync(RECORDED, [...recorded.values()].map((r) => JSON.stringify(r)).join("\n") + "\n");
    if (failed > 0) console.error(`${failed} messages got no reading; run again to retry them`);
  }
  const covered = rows.filter((r) => recorded.has(r.text)).length;
  if (covered === 0) return { classify: null, note: openai ? "run with --record to ask the model" : "set OPENAI_API_KEY and run with --record" };
  const models = [...new Set([...recorded.values()].map((r) => r.model))].join(", ");
  return {
    // A message without a recording is scored as the bot would handle a failed call: keywords alone.
    classify: (text) => {
      const keywords = classify(text);
      const r = recorded.get(text);
      return r ? mergeClassification(keywords, r.reading.classification) : keywords;
    },
    note: `keyword+LLM: ${models}, ${covered}/${rows.length} messages recorded`,
  };
}
