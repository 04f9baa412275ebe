/**
 * The keyword classifier's answers on tune messages as they were written, before the lexicon was
 * tuned on them: each batch is classified by the classifier of the commit just before its tuning
 * (eval/README.md, "Protocol"). The current lexicon was tuned on the whole tune split, so its
 * answers there say nothing about unseen wording; these do, and cross-validation uses them to
 * choose how the learned model and the keywords are combined (eval/ngram/cv.ts).
 *
 * Run once, by hand: for each commit below, `git archive <commit> src | tar -x -C <root>/<commit>`
 * with node_modules linked beside it, then `npx tsx eval/ngram/as-written.ts <root>`. Writes
 * eval/ngram/keyword-as-written.jsonl. Reads tune rows only.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseCorpus } from "../score.js";

/** Id prefix or range → the commit whose classifier had not yet been tuned on that batch. */
const BATCHES: readonly { readonly match: (id: string) => boolean; readonly commit: string }[] = [
  { match: (id) => id.startsWith("h"), commit: "e45dff2" }, // round 1's held-out, before any tuning
  { match: (id) => id.startsWith("t"), commit: "84e2655" }, // round 1's tune half, before tuning
  { match: (id) => id.startsWith("g"), commit: "0e5e93c" }, // round 2's held-out, after round-1 tuning
  { match: (id) => id.startsWith("k"), commit: "50b477c" }, // round 3's held-out, after round-2 tuning
  { match: (id) => /^n0(?:[0-5]\d|6[0-7])$/.test(id), commit: "4a1c0f9" },
  { match: (id) => /^n(?:0(?:6[89]|[7-9]\d)|1(?:[01]\d|2[0-5]))$/.test(id), commit: "9fc5601" },
  { match: (id) => /^n1(?:2[6-9]|[3-9]\d)$/.test(id), commit: "ed8655b" },
  { match: (id) => id.startsWith("r"), commit: "dc5299a" },
  { match: (id) => id.startsWith("s"), commit: "29c99cf" },
  { match: (id) => id.startsWith("u"), commit: "a8c0f48" },
  { match: (id) => id.startsWith("v"), commit: "037e712" },
];

const root = process.argv[2] ?? "/tmp/ngram-kw";
const rows = parseCorpus(readFileSync(new URL("../corpus.jsonl", import.meta.url), "utf8")).filter((r) => r.split === "tune");
const out: string[] = [];
for (const { match, commit } of BATCHES) {
  const mod = (await import(`${root}/${commit}/src/core/classify/keywords.ts`)) as {
    classify: (t: string) => { kind: string; category: string; major: boolean };
  };
  for (const row of rows.filter((r) => match(r.id))) {
    const g = mod.classify(row.text);
    out.push(JSON.stringify({ id: row.id, commit, kind: g.kind, category: g.category, major: g.major }));
  }
}
writeFileSync(new URL("./keyword-as-written.jsonl", import.meta.url), out.join("\n") + "\n");
console.log(`${out.length} of ${rows.length} tune messages classified as written`);
