/**
 * When the owner is told they will hear back at filing (跟清楚: "fix the next reply time",
 * seed 000 §2(2)A c). It comes from the property's SLA policy (src/core/sla/policy.ts): business
 * minutes by kind, so a repair filed at 21:00 is promised for the next morning, not midnight;
 * a major matter's promise runs on the wall clock (五清楚's 报告, seed 000 §2(2)A f); a VIP's is
 * the shorter `vip.reply` (issue 13 §2).
 */
import { firstReplyDue as dueUnder } from "./deadlines.js";
import { DEFAULT_SLA_POLICY, type SlaPolicy } from "./policy.js";
import type { TicketKind, TicketWeight } from "../ticket/kinds.js";

/** A property's SLA policy, injected where filing happens (the SlaStore's `policyOf`). */
export type PolicyLookup = (propertyId: string) => Promise<SlaPolicy>;

/** Under `policy`, or the seeds' defaults when no lookup was wired. */
export function firstReplyDue(kind: TicketKind, weight: TicketWeight, filedAt: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY, vip = false): Date {
  return dueUnder(kind, weight, filedAt, policy, vip);
}
