/**
 * The intake steps of 五清楚 (seed 000 §2(2)A): hear the owner out (听清楚), ask only for what
 * is missing (问清楚), read the record back and file it once confirmed (记清楚), and tell the
 * owner the number and when they will hear back (跟清楚).
 */
import { classify } from "../classify/keywords.js";
import { mergeClassification } from "../classify/owner-text.js";
import { takeExtracted } from "./extracted.js";
import { firstReplyDue } from "../sla/reply-promise.js";
import type { Choice } from "../messages.js";
import { t, type Text } from "../text.js";
import { CATEGORIES, TICKET_KINDS, type TicketKind } from "../ticket/kinds.js";
import {
  appendDescription,
  FAILURES_BEFORE_SKIP,
  fieldSpec,
  FLOWS,
  isThin,
  nextField,
  skipPatch,
  type FieldContext,
  type FieldSpec,
} from "./fields.js";
import type { Input } from "./input.js";
import type { ConversationState, Draft, FieldId } from "./state.js";
import type { Turn } from "./turn.js";
import { categoryText, kindText, time } from "../ticket/views.js";
import { classificationChoices, classificationTexts, fieldText, reviewTexts } from "./views.js";
import { hasWords, truncate } from "../util/input.js";
import { propertyLabel } from "../property/store.js";
import { offerRoomsOfPhone, onRoomsOfPhone, onRosterOwner, promptRoomsOfPhone, promptRosterOwner, rostered, rosterOwnerToOffer, type Flow } from "./roster.js";
import { maskName } from "../people/name.js";
import { maskPhone } from "../people/phone.js";

export const MAX_PHOTOS = 10;

export function newDraft(turn: Turn): Draft {
  return {
    intakeId: turn.env.ids.next(),
    startedAt: turn.env.clock.now().toISOString(),
    description: "",
    major: false,
    majorReasons: [],
    ownerSet: [],
    detailsAsked: false,
    photos: [],
    photosDone: false,
    profileChecked: false,
    skipped: [],
  };
}

export async function startIntake(
  turn: Turn,
  opts: { text?: string; kind?: TicketKind; photo?: string; group?: string },
): Promise<void> {
  const d = newDraft(turn);
  if (opts.group) d.group = opts.group;
  if (opts.kind) {
    d.kind = opts.kind;
    d.ownerSet.push("kind");
  }
  if (opts.photo) d.photos.push(opts.photo);
  turn.state.draft = d;
  turn.state.failures = 0;
  if (opts.text) {
    await hear(turn, opts.text);
    await afterHearing(turn);
  } else {
    turn.state.step = "hear";
    await prompt(turn);
  }
}

/**
 * Add the owner's words and classify again; what the owner set themselves stays. With the
 * optional model (issue 15) its reading, within its budget, is merged in and what it picked out
 * of the words is taken (./extracted.ts); without one, or when it fails, the keywords alone decide.
 */
export async function hear(turn: Turn, text: string): Promise<void> {
  const d = turn.state.draft!;
  d.description = appendDescription(d.description, text);
  const read = turn.env.ownerText ? await turn.env.ownerText.read(d.description) : null;
  const keywords = classify(d.description);
  const c = read?.ok ? mergeClassification(keywords, read.reading.classification) : keywords;
  if (!d.ownerSet.includes("kind") && c.matched) d.kind = c.kind;
  if (!d.ownerSet.includes("category")) d.category = c.category;
  if (!d.ownerSet.includes("major")) {
    d.major = c.major;
    d.majorReasons = c.majorReasons;
  }
  if (read?.ok && read.reading.summary) d.summary = read.reading.summary;
  if (read?.ok) await takeExtracted(turn, read.reading.extracted);
}

async function afterHearing(turn: Turn): Promise<void> {
  turn.state.step = turn.state.draft!.kind ? "classify" : "pick_kind";
  await prompt(turn);
}

