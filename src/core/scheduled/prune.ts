/**
 * Forgets what can no longer matter: ids of platform updates (a webhook retry comes within
 * minutes, Telegram keeps undelivered updates for 24 hours) and outbox rows sent long ago.
 * Messages that failed for good ("dead") are kept for the admin to look at.
 */
import type { JobResult } from "./run.js";

/** What this job uses of the ports src/jobs/job.ts hands every job. */
export interface PruneDeps {
  readonly maintenance: MaintenanceStore;
}

const DAY = 24 * 3_600_000;
export const KEEP_UPDATE_IDS_MS = 7 * DAY;
export const KEEP_SENT_MESSAGES_MS = 30 * DAY;

export interface MaintenanceStore {
  /** Delete processed-update ids seen before `updatesBefore` and outbox rows sent before `sentBefore`. */
  prune(updatesBefore: Date, sentBefore: Date): Promise<{ updates: number; messages: number }>;
}

export async function prune(deps: PruneDeps, now: Date): Promise<JobResult> {
  await deps.maintenance.prune(new Date(now.getTime() - KEEP_UPDATE_IDS_MS), new Date(now.getTime() - KEEP_SENT_MESSAGES_MS));
  return { posted: 0, skipped: 0 };
}
