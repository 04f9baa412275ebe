import { normalizeInput } from "../util/input.js";

/**
 * Normal form shared by the text and the lexicon: full-width → half-width, single spaces, lower
 * case, straight apostrophes. Its own module so the lexicon's validation can use it without
 * importing the classifier that depends on the lexicon.
 */
export function normalizeForClassify(text: string): string {
  return normalizeInput(text).toLowerCase().replace(/[‘’]/g, "'");
}
