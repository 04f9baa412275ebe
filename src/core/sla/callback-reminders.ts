/**
 * Callback reminders (回访, every few minutes): each resolved ticket's callback, planned by
 * severity (./callback-plan.ts), climbs its ladder — level 1 tells the person responsible to call
 * (the director's chat for what the director calls back, seed 000 §2(3)A a; the follower in
 * private; the staff group when neither can be reached), level 2 tells the staff group it is late,
 * level 3 goes one level up. Each level is one ledger post keyed by the ticket, the due time and
 * the level, so a repeated run posts nothing twice; a callback made (or a rating) ends it, and a
 * new due time (a next callback promised, a new resolution) is a new ladder. The staff group a
 * rung goes to is one that sees the ticket's zone (issue 13 §3, ./recipients.ts).
 */
import type { TicketRecord } from "../ticket/store.js";
import type { PostResult } from "../scheduled/ledger.js";
import { messagesTo, reachable, recipientsOf, type Recipient } from "./recipients.js";
import { isLate, tally } from "../scheduled/run.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import type { PropertyStore } from "../property/store.js";
import type { StaffStore } from "../staff/roles.js";
import type { ChatStore } from "../staff/chats.js";
import type { SlaStore } from "../sla/store.js";
import type { Job, PostingDeps } from "../scheduled/run.js";
import type { Level } from "./deadlines.js";
import { dueCallback, type DueCallback } from "./callback-plan.js";
import { callbackTexts } from "./callback-notices.js";
import type { Locale } from "../text.js";

/** What this job uses of the ports src/jobs/job.ts hands every job. */
export interface CallbackRemindersDeps extends PostingDeps {
  readonly store: PersonStore & PropertyStore & StaffStore & ChatStore;
  readonly sla: SlaStore;
}

export const CALLBACK_JOB = "callback_reminders";

/** Resolved tickets looked at per property and run; the longest-waiting first. */
const LISTED = 500;
const LEVELS: readonly Level[] = [1, 2, 3];

type Store = CallbackRemindersDeps["store"];

export const callbackReminders: Job<CallbackRemindersDeps> = async (deps, now) => {
  const results: PostResult[] = [];
  for (const property of await deps.store.properties()) {
    const policy = await deps.sla.policyOf(property.id);
    for (const ticket of await deps.sla.awaitingCallback(property.id, now, LISTED)) {
      const callback = dueCallback(ticket, policy);
      if (callback) results.push(...(await climb(deps, now, ticket, callback)));
    }
  }
  return tally(results);
};

/** The ladder's levels reached by `now` and not posted yet, lowest first. */
async function climb(deps: CallbackRemindersDeps, now: Date, ticket: TicketRecord, callback: DueCallback): Promise<PostResult[]> {
  const reached = LEVELS.filter((l) => callback.levels[l].getTime() <= now.getTime());
  if (reached.length === 0) return [];
  // A new resolution, or a next callback promised (which follows one), is a new ladder.
  const period = `${ticket.id}:callback:${ticket.resolvedAt!.toISOString()}:${callback.due.toISOString()}`;
  // Levels are posted lowest first: once the highest reached one is made, all are.
  if (await deps.ledger.find({ job: CALLBACK_JOB, period, target: `level:${reached.at(-1)}` })) return [];
  const follower = ticket.assigneeId ? await deps.store.personById(ticket.assigneeId) : null;
  const results: PostResult[] = [];
  for (const level of reached) {
    const recipients = await recipientsAt(deps.store, ticket, callback, level, follower, deps.staffLocale);
    // Nobody to tell (no chat bound yet): nothing is recorded, so a later run still tells them.
    if (recipients.length === 0) continue;
    const scheduledFor = callback.levels[level];
    const late = isLate(now, scheduledFor);
    results.push(
      await deps.ledger.post(
        { job: CALLBACK_JOB, period, target: `level:${level}` },
        {
          scheduledFor,
          at: now,
          late,
          data: { ticket: ticket.number, due: callback.due.toISOString(), by: callback.by, promised: callback.promised, level, to: recipients.map((r) => `${r.to.platform}:${r.to.chatId}`) },
          outbox: messagesTo(recipients, callbackTexts(ticket, callback, level, follower, late ? scheduledFor : null), ticket.id),
        },
      ),
    );
  }
  return results;
}

/** Level 1: the person responsible; 2: the staff group; 3: one level up (the property head above a director). */
async function recipientsAt(store: Store, ticket: TicketRecord, callback: DueCallback, level: Level, follower: PersonRecord | null, locale: Locale): Promise<Recipient[]> {
  if (level === 2) return recipientsOf(store, ticket, "staff", locale);
  if (level === 3) {
    if (callback.by === "follower") return recipientsOf(store, ticket, "up", locale);
    const heads = reachableOf(await store.staffOf(ticket.propertyId, "property_head"), locale);
    return heads.length > 0 ? heads : recipientsOf(store, ticket, "staff", locale);
  }
  if (callback.by === "follower") {
    const direct = follower && reachable(follower, locale);
    return direct ? [direct] : recipientsOf(store, ticket, "staff", locale);
  }
  const chats = (await store.propertyChats(ticket.propertyId, "director")).map((c): Recipient => ({ to: { platform: c.platform, chatId: c.chatId }, locale, group: true }));
  if (chats.length > 0) return chats;
  const directors = reachableOf(await store.staffOf(ticket.propertyId, "director"), locale);
  return directors.length > 0 ? directors : recipientsOf(store, ticket, "staff", locale);
}

const reachableOf = (people: readonly PersonRecord[], locale: Locale): Recipient[] =>
  people.map((p) => reachable(p, locale)).filter((r): r is Recipient => r !== null);
