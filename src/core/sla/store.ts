/**
 * The SlaStore port: a property's policy and overrides, and the indexed reads the SLA jobs need
 * (implemented in src/infra/prisma/sla.ts). Kept apart from the shared Store port: only the SLA
 * jobs, the admin tool and filing use it.
 */
import type { TicketRecord } from "../ticket/store.js";
import type { SlaOverrides, SlaPolicy } from "./policy.js";

/** What may have a passed deadline in a property; bounds are lower bounds, the core decides. */
export interface SweepQuery {
  readonly propertyId: string;
  /** Tickets waiting for a claim (new or reopened) since at or before this. */
  readonly awaitingClaimBefore: Date;
  /** Open tickets whose promised reply is at or before this. */
  readonly replyDueBefore: Date;
  /** Open complaints filed at or before this. */
  readonly complaintsFiledBefore: Date;
  /** Per kind of deadline, oldest first. */
  readonly limit: number;
}

export interface SlaStore {
  /** The defaults with the property's overrides; a stored override that no longer reads fails loudly. */
  policyOf(propertyId: string): Promise<SlaPolicy>;
  overridesOf(propertyId: string): Promise<SlaOverrides>;
  /** Replace the property's overrides (an empty set returns it to the defaults). */
  setOverrides(propertyId: string, overrides: SlaOverrides, at: Date): Promise<void>;
  /** Tickets that may have a passed claim, reply or 7-day deadline, each once. */
  sweepCandidates(query: SweepQuery): Promise<TicketRecord[]>;
  /** Resolved (已处理) tickets of a property resolved at or before `resolvedBefore`, oldest first. */
  awaitingCallback(propertyId: string, resolvedBefore: Date, limit: number): Promise<TicketRecord[]>;
}
