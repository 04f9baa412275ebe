/**
 * The local console: an owner's chat in the terminal, on the same core and database as the
 * platform adapters. It reads lines from a TTY or from a piped file (a demo or a test script),
 * so a newcomer can walk through a complaint without any platform token.
 */
import { createInterface } from "node:readline";
import type { InboundBody, Outcome, UnsupportedMedia } from "../../core/messages.js";
import type { Locale } from "../../core/text.js";
import type { Renderer } from "../../i18n/render.js";
import type { OwnerDeskPort } from "../../core/desk/inbound.js";

export interface ConsoleOptions {
  readonly desk: OwnerDeskPort;
  readonly renderer: Renderer;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly userId: string;
  readonly locale: Locale;
  /** Where the data lives, shown in the banner. */
  readonly storeLabel: string;
  /** A TTY gets a prompt and a greeting; piped input is echoed so a transcript reads as a chat. */
  readonly interactive: boolean;
}

const MEDIA: Readonly<Record<string, UnsupportedMedia>> = {
  "/voice": "voice",
  "/sticker": "sticker",
  "/file": "file",
  "/video": "video",
  "/location": "location",
};

/** A console line as what a chat platform would deliver: `/photo name` stands for a photo. */
export function consoleBody(line: string, photoSeq: number): InboundBody {
  const [word = "", ...rest] = line.trim().split(/\s+/);
  const media = MEDIA[word.toLowerCase()];
  if (media) return { type: "unsupported", media };
  if (word.toLowerCase() === "/photo") {
    const [name, ...caption] = rest;
    return { type: "photo", fileRef: `console:${name ?? `photo-${photoSeq}`}`, caption: caption.join(" ") || undefined };
  }
  return { type: "text", text: line };
}

export async function runConsole(o: ConsoleOptions): Promise<void> {
  const write = (s: string) => o.output.write(`${s}\n`);
  let locale = o.locale;
  const show = (outcome: Outcome) => {
    locale = outcome.locale;
    for (const reply of outcome.replies) {
      const r = o.renderer.reply(reply, outcome.locale);
      write(indent(o.renderer.text({ key: "console.speaker" }, outcome.locale), r.text));
      if (r.choices.length > 0) write(`   ${r.choices.map((c, i) => `[${i + 1}] ${c.label}`).join("  ")}`);
    }
    write("");
  };
  const send = (body: InboundBody) =>
    o.desk.handle({
      channel: "console",
      conversationKey: `console:${o.userId}`,
      sender: { platformUserId: o.userId, displayName: o.userId, languageCode: o.locale },
      body,
    });

  write(o.renderer.text({ key: "console.banner", params: { store: o.storeLabel } }, locale));
  write("");
  // On a TTY readline draws the prompt and echoes typing; piped input is echoed by us instead.
  const rl = createInterface({ input: o.input, output: o.interactive ? o.output : undefined, terminal: o.interactive });
  rl.setPrompt("> ");
  if (o.interactive) {
    show(await send({ type: "text", text: "/start" }));
    rl.prompt();
  }
  let photos = 0;
  for await (const line of rl) {
    if (/^\/(quit|exit)\s*$/i.test(line.trim())) break;
    if (!o.interactive) write(`> ${line}`);
    if (/^\/photo\b/i.test(line.trim())) photos += 1;
    show(await send(consoleBody(line, photos)));
    if (o.interactive) rl.prompt();
  }
  rl.close();
  write(o.renderer.text({ key: "console.bye" }, locale));
}

function indent(speaker: string, text: string): string {
  // Terminals draw CJK characters two columns wide.
  const width = [...speaker].reduce((w, ch) => w + (/[\u1100-\uffdc]/u.test(ch) && !/[\u2000-\u27ff]/u.test(ch) ? 2 : 1), 0);
  const pad = " ".repeat(width + 1);
  return text
    .split("\n")
    .map((l, i) => (i === 0 ? `${speaker} ${l}` : `${pad}${l}`))
    .join("\n");
}
