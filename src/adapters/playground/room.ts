/**
 * The playground's chats as one Telegram client: what a person does in the page becomes the
 * Telegram update their client would send (./updates.ts), handled by the Telegram adapter's own
 * handling (../telegram/handle.ts) against this playground's desks; what the bot answers lands in
 * the chat log, as the outbox sender's deliveries do (./transport.ts). One action at a time, so
 * the page reads a settled state after each.
 */
import type { Update } from "grammy/types";
import type { Logger } from "../../core/logger.js";
import type { Locale } from "../../core/text.js";
import { handleUpdate, type HandleOptions, type SendOptions } from "../telegram/handle.js";
import { BOT_USERNAME, FIRST_OWNERS, STAFF, isGroup, type Owner } from "./cast.js";
import type { ChatButton, ChatLog } from "./chat-log.js";
import { stepTarget, type ClockStep, type MovableClock } from "./clock.js";
import { fileUrl, type FileShelf } from "./files.js";
import { editUpdate, photoUpdate, pressUpdate, textUpdate, type Person } from "./updates.js";

/** What the room acts through: the desks, sender and jobs, rebuilt when the staff language changes. */
export interface RoomEngine {
  readonly handling: HandleOptions;
  /** The language staff are spoken to in (DEFAULT_LOCALE), their clients' language hint. */
  readonly staffLocale: Locale;
  /** Wake the outbox sender: an action queued cards or notices. */
  kick(): void;
  /** Run the scheduled jobs that fall due in (from, to], against this playground's store. */
  runJobsBetween(from: Date, to: Date): Promise<void>;
  /** Resolves once the sender has delivered what is due now. */
  delivered(): Promise<void>;
}

export interface RoomDeps {
  readonly logger: Logger;
  readonly log: ChatLog;
  readonly files: FileShelf;
  readonly clock: MovableClock;
  readonly timeZone: string;
  engine(): RoomEngine;
  /** Speak to staff in `locale` from now on (the page's language switch). */
  switchStaffLocale(locale: Locale): Promise<void>;
}

const MAX_OWNERS = 200;

export type ActionResult = { ok: true } | { ok: false; reason: "unknown_person" | "not_your_chat" | "unknown_message" };

