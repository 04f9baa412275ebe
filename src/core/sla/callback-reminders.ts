/**
 * Callback reminders (回访, e.g. twice a day): resolved tickets whose callback is due (resolved a
 * few hours ago, so the owner could rate first) or overdue (past resolution + 24 h, seed 002
 * §4.6.1), one list per responsible person — the assignee, or the staff group when there is
 * none or they cannot be reached. One post per person (or chat) per run slot, through the
 * ledger. A chat's list holds the tickets it sees: a zone's staff group only its zone's and the
 * unzoned ones (issue 13 §3), a property-wide group all.
 */
import type { TicketRecord } from "../ticket/store.js";
import type { PostResult } from "../scheduled/ledger.js";
import { callbackTexts, type CallbackItem } from "./notices.js";
import { messagesTo, reachable, recipientsOf, type Recipient } from "./recipients.js";
import { isLate, tally } from "../scheduled/run.js";
import type { PersonStore } from "../people/store.js";
import type { PropertyStore } from "../property/store.js";
import type { StaffStore } from "../staff/roles.js";
import type { ChatStore } from "../staff/chats.js";
import type { SlaStore } from "../sla/store.js";
import type { Job, PostingDeps } from "../scheduled/run.js";

/** What this job uses of the ports src/jobs/job.ts hands every job. */
export interface CallbackRemindersDeps extends PostingDeps {
  readonly store: PersonStore & PropertyStore & StaffStore & ChatStore;
  readonly sla: SlaStore;
}

export const CALLBACK_JOB = "callback_reminders";

const MINUTE = 60_000;
/** Resolved tickets listed per property and run; the longest-waiting first. */
const LISTED = 500;

interface Group {
  readonly recipients: readonly Recipient[];
  readonly items: CallbackItem[];
}

export const callbackReminders: Job<CallbackRemindersDeps> = async (deps, now, slot) => {
  const results: PostResult[] = [];
  const late = isLate(now, slot);
  for (const property of await deps.store.properties()) {
    const policy = await deps.sla.policyOf(property.id);
    const resolved = await deps.sla.awaitingCallback(property.id, new Date(now.getTime() - policy.callbackRemindAfterMinutes * MINUTE), LISTED);
    const groups = new Map<string, Group>();
    for (const ticket of resolved.filter(notCalledBack)) {
      const due = new Date(ticket.resolvedAt!.getTime() + policy.callbackMinutes * MINUTE);
      const item = { ticket, due, overdue: due.getTime() <= now.getTime() };
      const assignee = ticket.assigneeId ? await deps.store.personById(ticket.assigneeId) : null;
      const direct = assignee && reachable(assignee, deps.staffLocale);
      const recipients = direct ? [direct] : await recipientsOf(deps.store, ticket, "staff", deps.staffLocale);
      for (const r of recipients) {
        const target = direct ? assignee.id : `staff:${property.id}:${r.to.platform}:${r.to.chatId}`;
        const group = groups.get(target) ?? { recipients: [r], items: [] };
        groups.set(target, group);
        group.items.push(item);
      }
    }
    for (const [target, { recipients, items }] of groups) {
      if (recipients.length === 0) continue;
      items.sort((a, b) => a.due.getTime() - b.due.getTime());
      results.push(
        await deps.ledger.post(
          { job: CALLBACK_JOB, period: slot.toISOString(), target },
          {
            scheduledFor: slot,
            at: now,
            late,
            data: { property: property.code, tickets: items.map((i) => i.ticket.number), overdue: items.filter((i) => i.overdue).length },
            outbox: messagesTo(recipients, callbackTexts(items, late ? slot : null)),
          },
        ),
      );
    }
  }
  return tally(results);
};

/** A callback or rating made after the (latest) resolution settles it. */
const notCalledBack = (t: TicketRecord): boolean => t.resolvedAt !== null && (t.calledBackAt === null || t.calledBackAt < t.resolvedAt);