/** Move to whatever the draft needs next: its kind, its property, the profile, a field, the read-back. */
export async function advance(turn: Turn): Promise<void> {
  const d = turn.state.draft!;
  turn.state.failures = 0;
  if (!d.kind) {
    turn.state.step = "pick_kind";
    return prompt(turn);
  }
  if (d.propertyId === undefined) {
    const properties = await turn.env.properties();
    if (properties.length === 0) {
      turn.say(t("error.no_property"));
      return;
    }
    if (properties.length === 1) d.propertyId = properties[0]!.id;
    else {
      const known = new Set((await turn.env.ownerRooms()).map((r) => r.propertyId));
      if (known.size === 1) d.propertyId = [...known][0]!;
    }
  }
  if (d.propertyId !== undefined && !d.profileChecked) {
    if (await offerProfile(turn)) return;
    d.profileChecked = true;
  }
  if (await rosterOwnerToOffer(turn)) {
    turn.state.step = "roster_owner";
    return prompt(turn);
  }
  const next = nextField(d);
  if (next) {
    turn.state.step = "ask";
    turn.state.field = next;
  } else {
    turn.state.step = "review";
    turn.state.field = undefined;
  }
  await prompt(turn);
}

/** What we already know of a returning owner that this flow needs. */
async function knownProfile(turn: Turn): Promise<Partial<Pick<Draft, "name" | "phone" | "room" | "roomId" | "zoneId">>> {
  const d = turn.state.draft!;
  const flow = FLOWS[d.kind!];
  const known: Partial<Pick<Draft, "name" | "phone" | "room" | "roomId" | "zoneId">> = {};
  if (flow.includes("name") && d.name === undefined && turn.person.name) known.name = turn.person.name;
  if (flow.includes("phone") && d.phone === undefined && turn.person.phone) known.phone = turn.person.phone;
  const rooms = (await turn.env.ownerRooms()).filter((r) => r.propertyId === d.propertyId);
  if (flow.includes("room") && d.room === undefined && rooms.length === 1) {
    known.room = rooms[0]!.roomLabel;
    known.roomId = rooms[0]!.roomId;
    known.zoneId = rooms[0]!.zoneId;
  }
  return known;
}

async function offerProfile(turn: Turn): Promise<boolean> {
  const known = await knownProfile(turn);
  if (Object.keys(known).length === 0) return false;
  turn.state.step = "profile";
  await prompt(turn);
  return true;
}

async function context(turn: Turn, spec: FieldSpec): Promise<FieldContext> {
  const uses = spec.uses ?? [];
  return {
    draft: turn.state.draft!,
    properties: uses.includes("properties") ? await turn.env.properties() : [],
    ownerRooms: uses.includes("ownerRooms") ? await turn.env.ownerRooms() : [],
    store: turn.env.store,
    locale: turn.locale,
  };
}

const yesNo = (): Choice[] => [
  { value: "yes", label: t("choice.yes") },
  { value: "no", label: t("choice.no") },
];

