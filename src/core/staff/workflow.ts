/**
 * What staff do to a ticket, and the owner's rating at the end: claim, unclaim, internal note,
 * reply to the owner, promise the next reply time, resolve; the owner rates 满意 / 较满意 /
 * 不满意. Each step is checked against the status table and the actor's roles, recorded as an
 * event, and yields the notices the owner must get (复清楚: the owner hears of every step).
 * Delivery of notices is the adapters' and the outbox's job.
 */
import { privateChatOf, type Channel } from "../messages.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { Clock } from "../time/clock.js";
import type { EventPatch, NewTicketEvent, TicketPatch, TicketRecord, TicketStore } from "../ticket/store.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import { LEAD_ROLES } from "./roles.js";
import { rolesFor } from "./access.js";
import { escalationReport } from "./announce.js";
import { handleOf, mentionText, type Mention } from "./mention.js";
import { t, type Locale, type Text } from "../text.js";
import { parseTicketNumber } from "../ticket/number.js";
import { isOpen, transition, type ActorKind, type TicketAction, type TicketStatus } from "../ticket/status.js";
import { RATINGS, type Rating } from "../ticket/rating.js";
import type { PropertyStore } from "../property/store.js";
import type { StaffStore } from "./roles.js";
import type { ChatStore } from "./chats.js";
import { deliveries, handedOver, notify, privateMessage, vipTransferAsk, type OwnerNotice } from "./who-is-told.js";
import { nameOf } from "../people/name.js";
import { parseWhen } from "./when.js";

/** Where the seeds' companies work, when neither the company nor the property names a zone. */
const DEFAULT_TIME_ZONE = "Asia/Shanghai";

export type { OwnerNotice };

export { RATINGS, type Rating };

export interface WorkflowDeps {
  readonly store: PersonStore & PropertyStore & TicketStore & StaffStore & ChatStore;
  readonly clock: Clock;
  /** The language of staff groups' messages (zh-CN unless configured). */
  readonly staffLocale?: Locale;
  /** The company's time zone, for times staff type ("next 明天 10:00"), unless the property has its own. */
  readonly timeZone?: string;
  /** The property's time zone (its SLA policy's, if an admin set one). */
  readonly timeZoneOf?: (propertyId: string) => Promise<string>;
}

export interface Actor {
  readonly personId: string;
  readonly channel: Channel;
}

export type StaffCommand =
  | { type: "claim" }
  | { type: "unclaim" }
  | { type: "note"; text: string }
  | { type: "reply"; text: string }
  | { type: "promise"; due: Date }
  | { type: "resolve"; result: string }
  /** 重大投诉: beyond the department's authority, reported to leadership at once (seed 000 §2(2)B). */
  | { type: "escalate"; reason: string }
  /** Hand the work to a department group (工程部, 保洁 ...): its card is posted there. */
  | { type: "transfer"; department: string }
  /** Hand the ticket to a colleague, who follows it from now on; `note` is for them only. */
  | { type: "transfer"; person: Mention; note: string }
  | { type: "reopen"; reason: string }
  /**
   * 回访: staff called the owner back after the work; the owner's rating closes or reopens it. A
   * dissatisfied owner is given the next callback time (`next`, as typed: seed 000 §2(3)A c).
   */
  | { type: "callback"; rating: Rating; note: string; next?: string };


/** Each code is a locale key `workflow.<code>`: what the person is told. */
export const WORKFLOW_ERROR_CODES = [
  "ticket_not_found", "not_staff", "other_zone", "not_assignee", "already_claimed", "already_yours", "not_allowed_now",
  "bad_time", "empty_text", "not_lead", "no_department", "unknown_person", "target_not_staff", "already_assigned",
  "bad_next_time", "next_needs_dissatisfied",
] as const;
export type WorkflowErrorCode = (typeof WORKFLOW_ERROR_CODES)[number];

export type WorkflowResult =
  | { ok: true; ticket: TicketRecord; notices: OwnerNotice[] }
  | { ok: false; code: WorkflowErrorCode; text: Text };

