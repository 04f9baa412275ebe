/**
 * The steps after the measures (§4.5-§4.6), as staff type them:
 *   /hlcall HL2026-0001 first|second|closing|stage 满意|较满意|不满意 [what the owner said]
 *   /hlfeedback HL2026-0001 满意 [what was done]   the 处理回访表 returned to the quality office (§4.5.1)
 *   /hldone HL2026-0001 [result]                   the property reports the case done
 * Who may take each, and from which status: the department head makes the first callback
 * (§4.6.1), the property head the second once it is done (§4.6.1) and answers for the feedback
 * (§3.2.3); the officer the closing callback on a done case and stage callbacks on one in hand
 * (§4.6.2). A closing callback that finds the owner satisfied closes the case (结案).
 */
import type { Rating } from "../ticket/rating.js";
import { headedProperties, isQualityOffice, type HotlineViewer } from "./access.js";
import { CALLBACK_KINDS, type CallbackKind, type HotlineCaseRecord, type HotlineEventType, type HotlineStatus } from "./case.js";

export const STEP_COMMANDS = ["hlcall", "hlfeedback", "hldone"] as const;
export type StepCommandName = (typeof STEP_COMMANDS)[number];

export type Step =
  | { readonly type: "callback"; readonly kind: CallbackKind; readonly rating: Rating; readonly note: string }
  | { readonly type: "feedback"; readonly rating: Rating; readonly note: string }
  | { readonly type: "done"; readonly note: string };

const RATING_WORDS: readonly [RegExp, Rating][] = [
  [/^(满意|satisfied)$/i, "satisfied"],
  [/^(较满意|基本满意|fairly)$/i, "fairly"],
  [/^(不满意|dissatisfied|unsatisfied)$/i, "dissatisfied"],
];
const ratingOf = (word: string | undefined): Rating | undefined => RATING_WORDS.find(([re]) => re.test(word ?? ""))?.[1];
const KIND_WORDS: Readonly<Record<string, CallbackKind>> = { 第一次: "first", 首次: "first", 第二次: "second", 结案: "closing", 阶段: "stage", 阶段性: "stage" };

/** The words after the case number; null when they do not read as the command's usage. */
export function parseStep(command: StepCommandName, words: readonly string[]): Step | null {
  if (command === "hldone") return { type: "done", note: words.join(" ").trim() };
  if (command === "hlfeedback") {
    const rating = ratingOf(words[0]);
    return rating ? { type: "feedback", rating, note: words.slice(1).join(" ").trim() } : null;
  }
  const typed = (words[0] ?? "").toLowerCase();
  const kind = (CALLBACK_KINDS as readonly string[]).includes(typed) ? (typed as CallbackKind) : KIND_WORDS[typed];
  const rating = ratingOf(words[1]);
  return kind && rating ? { type: "callback", kind, rating, note: words.slice(2).join(" ").trim() } : null;
}

const isHead = (v: HotlineViewer, c: Pick<HotlineCaseRecord, "propertyId">) => v.chat === "private" && headedProperties(v).includes(c.propertyId);
const isDepartmentHead = (v: HotlineViewer, c: Pick<HotlineCaseRecord, "departmentHeadId">) => v.chat === "private" && c.departmentHeadId === v.personId;
const isOfficer = (v: HotlineViewer) => isQualityOffice(v) && v.companyRoles.includes("hotline_officer");

export function mayTake(v: HotlineViewer, c: HotlineCaseRecord, step: Step): boolean {
  if (step.type === "callback") {
    if (step.kind === "first") return isDepartmentHead(v, c) || isHead(v, c);
    if (step.kind === "second") return isHead(v, c);
    return isOfficer(v);
  }
  return isDepartmentHead(v, c) || isHead(v, c);
}

export interface StepMove {
  readonly event: HotlineEventType;
  readonly from: readonly HotlineStatus[];
  readonly to?: HotlineStatus;
}

/** Which event the step records, from which statuses, and where it moves the case. */
export function moveOf(step: Step): StepMove {
  switch (step.type) {
    case "done":
      return { event: "done", from: ["in_hand"], to: "done" };
    case "feedback":
      return { event: "feedback", from: ["in_hand", "done"] };
    case "callback":
      switch (step.kind) {
        case "first":
          return { event: "callback_first", from: ["in_hand", "done"] };
        case "second":
          return { event: "callback_second", from: ["done"] };
        case "stage":
          return { event: "callback_stage", from: ["in_hand"] };
        case "closing":
          // 结案回访 on a case reported done; an owner not satisfied sends it back to be handled.
          return { event: "callback_closing", from: ["done"], to: step.rating === "satisfied" ? "closed" : "in_hand" };
      }
  }
}
