/**
 * Core replies as Slack messages: the text as plain_text sections, so whatever an owner typed
 * and we read back (`*`, `<!channel>`, `<http://…>`) is shown as typed and never becomes
 * markup, plus the choices as buttons.
 */
import type { Outcome } from "../../core/messages.js";
import { t } from "../../core/text.js";
import type { RenderedReply, Renderer } from "../../i18n/render.js";

/** Our buttons' action ids; the action listener and the translation match on this. */
export const CHOICE_ACTION = /^choice:\d+$/;
/** A link button's id: Slack still sends the app its press, which only needs an ack. */
export const LINK_ACTION = "link";

/** Slack's Block Kit limits. Over them Slack rejects the whole message (`invalid_blocks`). */
const SECTION_CHARS = 3000;
const BUTTONS_PER_ACTIONS = 25;
const LABEL_CHARS = 75;
const VALUE_CHARS = 2000;

export interface PlainText {
  readonly type: "plain_text";
  readonly text: string;
  readonly emoji: true;
}
export type SlackBlock =
  | { readonly type: "section"; readonly text: PlainText }
  | { readonly type: "actions"; readonly block_id: string; readonly elements: readonly SlackButton[] }
  | { readonly type: "context"; readonly elements: readonly PlainText[] }
  /** A file in Slack the app can see (an owner's photo in its DM), shown by its id. */
  | { readonly type: "image"; readonly slack_file: { readonly id: string }; readonly alt_text: string };
export interface SlackButton {
  readonly type: "button";
  readonly action_id: string;
  readonly text: PlainText;
  readonly value: string;
}

/** A button that opens `url` (in Slack, an app_redirect link opens a conversation). */
export interface SlackLinkButton {
  readonly type: "button";
  readonly action_id: typeof LINK_ACTION;
  readonly text: PlainText;
  readonly url: string;
}

/** A chat.postMessage payload without the channel. */
export interface SlackMessage {
  /** The notification and screen-reader text; Slack reads `&`, `<` and `>` in it as markup. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** One message per reply; `through`: how many of the outcome's replies are sent once it is. */
export function slackMessages(outcome: Outcome, renderer: Renderer): (SlackMessage & { readonly through: number })[] {
  return outcome.replies
    .map((r, i) => {
      const message = slackMessage(renderer.reply(r, outcome.locale));
      // An owner's photos (`/photos HG-0005`) under the text; only Slack's own files can be shown.
      const alt = renderer.text(t("photos.alt"), outcome.locale);
      const images = (r.photos ?? []).filter((p) => p.startsWith("slack:")).map((p): SlackBlock => ({ type: "image", slack_file: { id: p.slice(6) }, alt_text: alt }));
      return { ...message, blocks: [...message.blocks, ...images], through: i + 1 };
    })
    .filter((m) => m.blocks.length > 0);
}

export function slackMessage(reply: RenderedReply): SlackMessage {
  const blocks: SlackBlock[] = chunks(reply.text, SECTION_CHARS).map((text) => ({ type: "section", text: plain(text) }));
  const buttons = reply.choices.map(
    (c, i): SlackButton => ({
      type: "button",
      action_id: `choice:${i}`,
      text: plain(clip(c.label || c.value, LABEL_CHARS)),
      // Core values are a few bytes; clipping only keeps an oversized one from sinking the message.
      value: c.value.slice(0, VALUE_CHARS),
    }),
  );
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ACTIONS) {
    blocks.push({ type: "actions", block_id: `choices:${i / BUTTONS_PER_ACTIONS}`, elements: buttons.slice(i, i + BUTTONS_PER_ACTIONS) });
  }
  return { text: escapeMarkup(reply.text || reply.choices.map((c) => c.label).join(" / ")), blocks };
}

/** A message whose only button opens a link. */
export interface SlackLinkMessage {
  readonly text: string;
  readonly blocks: readonly (SlackBlock | { readonly type: "actions"; readonly block_id: "link"; readonly elements: readonly [SlackLinkButton] })[];
}

/** `text` with one button that opens `url`. */
export function linkMessage(text: string, link: { readonly label: string; readonly url: string }): SlackLinkMessage {
  const button: SlackLinkButton = { type: "button", action_id: LINK_ACTION, text: plain(clip(link.label, LABEL_CHARS)), url: link.url };
  const sections = chunks(text, SECTION_CHARS).map((t): SlackBlock => ({ type: "section", text: plain(t) }));
  return { text: escapeMarkup(text), blocks: [...sections, { type: "actions", block_id: "link", elements: [button] }] };
}

/**
 * The pressed message with its buttons replaced by the chosen label: the owner sees what they
 * picked, and an old question cannot be answered a second time.
 */
export function answeredBlocks(blocks: readonly unknown[], label: string): { readonly type: string }[] {
  const out: { readonly type: string }[] = [];
  let marked = false;
  for (const block of blocks) {
    if (!isBlock(block)) continue;
    if (block.type !== "actions") out.push(block);
    else if (!marked) {
      const chosen: SlackBlock = { type: "context", elements: [plain(clip(`✓ ${label}`, LABEL_CHARS + 2))] };
      out.push(chosen);
      marked = true;
    }
  }
  return out;
}

function isBlock(block: unknown): block is { readonly type: string } {
  return typeof block === "object" && block !== null && typeof (block as { type?: unknown }).type === "string";
}

function plain(text: string): PlainText {
  return { type: "plain_text", text, emoji: true };
}

export function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** At most `max` UTF-16 units (Slack's count), never splitting a character. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** Pieces of at most `max` units, split at line ends where possible. Empty text gives none. */
function chunks(text: string, max: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const joined = current === "" ? line : `${current}\n${line}`;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    if (current !== "") out.push(current);
    current = line;
    while (current.length > max) {
      const piece = clipHard(current, max);
      out.push(piece);
      current = current.slice(piece.length);
    }
  }
  out.push(current);
  return out.filter((piece) => piece.trim() !== "");
}

function clipHard(text: string, max: number): string {
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}