const fail = (code: WorkflowErrorCode, params?: Record<string, string>): WorkflowResult => ({
  ok: false,
  code,
  text: t(`workflow.${code}`, params),
});


async function findTicket(store: PersonStore & PropertyStore & TicketStore & StaffStore & ChatStore, typed: string): Promise<TicketRecord | null> {
  const number = parseTicketNumber(typed);
  return number ? store.ticketByNumber(number) : null;
}

export async function staffAct(deps: WorkflowDeps, actor: Actor, typedNumber: string, cmd: StaffCommand): Promise<WorkflowResult> {
  const { store } = deps;
  const found = await findTicket(store, typedNumber);
  if (!found) return fail("ticket_not_found", { number: typedNumber.slice(0, 20) });
  // Rebound when answering takes a reopened ticket up (takeUpReopened).
  let ticket: TicketRecord = found;
  const all = await store.staffRoles(actor.personId);
  const roles = rolesFor(all, ticket);
  // Another zone's 管家 is staff here, only not of this ticket: say so rather than "not staff".
  if (roles.length === 0) return fail(all.some((r) => r.propertyId === ticket.propertyId) ? "other_zone" : "not_staff");
  const lead = roles.some((r) => LEAD_ROLES.includes(r.role));
  const mine = ticket.assigneeId === actor.personId;
  const me = await store.personById(actor.personId);

  if (cmd.type === "claim") return claim(deps, actor, ticket, me);
  if (cmd.type === "note") {
    if (!cmd.text.trim()) return fail("empty_text");
    await record(deps, ticket, event(deps, actor, "staff", "note", { text: cmd.text }), [], false);
    return { ok: true, ticket, notices: [] };
  }
  if (cmd.type === "escalate") return escalate(deps, actor, ticket, cmd.reason);
  if (cmd.type === "transfer") {
    return "person" in cmd ? transferToPerson(deps, actor, ticket, cmd, mine || lead, me) : transfer(deps, actor, ticket, cmd.department);
  }
  if (cmd.type === "reopen") {
    if (!lead) return fail("not_lead");
    return move(deps, actor, ticket, "reopen", { reason: cmd.reason }, { resolvedAt: null, closedAt: null, countReopen: true }, "staff", [
      notify(ticket, [t("notice.reopened", { number: ticket.number })]),
    ]);
  }
  // Everything else belongs to whoever follows the ticket (跟清楚), or to a lead.
  if (!mine && !lead) {
    const holder = ticket.assigneeId ? await store.personById(ticket.assigneeId) : null;
    return fail("not_assignee", { name: nameOf(holder) });
  }
  switch (cmd.type) {
    case "callback":
      return callback(deps, actor, ticket, cmd);
    case "unclaim":
      return move(deps, actor, ticket, "unclaim", {}, { assigneeId: null });
    case "reply": {
      if (!cmd.text.trim()) return fail("empty_text");
      const taken = await takeUpReopened(deps, actor, ticket);
      if (!taken.ok) return taken;
      ticket = taken.ticket;
      const notice = notify(ticket, [t("notice.reply", { number: ticket.number, text: cmd.text })]);
      // A reply keeps the promise made to the owner (跟清楚): the clock stops until the next one.
      await record(deps, ticket, event(deps, actor, "staff", "reply", { text: cmd.text, ...(await toldByPhone(deps, ticket)) }), [notice], ticket.nextReplyDueAt !== null, {
        nextReplyDueAt: null,
        ...firstResponse(deps, ticket),
      });
      if (ticket.status !== "claimed") return { ok: true, ticket, notices: [notice] };
      // Replying is working on it: the card shows 处理中 from now on.
      const started = await move(deps, actor, ticket, "start", {});
      return started.ok ? { ...started, notices: [notice] } : started;
    }
    case "promise": {
      if (cmd.due.getTime() <= deps.clock.now().getTime()) return fail("bad_time");
      const taken = await takeUpReopened(deps, actor, ticket);
      if (!taken.ok) return taken;
      ticket = taken.ticket;
      const due = { time: cmd.due.toISOString() };
      const notice = notify(ticket, [t("notice.promised", { number: ticket.number, due })]);
      await record(deps, ticket, event(deps, actor, "staff", "reply_promised", { due: cmd.due.toISOString(), ...(await toldByPhone(deps, ticket)) }), [notice], true, {
        nextReplyDueAt: cmd.due,
        ...firstResponse(deps, ticket),
      });
      const updated = (await store.ticketByNumber(ticket.number)) ?? ticket;
      return { ok: true, ticket: updated, notices: [notice] };
    }
    case "resolve": {
      if (!cmd.result.trim()) return fail("empty_text");
      // Resolved again after a reopen: the owner may take it to the general manager's hotline (issue 14 item 2,
      // seed 002 §4.1). The owner desk's `hotline:` button (core/hotline/owner.ts), spelt here: the hotline sits above staff.
      const again = ticket.reopenCount > 0;
      const ask = notify(
        ticket,
        [t("notice.resolved", { number: ticket.number, result: cmd.result }), t("notice.rate_prompt"), ...(again ? [t("hotline.owner.offer")] : [])],
        [...RATINGS.map((r) => ({ value: `rate:${ticket.number}:${r}`, label: t(`rating.${r}`) })), ...(again ? [{ value: `hotline:${ticket.number}`, label: t("hotline.owner.offer_button") }] : [])],
      );
      const now = deps.clock.now();
      return move(deps, actor, ticket, "resolve", { result: cmd.result, ...(await toldByPhone(deps, ticket)) }, { resolvedAt: now, nextReplyDueAt: null, ...firstResponse(deps, ticket) }, "staff", [ask]);
    }
  }
}