/** Ask the current step's question again (after an error, a switch of language, a resume). */
export async function prompt(turn: Turn): Promise<void> {
  const s = turn.state;
  const d = s.draft;
  switch (s.step) {
    case "idle":
      return turn.ask([t("menu.prompt")], menuChoices());
    case "hear":
      return turn.ask([d?.kind ? t("ask.describe_kind", { kind: kindText(d.kind) }) : t("ask.describe")], []);
    case "classify":
      return turn.ask(classificationTexts(d!), classificationChoices(d!));
    case "pick_kind":
      return turn.ask(
        [t("ask.pick_kind")],
        TICKET_KINDS.map((k) => ({ value: `kind:${k}`, label: kindText(k) })),
      );
    case "pick_category":
      return turn.ask(
        [t("ask.pick_category")],
        CATEGORIES.map((c) => ({ value: `cat:${c}`, label: categoryText(c) })),
      );
    case "profile": {
      const known = await knownProfile(turn);
      const masked = await rostered(turn, known.phone);
      const lines: Text[] = [t("profile.title")];
      if (known.name) lines.push(t("profile.name", { value: masked ? maskName(known.name) : known.name }));
      if (known.phone) lines.push(t("profile.phone", { value: masked ? maskPhone(known.phone) : known.phone }));
      if (known.room) lines.push(t("profile.room", { value: known.room }));
      lines.push(t("profile.confirm"));
      return turn.ask(lines, yesNo());
    }
    case "ask":
      return askField(turn, s.field!);
    case "review": {
      const property = (await turn.env.properties()).find((p) => p.id === d!.propertyId);
      return turn.ask(reviewTexts(d!, property && propertyLabel(property, turn.locale)), [
        { value: "submit", label: t("choice.submit") },
        { value: "edit", label: t("choice.edit") },
        { value: "cancel", label: t("choice.cancel_intake") },
      ]);
    }
    case "edit":
      return turn.ask([t("ask.edit")], editChoices(d!));
    case "next_pending":
      return turn.ask([t("pending.offer", { text: truncate(s.pending[0]?.text ?? "", 80) })], yesNo());
    case "add_info":
      return turn.ask([t("ask.add_info", { number: s.ticketNumber ?? "" })], []);
    case "roster_owner":
      return promptRosterOwner(turn, FLOW);
    case "roster_room":
      return promptRoomsOfPhone(turn);
  }
}

export function menuChoices(): Choice[] {
  return [
    { value: "menu:complaint", label: t("menu.complaint") },
    { value: "menu:repair", label: t("menu.repair") },
    { value: "menu:inquiry", label: t("menu.inquiry") },
    { value: "menu:suggestion", label: t("menu.suggestion") },
    { value: "menu:praise", label: t("menu.praise") },
    { value: "menu:list", label: t("menu.list") },
    { value: "menu:lang", label: t("menu.lang") },
  ];
}

async function askField(turn: Turn, id: FieldId): Promise<void> {
  const spec = fieldSpec(id);
  const d = turn.state.draft!;
  const ctx = await context(turn, spec);
  const text: Text[] = [];
  if (id === "photos" && d.photos.length > 0) text.push(t("ask.photos_more", { count: d.photos.length }));
  else text.push(t(spec.question));
  if (turn.state.failures > 0 && spec.example) text.push(t(spec.example));
  const choices = spec.choices ? spec.choices(ctx) : [];
  if (spec.optional) choices.push({ value: "skip", label: t("choice.skip") });
  else if (turn.state.failures >= FAILURES_BEFORE_SKIP) {
    text.push(t("ask.may_leave_for_staff"));
    choices.push({ value: "skip", label: t("choice.leave_for_staff") });
  }
  turn.ask(text, choices);
}

function editChoices(d: Draft): Choice[] {
  const fields = FLOWS[d.kind!].filter((f) => f !== "property" || d.propertyId !== undefined);
  return [
    { value: "edit:kind", label: t("field.kind") },
    ...fields.map((f) => ({ value: `edit:${f}`, label: fieldText(f) })),
    { value: "back", label: t("choice.back") },
  ];
}

/** The owner's answer in the current step. Photos, commands and global choices are handled before. */
export async function onStep(turn: Turn, input: Input): Promise<void> {
  const s = turn.state;
  const d = s.draft;
  if (!d && s.step !== "idle" && s.step !== "next_pending" && s.step !== "add_info") {
    s.step = "idle";
  }
  if (input.type === "text") {
    const another = anotherMatter(turn.state, input.text);
    if (another !== null) return interrupt(turn, undefined, another);
  }
  switch (s.step) {
    case "hear":
    case "idle":
      return onWords(turn, input);
    case "classify":
      return onClassify(turn, input);
    case "pick_kind":
      return onPick(turn, input, "kind");
    case "pick_category":
      return onPick(turn, input, "category");
    case "profile":
      return onProfile(turn, input);
    case "ask":
      return onAnswer(turn, input);
    case "review":
      return onReview(turn, input);
    case "edit":
      return onEdit(turn, input);
    case "roster_owner":
      return onRosterOwner(turn, input, FLOW);
    case "roster_room":
      return onRoomsOfPhone(turn, input, FLOW);
    case "next_pending":
    case "add_info":
      // handled by the engine, which knows about tickets and pending matters
      return;
  }
}

