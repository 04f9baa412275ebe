/**
 * An Outcome as Telegram messages. Plain text, no parse_mode: an owner's words are echoed in
 * read-backs, and "*" or "<" in them must never be taken for markup or break a send.
 */
import { InlineKeyboard } from "grammy";
import type { Outcome } from "../../core/messages.js";
import type { RenderedChoice, Renderer } from "../../i18n/render.js";

/** Telegram's limit per message, counted in UTF-16 code units like JavaScript's `length`. */
export const MAX_TEXT = 4096;
/** Telegram's limit on a button's callback data. */
export const MAX_CALLBACK_DATA_BYTES = 64;

export interface OutgoingMessage {
  readonly text: string;
  readonly reply_markup?: InlineKeyboard;
  /** How many of the outcome's replies are wholly sent once this message (and those before it) is. */
  readonly through: number;
}

/**
 * A reply without buttons is joined to the one after it ("that button is out of date" and the
 * question again): one message to read and one API call instead of two.
 */
export function telegramMessages(outcome: Outcome, renderer: Renderer): OutgoingMessage[] {
  const rendered = outcome.replies.map((reply) => renderer.reply(reply, outcome.locale));
  // `from` and `to`: the replies a merged message carries, to tell how far a send got.
  const merged: { text: string; choices: readonly RenderedChoice[]; from: number; to: number }[] = [];
  let pending: string[] = [];
  rendered.forEach((r, i) => {
    pending.push(r.text);
    if (r.choices.length > 0) {
      merged.push({ text: pending.join("\n\n"), choices: r.choices, from: i + 1 - pending.length, to: i + 1 });
      pending = [];
    }
  });
  if (pending.length > 0) merged.push({ text: pending.join("\n\n"), choices: [], from: rendered.length - pending.length, to: rendered.length });
  return merged.flatMap(({ text, choices, from, to }) => {
    const parts = splitText(text);
    // A reply is sent only with its last part; the buttons go under that part, where the question is.
    return parts.map((t, i) => {
      const last = i === parts.length - 1;
      return last && choices.length > 0 ? { text: t, reply_markup: keyboard(choices), through: to } : { text: t, through: last ? to : from };
    });
  });
}

export function keyboard(choices: readonly RenderedChoice[]): InlineKeyboard {
  const perRow = buttonsPerRow(choices.map((c) => c.label));
  const kb = new InlineKeyboard();
  choices.forEach((c, i) => {
    if (Buffer.byteLength(c.value, "utf8") > MAX_CALLBACK_DATA_BYTES) {
      // The core keeps choice values short; Telegram would refuse the whole message.
      throw new Error(`choice value over ${MAX_CALLBACK_DATA_BYTES} bytes: ${c.value}`);
    }
    if (i > 0 && i % perRow === 0) kb.row();
    kb.text(c.label, c.value);
  });
  return kb;
}

/** Three short labels fit side by side on a phone, two medium ones; a long one gets its own row. */
export function buttonsPerRow(labels: readonly string[]): number {
  const widest = Math.max(0, ...labels.map(displayWidth));
  if (widest <= 8) return 3;
  if (widest <= 20) return 2;
  return 1;
}

/** Columns on screen: CJK and full-width characters are about twice as wide as Latin ones. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** Cuts at a line break when one is in the second half of the window, else at the limit. */
export function splitText(text: string, max = MAX_TEXT): string[] {
  if (text.trim() === "") throw new Error("a reply with no text cannot be sent to Telegram");
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) {
      cut = max;
      // Never split a surrogate pair: half an emoji is an invalid string for Telegram.
      if (/[\ud800-\udbff]/.test(rest[cut - 1] ?? "")) cut -= 1;
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    } else {
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
    }
  }
  parts.push(rest);
  return parts.filter((p) => p.trim() !== "");
}
