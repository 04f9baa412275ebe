/** Housekeeping deletes for the prune job (src/jobs/prune.ts). */
import type { MaintenanceStore } from "../../core/scheduled/prune.js";
import type { Ctx } from "./db.js";

export function createMaintenance({ db }: Ctx): MaintenanceStore {
  return {
    async prune(updatesBefore, sentBefore) {
      const updates = await db.processedUpdate.deleteMany({ where: { at: { lt: updatesBefore } } });
      const messages = await db.outboxMessage.deleteMany({ where: { status: "sent", sentAt: { lt: sentBefore } } });
      return { updates: updates.count, messages: messages.count };
    },
  };
}