/**
 * Answering the owner of a reopened ticket is taking it up again: its follower (or whoever
 * answers, when nobody follows it) claims it first, so its claim clock stops and the card shows
 * who works on it. The owner reads the answer itself, not a "claimed" notice. Anyone else's
 * answer leaves it waiting for its follower.
 */
async function takeUpReopened(deps: WorkflowDeps, actor: Actor, ticket: TicketRecord): Promise<WorkflowResult> {
  if (ticket.status !== "reopened" || (ticket.assigneeId !== null && ticket.assigneeId !== actor.personId)) return { ok: true, ticket, notices: [] };
  return move(deps, actor, ticket, "claim", { takenUpBy: "answer" }, claimedBy(deps, ticket, actor.personId));
}

/**
 * Of two staff claiming at once, the store's compare-and-set lets exactly one win. A reopened
 * ticket is claimed again, by whoever takes it up, its last follower included: that stops its
 * claim clock and tells the owner someone is on it again.
 */
async function claim(deps: WorkflowDeps, actor: Actor, ticket: TicketRecord, me: PersonRecord | null): Promise<WorkflowResult> {
  if (ticket.assigneeId === actor.personId && ticket.status !== "reopened") return fail("already_yours", { number: ticket.number });
  const claimed = notify(ticket, [t("notice.claimed", { number: ticket.number, name: nameOf(me) })]);
  // A reopened ticket taken up by someone else: whoever followed it learns they no longer do.
  const holder = ticket.assigneeId && ticket.assigneeId !== actor.personId ? await deps.store.personById(ticket.assigneeId) : null;
  const told = holder ? privateMessage(holder, holder.locale ?? deps.staffLocale ?? "zh-CN", [t("claim.taken_from_you", { number: ticket.number, name: nameOf(me) })]) : [];
  const result = await move(deps, actor, ticket, "claim", {}, claimedBy(deps, ticket, actor.personId), "staff", [claimed], undefined, told);
  if (result.ok) return result;
  const now = await deps.store.ticketByNumber(ticket.number);
  // Lost to a claim only if someone works it now; resolved or cancelled meanwhile is another answer.
  if (!now || !BEING_WORKED.includes(now.status)) return result;
  if (now.assigneeId && now.assigneeId !== actor.personId) {
    return fail("already_claimed", { name: nameOf(await deps.store.personById(now.assigneeId)) });
  }
  if (now.assigneeId === actor.personId) return fail("already_yours", { number: ticket.number });
  return result;
}

