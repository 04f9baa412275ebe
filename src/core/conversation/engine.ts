/**
 * The conversation engine: one owner message in, the next state and the replies out. It is
 * platform-neutral (adapters translate updates into `InboundBody`) and keeps everything it
 * needs between messages in the persisted state, so a restart resumes mid-conversation.
 */
import type { InboundBody, Reply } from "../messages.js";
import type { PersonRecord } from "../people/store.js";
import { LOCALES, t, type Locale } from "../text.js";
import { TICKET_KINDS, type TicketKind } from "../ticket/kinds.js";
import { ownerRate, RATINGS, type Rating } from "../staff/workflow.js";
import { MAX_MESSAGE_CHARS } from "./fields.js";
import { file, finishIntake, onPending } from "./filing.js";
import { readInput, type Input, type OwnerCommand } from "./input.js";
import { advance, GREETING, hear, interrupt, MAX_PHOTOS, menuChoices, onStep, prompt, skipField, startIntake, wrongInput } from "./intake.js";
import type { ConversationState } from "./state.js";
import { addInfoToCurrent, addPhotoTo, beginAddInfo, listTickets, showTicket } from "./tickets.js";
import { afterFiling, offerHotline, picked, toHotline } from "./follow-up-turn.js";
import { Turn, type EngineEnv } from "./turn.js";
import { kindText } from "../ticket/views.js";
import { parseTicketNumber } from "../ticket/number.js";
import { hasWords, looksEnglish, truncate } from "../util/input.js";

export interface EngineResult {
  readonly state: ConversationState;
  readonly replies: readonly Reply[];
  readonly person: PersonRecord;
}

export async function converse(state: ConversationState, body: InboundBody, env: EngineEnv): Promise<EngineResult> {
  const turn = new Turn(state, env);
  const asked = { step: turn.state.step, ...(turn.state.field ? { field: turn.state.field } : {}) };
  if (body.type === "edit" && answersOpenQuestion(turn.state, body.messageId)) {
    turn.say(t("edit.applied"));
    await dispatch(turn, readInput({ type: "text", text: body.text }, turn.state.lastChoices, turn.state.askSeq));
  } else {
    await dispatch(turn, readInput(body, turn.state.lastChoices, turn.state.askSeq));
  }
  // An applied edit stays the last message: the owner may fix it once more.
  if (body.type !== "edit") {
    turn.state.lastMessage = body.type === "text" && body.messageId ? { id: body.messageId, ...asked } : undefined;
  }
  return { state: turn.state, replies: turn.replies, person: turn.person };
}

/**
 * An edit is read only while it can mean what the owner meant: it is their last message and the
 * question it answered is still the one open (an answer refused and asked again). Once the bot
 * moved on, applying it would change an answer behind the owner's back, so they are asked to send
 * the correction instead.
 */
function answersOpenQuestion(state: ConversationState, messageId: string): boolean {
  const last = state.lastMessage;
  return last !== undefined && last.id === messageId && last.step === state.step && last.field === state.field;
}

async function dispatch(turn: Turn, input: Input): Promise<void> {
  switch (input.type) {
    case "empty":
      turn.say(t("error.empty"));
      return prompt(turn);
    case "too_long":
      turn.say(t("error.too_long", { max: MAX_MESSAGE_CHARS, length: input.length }));
      return prompt(turn);
    case "unsupported":
      turn.say(t(`media.${input.media}`));
      return prompt(turn);
    case "stale":
      turn.say(t("error.stale_choice"));
      return prompt(turn);
    case "edit_unread":
      turn.say(t("edit.not_read"));
      return turn.state.step === "idle" ? undefined : prompt(turn);
    case "unknown_command":
      turn.say(t("error.unknown_command", { command: truncate(input.command, 20) }), t("help.owner"));
      return prompt(turn);
    case "command":
      return command(turn, input.command, input.args);
    case "photo":
      return photo(turn, input.fileRef, input.caption);
    case "choice":
      if (await globalChoice(turn, input.value)) return;
      return answer(turn, input);
    case "text":
      offerEnglish(turn, input.text);
      return answer(turn, input);
  }
}

/** An answer to the current step: the two steps about tickets and pending matters live here. */
async function answer(turn: Turn, input: Input): Promise<void> {
  if (turn.state.step === "next_pending") return onPending(turn, input);
  // Outside an intake, words may belong to a matter already filed (跟清楚); a greeting is greeted.
  if (turn.state.step === "idle" && !turn.state.draft && input.type === "text" && hasWords(input.text) && !GREETING.test(input.text)) {
    const routed = await afterFiling(turn, { text: input.text });
    if (!routed.done) await startIntake(turn, { text: routed.text });
    return;
  }
  if (turn.state.step === "add_info") {
    if (input.type !== "text" || !hasWords(input.text)) return wrongInput(turn);
    return addInfoToCurrent(turn, { text: input.text });
  }
  return onStep(turn, input);
}

