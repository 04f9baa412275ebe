/** Housekeeping deletes for the prune job (src/jobs/prune.ts). */
import type { MaintenanceStore } from "../../core/scheduled/prune.js";
import type { Ctx } from "./db.js";

export function createMaintenance({ db }: Ctx): MaintenanceStore {
  return {
    async prune(updatesBefore, sentBefore) {
      const updates = await db.processedUpdate.deleteMany({ where: { at: { lt: updatesBefore } } });
      // Kept updates older than that were handled, or replayed at a start and given up.
      await db.inboxUpdate.deleteMany({ where: { receivedAt: { lt: updatesBefore } } });
      const messages = await db.outboxMessage.deleteMany({ where: { status: "sent", sentAt: { lt: sentBefore } } });
      return { updates: updates.count, messages: messages.count };
    },
  };
}