export class Room {
  private readonly owners: Owner[] = [...FIRST_OWNERS];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: RoomDeps) {}

  ownerList(): readonly Owner[] {
    return this.owners;
  }

  /** Null past MAX_OWNERS: owners' ids stay below the staff's (9001…). */
  addOwner(name: string, locale: Locale): Owner | null {
    if (this.owners.length >= MAX_OWNERS) return null;
    const owner = { id: Math.max(...this.owners.map((o) => o.id)) + 1, name, locale };
    this.owners.push(owner);
    this.deps.log.emit({ type: "changed", what: "owners" });
    return owner;
  }

  send(chatId: string, fromId: number, text: string, replyTo?: number): Promise<ActionResult> {
    return this.act(chatId, fromId, (person, now) => {
      const mine = this.deps.log.post({ chatId, from: { id: person.id, name: person.name }, text, buttons: [], at: now.toISOString(), ...(replyTo ? { replyTo } : {}) });
      const toBot = replyTo !== undefined && this.deps.log.get(replyTo)?.from === null ? replyTo : undefined;
      return textUpdate(chatId, person, mine.id, text, now, toBot);
    });
  }

  edit(chatId: string, fromId: number, messageId: number, text: string): Promise<ActionResult> {
    return this.act(chatId, fromId, (person, now) => {
      const old = this.deps.log.get(messageId);
      if (old?.from?.id !== person.id || !this.deps.log.edit(chatId, messageId, { text, buttons: [] })) return null;
      return editUpdate(chatId, person, messageId, text, now);
    });
  }

  photo(chatId: string, fromId: number, bytes: Uint8Array, mediaType: string, caption: string): Promise<ActionResult> {
    return this.act(chatId, fromId, (person, now) => {
      const fileId = this.deps.files.put({ name: "photo", mediaType, bytes });
      const mine = this.deps.log.post({ chatId, from: { id: person.id, name: person.name }, text: caption, buttons: [], photo: fileUrl(fileId), at: now.toISOString() });
      return photoUpdate(chatId, person, mine.id, fileId, caption, now);
    });
  }

  press(chatId: string, fromId: number, messageId: number, value: string): Promise<ActionResult> {
    return this.act(chatId, fromId, (person, now) => {
      const pressed = this.deps.log.get(messageId);
      const offered = pressed?.chatId === chatId && pressed.buttons.some((row) => row.some((b) => b.value === value));
      return offered ? pressUpdate(chatId, person, messageId, value, now) : null;
    });
  }

  /** Staff groups, cards and reports in `locale` from now on; what was sent stays as it was. */
  setStaffLocale(locale: Locale): Promise<ActionResult> {
    return this.serial(async () => {
      if (locale !== this.deps.engine().staffLocale) await this.deps.switchStaffLocale(locale);
      this.deps.log.emit({ type: "changed", what: "locale" });
      return { ok: true } as const;
    });
  }

  /** Moves the playground's clock and runs the jobs that fell due on the way, then delivers. */
  advance(step: ClockStep): Promise<ActionResult> {
    return this.serial(async () => {
      const from = this.deps.clock.now();
      const to = stepTarget(step, from, this.deps.timeZone);
      const engine = this.deps.engine();
      await engine.runJobsBetween(from, to);
      this.deps.clock.moveTo(to);
      engine.kick();
      await engine.delivered();
      this.deps.log.emit({ type: "changed", what: "clock" });
      return { ok: true } as const;
    });
  }

  private personOf(id: number): Person | null {
    const staff = STAFF.find((s) => s.id === id);
    if (staff) return { id, name: staff.name, username: staff.username, languageCode: this.deps.engine().staffLocale };
    const owner = this.owners.find((o) => o.id === id);
    return owner ? { id, name: owner.name, languageCode: owner.locale } : null;
  }

  /** `build` says what the person did as an update; null when the page asked for the impossible. */
  private act(chatId: string, fromId: number, build: (person: Person, now: Date) => Update | null): Promise<ActionResult> {
    return this.serial(async () => {
      const person = this.personOf(fromId);
      if (!person) return { ok: false, reason: "unknown_person" } as const;
      // A private chat is its person's own: nobody writes into another's.
      if (!isGroup(chatId) && Number(chatId) !== fromId) return { ok: false, reason: "not_your_chat" } as const;
      const update = build(person, this.deps.clock.now());
      if (!update) return { ok: false, reason: "unknown_message" } as const;
      const engine = this.deps.engine();
      await handleUpdate(this.context(chatId, update), engine.handling, this.deps.logger);
      engine.kick();
      await engine.delivered();
      this.deps.log.emit({ type: "changed", what: "guide" });
      return { ok: true } as const;
    });
  }

  private context(chatId: string, update: Update) {
    return {
      update,
      botUsername: BOT_USERNAME,
      chatId: Number(chatId),
      sendMessage: async (to: number, text: string, options: SendOptions) => {
        const replyTo = options.reply_parameters?.message_id;
        this.deps.log.post({ chatId: String(to), from: null, text, buttons: buttonsOf(options), at: this.deps.clock.now().toISOString(), ...(replyTo ? { replyTo } : {}) });
      },
      sendPhoto: async (to: number, fileId: string, options: SendOptions) => {
        const replyTo = options.reply_parameters?.message_id;
        this.deps.log.post({ chatId: String(to), from: null, text: "", buttons: [], photo: fileUrl(fileId), at: this.deps.clock.now().toISOString(), ...(replyTo ? { replyTo } : {}) });
      },
      // Telegram shows the presser alone an alert; the page has one viewer, so it joins the chat.
      answerQuery: async (alert?: string) => {
        if (alert) this.deps.log.post({ chatId, from: null, text: `⚠️ ${alert}`, buttons: [], at: this.deps.clock.now().toISOString() });
      },
    };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Telegram's inline keyboard as the page's buttons: callback data, or a link. */
function buttonsOf(options: SendOptions): ChatButton[][] {
  return (options.reply_markup?.inline_keyboard ?? []).map((row) =>
    row.map((b) => ("callback_data" in b ? { label: b.text, value: b.callback_data } : "url" in b ? { label: b.text, url: b.url } : { label: b.text })),
  );
}
