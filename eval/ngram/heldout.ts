/**
 * The held-out split scored ONCE with the variant chosen on cross-validation (./cv.ts; the choice
 * is in commit 3d81c5a's message, made before this file existed): trained on the whole tune split,
 * figures only, never the messages. `npx tsx eval/ngram/heldout.ts`
 */
import { readFileSync } from "node:fs";
import { classifyByKeywords as classify } from "../../src/core/classify/keywords.js";
import { loadNgramModel } from "../../src/core/classify/ngram.js";
import { normalizeForClassify } from "../../src/core/classify/normalize.js";
import { NAMED_MAJOR_REASONS, TICKET_KINDS } from "../../src/core/ticket/kinds.js";
import { report } from "../report.js";
import { parseCorpus } from "../score.js";
import { train } from "./train-lib.js";

const rows = parseCorpus(readFileSync(new URL("../corpus.jsonl", import.meta.url), "utf8"));
const model = loadNgramModel(train(rows.filter((r) => r.split === "tune")), { kinds: TICKET_KINDS, reasons: NAMED_MAJOR_REASONS });
console.log(
  report(rows, [
    { name: "keyword", classify: (t) => classify(t) },
    {
      name: "keyword+ngram",
      classify: (t) => {
        const k = classify(t);
        const s = model.score(normalizeForClassify(t));
        return { kind: s.kindProbability >= 0.5 ? s.kind : k.kind, category: k.category, major: k.major || s.major >= 0.5 };
      },
    },
  ]),
);