const BEING_WORKED: readonly TicketStatus[] = ["claimed", "in_progress", "waiting_owner"];

async function escalate(deps: WorkflowDeps, actor: Actor, ticket: TicketRecord, reason: string): Promise<WorkflowResult> {
  if (ticket.weight === "major") return fail("not_allowed_now", { number: ticket.number });
  const raised = { ...ticket, weight: "major" as const };
  const report = await escalationReport(deps.store, ticket, deps.staffLocale ?? "zh-CN");
  const notice = notify(ticket, [t("notice.escalated", { number: ticket.number })]);
  const outbox = [...(await deliveries(deps, ticket, [notice], true)), ...report];
  await deps.store.appendEvent(ticket.id, event(deps, actor, "staff", "escalated", { reason }), { weight: "major" }, outbox);
  return { ok: true, ticket: (await deps.store.ticketById(ticket.id)) ?? raised, notices: [notice] };
}

async function transfer(deps: WorkflowDeps, actor: Actor, ticket: TicketRecord, department: string): Promise<WorkflowResult> {
  const chats = (await deps.store.propertyChats(ticket.propertyId, "department")).filter((c) => c.department === department);
  if (chats.length === 0) return fail("no_department", { department: department.slice(0, 20) });
  const outbox = [
    ...(await deliveries(deps, ticket, [], true)),
    ...chats.map((c): NewOutboxMessage => ({ kind: "card", to: { platform: c.platform, chatId: c.chatId }, ticketId: ticket.id })),
    ...(await vipTransferAsk(deps, ticket, department, chats)),
  ];
  await deps.store.appendEvent(ticket.id, event(deps, actor, "staff", "transferred", { department }), undefined, outbox);
  return { ok: true, ticket, notices: [] };
}

/**
 * Hand the ticket to a colleague (转交专人): they follow it from now on (跟清楚: one person to the
 * end), hear of it in their private chat with the reply time the owner was promised, and the owner
 * is told who follows their matter (复清楚). Whoever follows the ticket passes it on, or a lead; an
 * unclaimed one any colleague may hand out, as the front desk gives a repair to the zone's 管家.
 *
 * An unclaimed ticket is claimed on the colleague's behalf, by the status table's `claim` (the
 * first claim's time is kept). A ticket being worked keeps its status and only changes hands, so
 * that is no transition: the table would need a "reassign" from each working status to itself,
 * saying nothing the status does not. It is an event and an assignee patch, written by the same
 * compare-and-set on the status, so a ticket resolved or unclaimed meanwhile is not handed on.
 */
async function transferToPerson(
  deps: WorkflowDeps,
  actor: Actor,
  ticket: TicketRecord,
  cmd: { person: Mention; note: string },
  follows: boolean,
  me: PersonRecord | null,
): Promise<WorkflowResult> {
  const { store } = deps;
  const target = await store.findPerson(actor.channel, handleOf(cmd.person, actor.channel));
  if (!target) return fail("unknown_person", { who: mentionText(cmd.person).slice(0, 40) });
  if (rolesFor(await store.staffRoles(target.id), ticket).length === 0) return fail("target_not_staff", { name: nameOf(target) });
  const claim = transition(ticket.status, "claim", "staff");
  const holder = ticket.assigneeId ? await store.personById(ticket.assigneeId) : null;
  if (!claim.ok) {
    if (!isOpen(ticket.status)) return fail("not_allowed_now", { number: ticket.number });
    if (!follows) return fail("not_assignee", { name: nameOf(holder) });
    if (ticket.assigneeId === target.id) return fail("already_assigned", { number: ticket.number, name: nameOf(target) });
  }
  const notice = notify(ticket, [t("notice.transferred", { number: ticket.number, name: nameOf(target) })]);
  const outbox = [
    ...(await deliveries(deps, ticket, [notice], true)),
    ...privateMessage(target, target.locale ?? deps.staffLocale ?? "zh-CN", await handedOver(deps, ticket, nameOf(me), cmd.note)),
    // The colleague who followed it until now learns they no longer do, unless they passed it on themselves.
    ...(!holder || holder.id === actor.personId || holder.id === target.id
      ? []
      : privateMessage(holder, holder.locale ?? deps.staffLocale ?? "zh-CN", [t("transfer.taken_from_you", { number: ticket.number, name: nameOf(target), by: nameOf(me) })])),
  ];
  const written = await store.applyTransition(
    ticket.id,
    ticket.status,
    claim.ok ? claim.to : ticket.status,
    event(deps, actor, "staff", "transferred", cmd.note ? { to: target.id, note: cmd.note } : { to: target.id }),
    claim.ok ? claimedBy(deps, ticket, target.id) : { assigneeId: target.id },
    () => outbox,
  );
  if (written.ok) return { ok: true, ticket: written.ticket, notices: [notice] };
  if (written.code === "not_found") return fail("ticket_not_found", { number: ticket.number });
  // Someone claimed it in the meantime: say who, as a lost claim race does.
  const taken = claim.ok ? (await store.ticketById(ticket.id))?.assigneeId : null;
  return taken ? fail("already_claimed", { name: nameOf(await store.personById(taken)) }) : fail("not_allowed_now", { number: ticket.number });
}

