/**
 * The lexicon shipped with the bot: lexicon.json (edited with the guide lexicon.md), validated
 * once at module load. A broken bundled file is a programming error, so it stops the start-up
 * with the entries at fault; a company's own file goes through `parseLexicon` instead and its
 * errors are reported to whoever supplied it.
 */
import data from "./lexicon.json" with { type: "json" };
import { parseLexicon, type Lexicon } from "./lexicon-schema.js";

export { parseLexicon, type Lexicon, type LexiconResult, type MajorPair, type Weights } from "./lexicon-schema.js";

function loadDefault(): Lexicon {
  const result = parseLexicon(data);
  if (!result.ok) throw new Error(`src/core/classify/lexicon.json is invalid:\n${result.errors.join("\n")}`);
  return result.lexicon;
}

export const DEFAULT_LEXICON: Lexicon = loadDefault();

// The tables under their former names, for readers and tests of the default lexicon.
export const {
  kindTerms: KIND_TERMS,
  kindStopTerms: KIND_STOP_TERMS,
  categoryTerms: CATEGORY_TERMS,
  categoryStopTerms: CATEGORY_STOP_TERMS,
  majorTerms: MAJOR_TERMS,
  majorPairs: MAJOR_PAIRS,
  majorStopTerms: MAJOR_STOP_TERMS,
  repeatedPatterns: REPEATED_PATTERNS,
  majorHints: MAJOR_HINTS,
  kindPriority: KIND_PRIORITY,
  categoryPriority: CATEGORY_PRIORITY,
  categoryDefaultKind: CATEGORY_DEFAULT_KIND,
} = DEFAULT_LEXICON;
