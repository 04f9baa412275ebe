/**
 * The facts a draft is written from, and the draft written without a model: both from the
 * ticket and the history the owner has already seen (replies, promises, the result; never an
 * internal note, seed 002 §4.8 keeps those among staff).
 */
import type { TicketEventRecord, TicketRecord } from "../ticket/store.js";
import { t, type MessageKey, type Text } from "../text.js";
import { truncate } from "../util/input.js";
import type { DraftFacts, ToldLine } from "./port.js";

/** Long enough to keep a rant's point, short enough for a prompt or a sentence. */
const WORDS_MAX = 600;
const TOLD_MAX = 8;

export function draftFacts(ticket: TicketRecord, events: readonly TicketEventRecord[], gist: string): DraftFacts {
  const told: ToldLine[] = [];
  for (const e of events) {
    const at = e.at.toISOString();
    if (e.type === "reply" && typeof e.data.text === "string") told.push({ at, kind: "reply", text: e.data.text });
    else if (e.type === "reply_promised" && typeof e.data.due === "string") told.push({ at, kind: "promise", text: e.data.due });
    else if (e.type === "transition" && e.toStatus === "resolved" && typeof e.data.result === "string") told.push({ at, kind: "resolved", text: e.data.result });
  }
  return {
    number: ticket.number,
    kind: ticket.kind,
    category: ticket.category,
    status: ticket.status,
    description: truncate(ticket.description.replace(/\s+/g, " ").trim(), WORDS_MAX),
    ownerLocale: ticket.locale,
    nextReplyDueAt: ticket.nextReplyDueAt?.toISOString() ?? null,
    told: told.slice(-TOLD_MAX).map((l) => ({ ...l, text: truncate(l.text, WORDS_MAX) })),
    gist: gist.trim(),
  };
}

/**
 * 复清楚 without a model: the matter by its number, where it stands (the process) or the staff
 * member's gist, and when the owner hears next. One text, rendered in the owner's locale.
 */
export function templateDraft(f: DraftFacts): Text {
  const done = f.status === "resolved" || f.status === "closed";
  const status = f.gist ? t("draft.template.gist", { gist: f.gist.replace(/[。.!！?？;；,，\s]+$/u, "") }) : t(STAGE_KEYS[stage(f)]);
  const next = done ? t("draft.template.rate") : f.nextReplyDueAt ? t("draft.template.next", { due: { time: f.nextReplyDueAt } }) : t("draft.template.next_soon");
  return t("draft.template", { number: f.number, matter: truncate(f.description, 40), status, next });
}

type Stage = "received" | "working" | "waiting" | "done";

const STAGE_KEYS = {
  received: "draft.template.status.received",
  working: "draft.template.status.working",
  waiting: "draft.template.status.waiting",
  done: "draft.template.status.done",
} as const satisfies Record<Stage, MessageKey>;

function stage(f: DraftFacts): Stage {
  switch (f.status) {
    case "new":
    case "reopened":
      return "received";
    case "waiting_owner":
      return "waiting";
    case "resolved":
    case "closed":
    case "cancelled":
      return "done";
    default:
      return "working";
  }
}
