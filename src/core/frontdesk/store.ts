/**
 * What the front desk reads and writes beyond tickets: owners of earlier tickets by room or
 * phone (implemented in src/infra/prisma/frontdesk.ts) and the scribe's draft, kept as a
 * conversation under its own key.
 */
import type { OwnerCandidate } from "./draft.js";

export interface FrontDeskStore {
  /**
   * Owners of the property's earlier tickets with this room label or contact phone, newest
   * first, one per person: whoever filed in chat is reachable there (issue 12, item 2).
   */
  earlierOwners(propertyId: string, match: { roomLabel?: string; phone?: string }): Promise<OwnerCandidate[]>;
}
