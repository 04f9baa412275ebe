/**
 * The overdue sweep (every few minutes): each passed deadline of each open ticket climbs the
 * ladder — the assignee is reminded at the deadline, the staff group told one step later, one
 * level up one more step later — and an unsolved complaint goes up in writing after 7 days
 * (src/core/sla/deadlines.ts). Every level is one ledger post keyed by the ticket, the deadline
 * (kind and due time) and the level, so a repeated run, a catch-up or a second instance posts
 * nothing twice; a deadline met in the meantime (claimed, replied, resolved) is simply gone.
 */
import type { PostResult } from "../scheduled/ledger.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import type { TicketRecord } from "../ticket/store.js";
import { audienceOf, deadlinePeriod, levelAt, levelTarget, openDeadlines, reachedLevels, type Deadline } from "./deadlines.js";
import { overdueTexts } from "./notices.js";
import { vipClaimMinutes, type SlaPolicy } from "./policy.js";
import { messagesTo, recipientsOf } from "./recipients.js";
import { isLate, tally, type JobResult } from "../scheduled/run.js";
import type { PropertyStore } from "../property/store.js";
import type { StaffStore } from "../staff/roles.js";
import type { ChatStore } from "../staff/chats.js";
import type { SlaStore } from "../sla/store.js";
import type { Logger } from "../logger.js";
import type { Job, PostingDeps } from "../scheduled/run.js";

/** What this job uses of the ports src/jobs/job.ts hands every job. */
export interface OverdueSweepDeps extends PostingDeps {
  readonly store: PersonStore & PropertyStore & StaffStore & ChatStore;
  readonly sla: SlaStore;
  readonly logger: Logger;
}

export const OVERDUE_JOB = "overdue_sweep";

const MINUTE = 60_000;
/** Candidates read per property and kind of deadline; a backlog larger than this is logged. */
const CANDIDATES = 1_000;

export const overdueSweep: Job<OverdueSweepDeps> = async (deps, now) => {
  let posted = 0;
  let skipped = 0;
  for (const property of await deps.store.properties()) {
    const policy = await deps.sla.policyOf(property.id);
    const tickets = await deps.sla.sweepCandidates({
      propertyId: property.id,
      // A business-minute clock never runs faster than the wall clock: these bounds miss nothing.
      awaitingClaimBefore: new Date(now.getTime() - Math.min(policy.claimMinutes, policy.majorClaimMinutes, vipClaimMinutes(policy)) * MINUTE),
      replyDueBefore: now,
      complaintsFiledBefore: new Date(now.getTime() - policy.complaintEscalateMinutes * MINUTE),
      limit: CANDIDATES,
    });
    if (tickets.length >= CANDIDATES) deps.logger.warn(`overdue sweep: ${property.code} has ${tickets.length}+ candidates; the oldest are swept first`);
    for (const ticket of tickets) {
      const assignee = ticket.assigneeId ? await deps.store.personById(ticket.assigneeId) : null;
      for (const deadline of openDeadlines(ticket, policy)) {
        const r = await sweepDeadline(deps, now, policy, ticket, assignee, deadline);
        posted += r.posted;
        skipped += r.skipped;
      }
    }
  }
  return { posted, skipped };
};

async function sweepDeadline(deps: OverdueSweepDeps, now: Date, policy: SlaPolicy, ticket: TicketRecord, assignee: PersonRecord | null, deadline: Deadline): Promise<JobResult> {
  const levels = reachedLevels(deadline, now, policy);
  if (levels.length === 0) return { posted: 0, skipped: 0 };
  const period = deadlinePeriod(ticket.id, deadline);
  // Levels are posted lowest first, so once the highest reached one is made, all are: one read
  // per deadline and sweep instead of one per level.
  if (await deps.ledger.find({ job: OVERDUE_JOB, period, target: levelTarget(levels.at(-1)!) })) return { posted: 0, skipped: levels.length };
  const results: PostResult[] = [];
  for (const level of levels) {
    const scheduledFor = levelAt(deadline, level, policy);
    const late = isLate(now, scheduledFor);
    const recipients = await recipientsOf(deps.store, ticket, audienceOf(deadline, level), deps.staffLocale);
    // Nobody to tell (no chat bound yet): nothing is recorded, so a later sweep still tells them.
    if (recipients.length === 0) continue;
    results.push(
      await deps.ledger.post(
        { job: OVERDUE_JOB, period, target: levelTarget(level) },
        {
          scheduledFor,
          at: now,
          late,
          data: { ticket: ticket.number, deadline: deadline.kind, due: deadline.due.toISOString(), level, to: recipients.map((r) => `${r.to.platform}:${r.to.chatId}`) },
          outbox: messagesTo(recipients, overdueTexts(ticket, deadline, level, assignee, late ? scheduledFor : null, policy), ticket.id),
        },
      ),
    );
  }
  return tally(results);
}
