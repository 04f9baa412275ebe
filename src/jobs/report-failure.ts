/**
 * A job that fails is retried by the scheduler and reported here, once per failing slot, to the
 * admins of every property in their private chats ("never silently dropped"). The report goes
 * through the ledger like any post, so two instances failing the same slot report it once.
 */
import type { NewOutboxMessage } from "../core/outbox.js";
import type { PersonRecord } from "../core/people/store.js";
import { privateChatOf } from "../core/messages.js";
import { t, type MessageKey } from "../core/text.js";
import type { JobDeps } from "./job.js";

export async function reportJobFailure(deps: JobDeps, job: string, slot: Date, error: unknown, now: Date): Promise<void> {
  const admins = new Map<string, PersonRecord>();
  for (const property of await deps.store.properties()) {
    for (const person of await deps.store.staffOf(property.id, "admin")) admins.set(person.id, person);
  }
  const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  const outbox: NewOutboxMessage[] = [...admins.values()].flatMap((p): NewOutboxMessage[] => {
    const to = privateChatOf(p);
    const text = [t("jobs.failed", { job: t(`jobs.name.${job}` as MessageKey), slot: { time: slot.toISOString() }, reason })];
    return to ? [{ kind: "message", to, body: { locale: p.locale ?? deps.staffLocale, text } }] : [];
  });
  await deps.ledger.post({ job: "job_failed", period: `${job}:${slot.toISOString()}`, target: "admins" }, { scheduledFor: slot, at: now, late: false, data: { reason }, outbox });
}