/**
 * A callback the owner was happy with closes a resolved ticket; an unhappy one reopens it (fixed
 * at once) and may set the next callback time, which the callback reminders chase; without one
 * the policy's time applies again from the next resolution. Every callback ends the last promise.
 */
async function callback(deps: WorkflowDeps, actor: Actor, ticket: TicketRecord, cmd: Extract<StaffCommand, { type: "callback" }>): Promise<WorkflowResult> {
  const { rating, note } = cmd;
  if (ticket.status !== "resolved" && ticket.status !== "closed") return fail("not_allowed_now", { number: ticket.number });
  const now = deps.clock.now();
  let next: Date | null = null;
  if (cmd.next !== undefined) {
    if (rating !== "dissatisfied") return fail("next_needs_dissatisfied");
    const zone = (await deps.timeZoneOf?.(ticket.propertyId)) ?? deps.timeZone ?? DEFAULT_TIME_ZONE;
    const when = parseWhen(cmd.next, now, zone);
    if (!when.ok || when.at.getTime() <= now.getTime()) return fail("bad_next_time");
    next = when.at;
  }
  const data = { rating, note, ...(next ? { next: next.toISOString() } : {}), ...(await toldByPhone(deps, ticket)) };
  await record(deps, ticket, event(deps, actor, "staff", "callback", data), [], false, { calledBackAt: now, rating, nextCallbackAt: next });
  if (rating === "dissatisfied") {
    return move(deps, actor, ticket, "reopen", { rating, callback: true }, { resolvedAt: null, closedAt: null, countReopen: true }, "staff", [], t("alert.dissatisfied", { number: ticket.number }));
  }
  if (ticket.status === "closed") return { ok: true, ticket, notices: [] };
  return move(deps, actor, ticket, "close", { rating, callback: true }, { closedAt: deps.clock.now() });
}

/** The owner's rating of a resolved ticket: satisfied closes it, dissatisfied reopens it. */
export async function ownerRate(deps: WorkflowDeps, actor: Actor, typedNumber: string, rating: Rating): Promise<WorkflowResult> {
  const ticket = await findTicket(deps.store, typedNumber);
  if (!ticket || ticket.ownerId !== actor.personId) return fail("ticket_not_found", { number: typedNumber.slice(0, 20) });
  if (ticket.status !== "resolved") return fail("not_allowed_now", { number: ticket.number });
  await record(deps, ticket, event(deps, actor, "owner", "rated", { rating }), [], false, { calledBackAt: deps.clock.now(), rating, nextCallbackAt: null });
  // The owner reads the answer in the chat they pressed the button in, so no notice is queued.
  const result =
    rating === "dissatisfied"
      ? await move(deps, actor, ticket, "reopen", { rating }, { resolvedAt: null, countReopen: true }, "owner", [], t("alert.dissatisfied", { number: ticket.number }))
      : await move(deps, actor, ticket, "close", { rating }, { closedAt: deps.clock.now() }, "owner");
  if (!result.ok) return result;
  const key = rating === "dissatisfied" ? "notice.reopened" : "notice.rated_thanks";
  return { ...result, notices: [notify(ticket, [t(key, { number: ticket.number })])] };
}

