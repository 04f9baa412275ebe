/**
 * Phone numbers and names are replaced by placeholders before an owner's words leave the process
 * (issue 15, item 4), unless OPENAI_SEND_PII=true. The model still sees where they were, so it
 * can say "the phone is ⟨P1⟩", and what it extracts is put back before the intake reads it.
 */

/** Mainland mobiles (with or without +86 and separators) and landlines with an area code. */
const PHONE = /(?<![\d+])(?:(?:\+|00)86[- ]?)?(?:1[3-9]\d(?:[- ]?\d){8}|0\d{2,3}-?\d{7,8})(?!\d)/g;
/** "我是3-1201的张三", "我叫李四", "联系人王五", "my name is Ann Lee": the words after the cue. */
const NAME_ZH = /(我是|我叫|本人|联系人[::]?|业主)(?:[^,,。.!!??\s]{0,12}?的)?([\u4e00-\u9fff]{2,4}?)(?=[,,。.;;!!??\s]|电话|手机|$)/g;
// The cue in any case, the name capitalised: "I'm Ann Lee", "this is Wang Fang".
const NAME_EN = /\b([Mm]y name is|[Tt]his is|I am|I'm|i am|i'm)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)/g;

export interface Masked {
  readonly text: string;
  /** The original of any placeholder inside `value`. */
  restore(value: string): string;
}

export function maskPii(text: string): Masked {
  const originals = new Map<string, string>();
  const token = (prefix: string, original: string): string => {
    for (const [k, v] of originals) if (v === original) return k;
    const key = `⟨${prefix}${[...originals.keys()].filter((k) => k.startsWith(`⟨${prefix}`)).length + 1}⟩`;
    originals.set(key, original);
    return key;
  };
  let masked = text.replace(PHONE, (m) => token("P", m));
  masked = masked.replace(NAME_ZH, (_m, cue: string, name: string) => _m.slice(0, _m.length - name.length) + token("N", name));
  masked = masked.replace(NAME_EN, (_m, cue: string, name: string) => `${cue} ${token("N", name)}`);
  return {
    text: masked,
    restore: (value) => value.replace(/⟨[PN]\d+⟩/g, (k) => originals.get(k) ?? k),
  };
}

/** For OPENAI_SEND_PII=true: the text as it is. */
export function unmasked(text: string): Masked {
  return { text, restore: (value) => value };
}