async function command(turn: Turn, name: OwnerCommand, args: string): Promise<void> {
  const inIntake = turn.state.draft !== undefined;
  switch (name) {
    case "start":
      turn.say(t("greeting"));
      if (inIntake) turn.say(t("intake.resume"));
      // Arriving from an owners' group (deep link) or after a restart: what was heard comes first.
      else if (turn.state.pending.length > 0) turn.state.step = "next_pending";
      return prompt(turn);
    case "help":
      turn.say(t("help.owner"));
      return prompt(turn);
    case "menu":
      return turn.ask([t("menu.prompt")], menuChoices());
    case "new":
    case "complaint":
    case "repair": {
      const kind: TicketKind | undefined = name === "new" ? undefined : name;
      return inIntake ? interrupt(turn, kind, args) : startIntake(turn, { text: args || undefined, kind });
    }
    case "cancel":
      return cancel(turn);
    case "skip":
      if (turn.state.step === "ask") return skipField(turn);
      turn.say(t("error.nothing_to_skip"));
      return prompt(turn);
    case "list":
      await listTickets(turn);
      return inIntake ? prompt(turn) : undefined;
    case "status":
      if (!args) {
        await listTickets(turn);
        return inIntake ? prompt(turn) : undefined;
      }
      await showTicket(turn, args);
      return inIntake ? prompt(turn) : undefined;
    case "add": {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(args);
      if (!m) {
        turn.say(t("add.usage"));
        return inIntake ? prompt(turn) : undefined;
      }
      await beginAddInfo(turn, m[1]!, m[2]!);
      return inIntake ? prompt(turn) : undefined;
    }
    case "hotline":
      await toHotline(turn, args);
      return inIntake ? prompt(turn) : undefined;
    case "lang": {
      const wanted = /^(en|english|英文|英语)$/i.test(args) ? "en" : /^(zh|cn|zh-cn|中文|chinese)$/i.test(args) ? "zh-CN" : null;
      if (wanted) return switchLocale(turn, wanted);
      return turn.ask([t("lang.pick")], LOCALES.map((l) => ({ value: `lang:${l}`, label: t(`lang.name.${l}`) })));
    }
  }
}

/** Choices that mean the same in every step: menu, language, ticket views, cancel, interrupt. */
async function globalChoice(turn: Turn, value: string): Promise<boolean> {
  const [prefix, rest = ""] = splitOnce(value);
  const inIntake = turn.state.draft !== undefined;
  switch (prefix) {
    case "menu":
      if (rest === "list") await command(turn, "list", "");
      else if (rest === "lang") await command(turn, "lang", "");
      else if ((TICKET_KINDS as readonly string[]).includes(rest)) {
        const kind = rest as TicketKind;
        if (inIntake) await interrupt(turn, kind, "");
        else await startIntake(turn, { kind });
      } else return false;
      return true;
    case "lang":
      if (rest === "keep") await switchLocale(turn, turn.locale);
      else if ((LOCALES as readonly string[]).includes(rest)) await switchLocale(turn, rest as Locale);
      else return false;
      return true;
    case "view":
      await showTicket(turn, rest);
      if (inIntake) await prompt(turn);
      return true;
    case "add":
      await beginAddInfo(turn, rest, "");
      if (inIntake) await prompt(turn);
      return true;
    case "cancel":
      if (value === "cancel") await cancel(turn);
      else if (rest === "yes") await discardIntake(turn);
      else await prompt(turn);
      return true;
    case "intr":
      if (rest === "continue") {
        if (turn.state.pending.length > 0) turn.say(t("intr.kept"));
        await prompt(turn);
      } else await switchIntake(turn, rest);
      return true;
    case "rate": {
      // Rating buttons arrive with the resolution notice, outside any step.
      const [number = "", rating = ""] = rest.split(":");
      if (!RATINGS.includes(rating as Rating)) return false;
      const result = await ownerRate(turn.env, { personId: turn.person.id, channel: turn.env.channel }, number, rating as Rating);
      if (result.ok) for (const n of result.notices) turn.say(...n.text);
      else turn.say(result.text);
      if (result.ok && rating === "dissatisfied") offerHotline(turn, number);
      if (inIntake) await prompt(turn);
      return true;
    }
    case "hotline":
      await toHotline(turn, rest);
      if (inIntake) await prompt(turn);
      return true;
    case "fu": {
      // Which matter the words held after filing belong to (./follow-up-turn.ts).
      const routed = await picked(turn, rest);
      if (routed.done) return true;
      if (routed.fileRef) turn.say(t("photo.received", { count: 1 }));
      await startIntake(turn, { text: routed.text, photo: routed.fileRef });
      return true;
    }
    case "submit":
      if (turn.state.step !== "review" || !turn.state.draft) return false;
      await file(turn);
      return true;
    default:
      return false;
  }
}