export const GREETING = /^(你好|您好|哈喽|嗨|在吗|在不在|有人吗|hi|hello|hey|good (morning|afternoon|evening))[!!。.~～?? ]*$/i;

async function onWords(turn: Turn, input: Input): Promise<void> {
  if (input.type !== "text") return wrongInput(turn);
  if (!hasWords(input.text)) {
    turn.say(t("error.no_words"));
    return prompt(turn);
  }
  if (turn.state.step === "idle") {
    // A bare greeting is not a matter to file: greet back and show what the bot can do.
    if (GREETING.test(input.text)) {
      turn.say(t("greeting"));
      return prompt(turn);
    }
    return startIntake(turn, { text: input.text });
  }
  await hear(turn, input.text);
  await afterHearing(turn);
}

async function onClassify(turn: Turn, input: Input): Promise<void> {
  const d = turn.state.draft!;
  if (input.type === "text") {
    if (!hasWords(input.text)) return wrongInput(turn);
    // Still hearing the owner out: more words refine what we understood (听清楚).
    await hear(turn, input.text);
    turn.say(t("hear.added"));
    return afterHearing(turn);
  }
  if (input.type !== "choice") return wrongInput(turn);
  switch (input.value) {
    case "yes":
      return advance(turn);
    case "kind":
      turn.state.step = "pick_kind";
      return prompt(turn);
    case "category":
      turn.state.step = "pick_category";
      return prompt(turn);
    case "major":
      d.major = !d.major;
      d.majorReasons = d.major ? d.majorReasons : [];
      if (!d.ownerSet.includes("major")) d.ownerSet.push("major");
      return prompt(turn);
    default:
      return wrongInput(turn);
  }
}

const KIND_WORDS: Readonly<Record<TicketKind, RegExp>> = {
  complaint: /投诉|complain/i,
  repair: /报修|维修|修理|repair|fix/i,
  inquiry: /咨询|询问|问题|inquiry|question|ask/i,
  suggestion: /建议|suggest/i,
  praise: /表扬|感谢|praise|thank/i,
  help: /求助|帮忙|帮助|help/i,
};

async function onPick(turn: Turn, input: Input, what: "kind" | "category"): Promise<void> {
  const d = turn.state.draft!;
  let value: string | undefined;
  if (input.type === "choice" && input.value.startsWith(`${what === "kind" ? "kind" : "cat"}:`)) {
    value = input.value.slice(input.value.indexOf(":") + 1);
  } else if (input.type === "text" && what === "kind") {
    value = TICKET_KINDS.find((k) => KIND_WORDS[k].test(input.text));
    // Not a kind's name but more of the story ("你好", then the description): keep hearing.
    if (!value && hasWords(input.text)) {
      await hear(turn, input.text);
      return afterHearing(turn);
    }
  }
  if (what === "kind" && TICKET_KINDS.includes(value as TicketKind)) {
    d.kind = value as TicketKind;
    if (!d.ownerSet.includes("kind")) d.ownerSet.push("kind");
  } else if (what === "category" && (CATEGORIES as readonly string[]).includes(value ?? "")) {
    d.category = value as Draft["category"];
    if (!d.ownerSet.includes("category")) d.ownerSet.push("category");
  } else {
    return wrongInput(turn);
  }
  // A correction made from the read-back returns there once the flow is complete again.
  turn.state.step = d.profileChecked ? "review" : "classify";
  if (turn.state.step === "review") return advance(turn);
  return prompt(turn);
}