async function move(
  deps: WorkflowDeps,
  actor: Actor,
  ticket: TicketRecord,
  action: TicketAction,
  data: Record<string, unknown>,
  patch: TicketPatch = {},
  actorKind: ActorKind = "staff",
  notices: OwnerNotice[] = [],
  staffAlert?: Text,
  /** More messages the step causes, written with it. */
  extra: readonly NewOutboxMessage[] = [],
): Promise<WorkflowResult> {
  const decided = transition(ticket.status, action, actorKind);
  if (!decided.ok) return fail("not_allowed_now", { number: ticket.number });
  // An alert ("the owner is not satisfied") is queued before the card refresh: each chat's messages
  // go out in order, so the group reads it before the card offers 受理 again (issue 11 §8).
  const alerted = staffAlert ? await deliveries(deps, ticket, [], false, staffAlert) : [];
  const outbox = [...alerted, ...(await deliveries(deps, ticket, notices, true)), ...extra];
  const written = await deps.store.applyTransition(
    ticket.id,
    ticket.status,
    decided.to,
    event(deps, actor, actorKind, "transition", { action, ...data }, ticket.status, decided.to),
    patch,
    () => outbox,
  );
  if (written.ok) return { ok: true, ticket: written.ticket, notices };
  if (written.code === "not_found") return fail("ticket_not_found", { number: ticket.number });
  return fail("not_allowed_now", { number: ticket.number });
}

/** Append an event with its notices (and a card refresh when the card shows what changed). */
async function record(
  deps: WorkflowDeps,
  ticket: TicketRecord,
  e: NewTicketEvent,
  notices: OwnerNotice[],
  refreshCard: boolean,
  patch?: EventPatch,
): Promise<void> {
  await deps.store.appendEvent(ticket.id, e, patch, await deliveries(deps, ticket, notices, refreshCard));
}

function event(
  deps: WorkflowDeps,
  actor: Actor,
  actorKind: ActorKind,
  type: NewTicketEvent["type"],
  data: Record<string, unknown>,
  fromStatus: TicketStatus | null = null,
  toStatus: TicketStatus | null = null,
): NewTicketEvent {
  return { at: deps.clock.now(), type, actorKind, actorId: actor.personId, channel: actor.channel, fromStatus, toStatus, data };
}

/**
 * An owner by phone (issue 12 item 2: recorded at the front desk, on no chat platform) hears
 * nothing from the bot: what staff record is what they told the owner by phone, and the history
 * says so. A patrol finding has no owner to tell.
 */
export async function ownerByPhone(store: PersonStore, ticket: TicketRecord): Promise<boolean> {
  if (ticket.source === "chat" || ticket.source === "patrol") return false;
  const owner = await store.personById(ticket.ownerId);
  return owner !== null && !privateChatOf(owner);
}

async function toldByPhone(deps: WorkflowDeps, ticket: TicketRecord): Promise<{ byPhone?: true }> {
  return (await ownerByPhone(deps.store, ticket)) ? { byPhone: true } : {};
}

/** A claim's patch: the ticket is the person's now; the first claim's time stays (the claim-on-time rate counts it). */
function claimedBy(deps: WorkflowDeps, ticket: TicketRecord, personId: string): TicketPatch {
  return { assigneeId: personId, claimedAt: ticket.claimedAt ?? deps.clock.now() };
}

/** 复清楚: the first time the owner hears about the handling; the feedback-on-time rate counts it. */
function firstResponse(deps: WorkflowDeps, ticket: TicketRecord): { firstResponseAt?: Date } {
  return ticket.firstResponseAt ? {} : { firstResponseAt: deps.clock.now() };
}
