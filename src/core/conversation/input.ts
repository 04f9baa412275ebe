/**
 * Turns what the owner sent into one of a few inputs the engine understands. Owners on phones
 * type "取消" rather than /cancel and "1" rather than tapping a button, so both are accepted.
 */
import type { InboundBody, UnsupportedMedia } from "../messages.js";
import { MAX_MESSAGE_CHARS } from "./fields.js";
import { normalizeInput } from "../util/input.js";

export const OWNER_COMMANDS = ["start", "help", "menu", "new", "complaint", "repair", "cancel", "skip", "list", "status", "add", "lang", "hotline"] as const;
export type OwnerCommand = (typeof OWNER_COMMANDS)[number];

export type Input =
  | { type: "text"; text: string }
  | { type: "choice"; value: string }
  | { type: "command"; command: OwnerCommand; args: string }
  | { type: "photo"; fileRef: string; caption: string | null }
  | { type: "unsupported"; media: UnsupportedMedia }
  | { type: "unknown_command"; command: string }
  | { type: "empty" }
  /** A button of an earlier question: pressed twice, or scrolled back to. */
  | { type: "stale" }
  | { type: "too_long"; length: number }
  /** An edit the engine cannot read as an answer (see `converse`). */
  | { type: "edit_unread" };

/** Whole messages that mean a command, in both languages. */
const WORDS: Readonly<Record<string, OwnerCommand>> = {
  取消: "cancel",
  算了: "cancel",
  cancel: "cancel",
  跳过: "skip",
  略过: "skip",
  skip: "skip",
  帮助: "help",
  help: "help",
  菜单: "menu",
  menu: "menu",
  我的工单: "list",
  "my tickets": "list",
};

const YES = new Set(["是", "是的", "对", "对的", "好", "好的", "确认", "正确", "没错", "嗯", "yes", "y", "ok", "okay", "correct", "sure"]);
const NO = new Set(["不", "不是", "否", "不对", "错", "no", "n", "nope", "wrong"]);

/** A button's own words typed instead of pressed (the labels in locales/, and their obvious variants). */
const CHOICE_WORDS: Readonly<Record<string, RegExp>> = {
  submit: /^(确认提交|提交|确认|没问题|submit|confirm)$/,
  edit: /^(修改|更正|要修改|改一下|edit|change|change something)$/,
  done: /^(完成|好了|发完了|done|finished)$/,
  kind: /^(改类型|change type)$/,
  category: /^(改类别|change category)$/,
  "loc:home": /^(家里|家中|在家|at home|home)$/,
  "loc:common": /^(公共区域|公区|common area)$/,
};

export function readInput(body: InboundBody, lastChoices: readonly string[], askSeq = 0): Input {
  switch (body.type) {
    case "choice": {
      const stamped = /^(\d+)~([\s\S]*)$/.exec(body.value);
      if (!stamped) return { type: "choice", value: body.value };
      return Number(stamped[1]) === askSeq ? { type: "choice", value: stamped[2]! } : { type: "stale" };
    }
    case "photo":
      return { type: "photo", fileRef: body.fileRef, caption: body.caption ? normalizeInput(body.caption) : null };
    case "unsupported":
      return { type: "unsupported", media: body.media };
    case "command":
      return command(body.command, body.args);
    case "text":
      return text(body.text, lastChoices);
    case "edit":
      // Only `converse` knows whether an edit still answers the open question; here it is unread.
      return { type: "edit_unread" };
  }
}

function command(name: string, args: string): Input {
  const c = name.replace(/^\//, "").toLowerCase();
  return (OWNER_COMMANDS as readonly string[]).includes(c)
    ? { type: "command", command: c as OwnerCommand, args: normalizeInput(args) }
    : { type: "unknown_command", command: c };
}

function text(rawText: string, lastChoices: readonly string[]): Input {
  if ([...rawText].length > MAX_MESSAGE_CHARS) return { type: "too_long", length: [...rawText].length };
  const s = normalizeInput(rawText);
  if (s === "") return { type: "empty" };
  if (s.startsWith("/")) {
    // A bare "/" (or "/ text") names no command: answered as an unknown one, with the help.
    const m = /^\/(\S+)\s*([\s\S]*)$/.exec(s);
    return m ? command(m[1]!, m[2]!) : { type: "unknown_command", command: "" };
  }
  const lower = s.toLowerCase().replace(/[。.!!]+$/, "");
  const word = WORDS[lower];
  if (word) return { type: "command", command: word, args: "" };
  if (/^\d{1,2}$/.test(lower)) {
    const picked = lastChoices[Number(lower) - 1];
    if (picked) return { type: "choice", value: picked };
  }
  if (lastChoices.includes("yes") && YES.has(lower)) return { type: "choice", value: "yes" };
  if (lastChoices.includes("no") && NO.has(lower)) return { type: "choice", value: "no" };
  for (const value of lastChoices) {
    if (CHOICE_WORDS[value]?.test(lower)) return { type: "choice", value };
  }
  return { type: "text", text: s };
}