async function onProfile(turn: Turn, input: Input): Promise<void> {
  if (input.type !== "choice" || (input.value !== "yes" && input.value !== "no")) return wrongInput(turn);
  const d = turn.state.draft!;
  if (input.value === "yes") {
    const known = await knownProfile(turn);
    Object.assign(d, known);
    if (await rostered(turn, known.phone)) d.fromRoster = (["name", "phone"] as const).filter((f) => known[f] !== undefined);
  }
  d.profileChecked = true;
  return advance(turn);
}

async function onAnswer(turn: Turn, input: Input): Promise<void> {
  const d = turn.state.draft!;
  const id = turn.state.field!;
  const spec = fieldSpec(id);
  const ctx = await context(turn, spec);
  if (input.type === "choice" && input.value === "skip") return skipField(turn);
  let answer;
  if (input.type === "choice") answer = spec.readChoice?.(input.value, ctx) ?? null;
  else if (input.type === "text") {
    if (id === "photos") return onPhotoStepText(turn, input.text);
    answer = spec.readText ? await spec.readText(input.text, ctx) : null;
  }
  if (!answer) return wrongInput(turn);
  if (!answer.ok) {
    turn.state.failures += 1;
    turn.say(t(answer.error));
    return prompt(turn);
  }
  Object.assign(d, answer.patch);
  d.skipped = d.skipped.filter((f) => f !== id);
  if (id === "phone" && (await offerRoomsOfPhone(turn))) return;
  return advance(turn);
}