function splitOnce(value: string): [string, string?] {
  const i = value.indexOf(":");
  return i < 0 ? [value] : [value.slice(0, i), value.slice(i + 1)];
}

async function switchLocale(turn: Turn, locale: Locale): Promise<void> {
  turn.person = await turn.env.store.updatePerson(turn.person.id, { locale, localeExplicit: true });
  turn.say(t("lang.switched"));
  if (turn.state.step !== "idle") await prompt(turn);
}

/**
 * An owner who writes English in a Chinese chat is offered English once, as a line in English
 * before the answer to their message: without buttons of its own it shares the answer's message
 * (one message per message, issue 10), and the step's buttons stay the ones a typed number picks.
 */
function offerEnglish(turn: Turn, text: string): void {
  if (turn.person.localeExplicit || turn.locale !== "zh-CN" || turn.state.englishOffered) return;
  if (!looksEnglish(text)) return;
  turn.state.englishOffered = true;
  turn.replies.push({ text: [t("lang.offer_en")], locale: "en" });
}

/** Put the unfinished matter aside (kept as pending, offered again later) and start the new one. */
async function switchIntake(turn: Turn, rest: string): Promise<void> {
  const [, kindPart, words] = rest.split(":");
  const kind = TICKET_KINDS.find((k) => k === kindPart);
  const next = words === "words" ? turn.state.pending.pop() : undefined;
  const aside = turn.state.draft;
  if (aside?.description) turn.state.pending.unshift({ text: aside.description, group: aside.group });
  turn.state.draft = undefined;
  await startIntake(turn, { kind, text: next?.text, group: next?.group });
}

async function cancel(turn: Turn): Promise<void> {
  if (turn.state.draft) {
    return turn.ask(
      [t("cancel.confirm")],
      [
        { value: "cancel:yes", label: t("choice.cancel_yes") },
        { value: "cancel:no", label: t("choice.cancel_no") },
      ],
    );
  }
  if (turn.state.step === "add_info" || turn.state.step === "next_pending") {
    turn.state.step = "idle";
    turn.state.ticketNumber = undefined;
    turn.say(t("cancel.done_simple"));
    return;
  }
  turn.say(t("cancel.nothing"));
}

async function discardIntake(turn: Turn): Promise<void> {
  turn.state.draft = undefined;
  turn.say(t("cancel.done"));
  await finishIntake(turn);
}

/** A photo captioned `/add HG-0005` (`add` on Slack, where a leading slash is a command), with more words or not. */
const ADD_CAPTION = /^\/?add\s+(\S+)\s*([\s\S]*)$/i;

async function photo(turn: Turn, fileRef: string, caption: string | null): Promise<void> {
  const s = turn.state;
  const add = caption ? ADD_CAPTION.exec(caption) : null;
  // Without the slash only a ticket number makes it one: "add a photo of the wall" is a caption.
  if (add && (caption!.startsWith("/") || parseTicketNumber(add[1]!) !== null)) {
    await addPhotoTo(turn, add[1]!, fileRef, add[2]!);
    return s.draft ? prompt(turn) : undefined;
  }
  if (s.step === "add_info") return addInfoToCurrent(turn, { fileRef });
  if (!s.draft) {
    if (s.step === "idle") {
      const routed = await afterFiling(turn, { fileRef, caption });
      if (routed.done) return;
      caption = routed.text ?? null;
    }
    turn.say(t("photo.received", { count: 1 }));
    await startIntake(turn, { photo: fileRef, text: caption && hasWords(caption) ? caption : undefined });
    return;
  }
  const d = s.draft;
  if (d.photos.length >= MAX_PHOTOS) {
    turn.say(t("photo.too_many", { max: MAX_PHOTOS }));
    return prompt(turn);
  }
  d.photos.push(fileRef);
  if (caption && hasWords(caption)) await hear(turn, caption);
  if (s.step === "hear") {
    turn.say(t("photo.received", { count: d.photos.length }));
    return prompt(turn);
  }
  if (s.step === "ask" && s.field === "photos") return prompt(turn);
  turn.say(t("photo.received", { count: d.photos.length }));
  return prompt(turn);
}

export { advance };