const DONE_WORDS = /^(完成|好了|好|没有了?|没了|就这些|不用了|done|finished|no more|that's all|ok)$/i;

async function onPhotoStepText(turn: Turn, text: string): Promise<void> {
  const d = turn.state.draft!;
  if (DONE_WORDS.test(text)) {
    d.photosDone = true;
    return advance(turn);
  }
  if (!hasWords(text)) return wrongInput(turn);
  await hear(turn, text);
  turn.say(t("hear.added"));
  return prompt(turn);
}

/** Skip the current field: straight away when optional, after failed answers when required. */
export async function skipField(turn: Turn): Promise<void> {
  const id = turn.state.field!;
  const spec = fieldSpec(id);
  if (!spec.optional && turn.state.failures < FAILURES_BEFORE_SKIP) {
    turn.say(t("error.required_field", { field: fieldText(id) }));
    return prompt(turn);
  }
  const d = turn.state.draft!;
  Object.assign(d, skipPatch(id));
  if (!d.skipped.includes(id)) d.skipped.push(id);
  return advance(turn);
}

async function onReview(turn: Turn, input: Input): Promise<void> {
  if (input.type === "text" && hasWords(input.text)) {
    await hear(turn, input.text);
    turn.say(t("hear.added"));
    return prompt(turn);
  }
  if (input.type !== "choice") return wrongInput(turn);
  if (input.value === "edit") {
    turn.state.step = "edit";
    return prompt(turn);
  }
  return wrongInput(turn);
}

async function onEdit(turn: Turn, input: Input): Promise<void> {
  if (input.type !== "choice") return wrongInput(turn);
  const d = turn.state.draft!;
  if (input.value === "back") {
    turn.state.step = "review";
    return prompt(turn);
  }
  if (input.value === "edit:kind") {
    turn.state.step = "pick_kind";
    return prompt(turn);
  }
  const field = input.value.slice("edit:".length) as FieldId;
  if (!input.value.startsWith("edit:") || !FLOWS[d.kind!].includes(field)) return wrongInput(turn);
  clearField(d, field);
  turn.state.step = "ask";
  turn.state.field = field;
  turn.state.failures = 0;
  return prompt(turn);
}

function clearField(d: Draft, field: FieldId): void {
  d.skipped = d.skipped.filter((f) => f !== field);
  switch (field) {
    case "property":
    case "room":
      if (field === "property") d.propertyId = undefined;
      d.room = d.roomId = d.zoneId = undefined;
      d.rosterChecked = undefined;
      return;
    case "location":
      d.location = d.place = d.visitTime = undefined;
      return;
    case "photos":
      d.photosDone = false;
      return;
    case "details":
      d.detailsAsked = false;
      return;
    default:
      d[field] = undefined;
      d.fromRoster = d.fromRoster?.filter((f) => f !== field);
  }
}

/**
 * Words that announce another matter whatever the question ("另外还有一件事,…", "also, …"); what
 * follows them is the new matter's description. "还有" alone only counts before a pause: "还有点疼"
 * is more of the same story.
 */
const ANOTHER_MATTER_ZH =
  /^(?:另外|此外|另一件事|顺便(?:说|问|提|反映)一下|还有(?:另外)?(?:一件事情?|一个事|个事|件事|一个问题|个问题)|还有(?=[,,::、 ]))[\s,,::、。!!]*/;
const ANOTHER_MATTER_EN = /^(?:also|another thing|one more thing|another (?:issue|problem|matter)|separately|by the way|btw)\b[\s,:;.!-]*/i;

/**
 * Questions whose answers have a shape (a room, a name, a phone, an option): a different problem
 * typed there is a second matter, not a bad answer. Free-text questions (details, place, since,
 * visit time) and the classification, where more words refine the story (听清楚), only count the
 * announcing words, since "3栋电梯口旁边" may well be a place.
 */
const SHAPED_FIELDS: readonly FieldId[] = ["property", "room", "name", "phone", "location"];
const SHAPED_STEPS: readonly ConversationState["step"][] = ["profile", "review", "edit", "pick_category", "roster_owner", "roster_room"];

/**
 * The words of a second matter typed mid-intake (README "Bad input": the owner chooses which
 * comes first, the other is kept), or null when the text answers the current question. The
 * words come back without the announcing phrase; "" means a matter announced but not yet told.
 */
export function anotherMatter(state: ConversationState, text: string): string | null {
  const d = state.draft;
  if (!d?.description || state.step === "hear" || state.step === "idle") return null;
  const announced = ANOTHER_MATTER_ZH.exec(text) ?? ANOTHER_MATTER_EN.exec(text);
  if (announced) {
    // "另外一个号码 139…" at the phone question is an answer: what follows must name a problem.
    const rest = text.slice(announced[0].length);
    if (!hasWords(rest)) return "";
    return hasTopic(rest) ? rest : null;
  }
  const shaped = state.step === "ask" ? SHAPED_FIELDS.includes(state.field!) : SHAPED_STEPS.includes(state.step);
  if (!shaped || isThin(text)) return null;
  // A problem in the same category is more of the same story, heard at the read-back.
  return hasTopic(text) && classify(text).category !== d.category ? text : null;
}

/** Words about a problem the classifier knows; a question with no topic ("房号是什么意思?") is about the question asked. */
function hasTopic(text: string): boolean {
  const c = classify(text);
  return c.matched && c.category !== "other";
}

/** A new matter while one is unfinished: keep its words, and let the owner choose the order. */
export async function interrupt(turn: Turn, kind: TicketKind | undefined, text: string): Promise<void> {
  if (text) turn.state.pending.push({ text });
  const current = turn.state.draft?.kind;
  turn.ask(
    [current ? t("intr.busy_kind", { kind: kindText(current) }) : t("intr.busy")],
    [
      { value: "intr:continue", label: t("choice.continue_current") },
      // Whether the new matter came with words decides what the switch starts with.
      { value: `intr:switch:${kind ?? "any"}:${text ? "words" : "none"}`, label: t("choice.switch_to_new") },
    ],
  );
}

/** The roster's steps (./roster.ts) go on through these. */
const FLOW: Flow = { advance: (turn) => advance(turn), wrongInput: (turn) => wrongInput(turn) };

export async function wrongInput(turn: Turn): Promise<void> {
  turn.say(t(turn.state.lastChoices.length > 0 ? "error.pick_option" : "error.not_understood"));
  return prompt(turn);
}

export function fileTimeText(due: Date): Text {
  return t("filed.next_reply", { due: time(due) });
}

export { firstReplyDue };
