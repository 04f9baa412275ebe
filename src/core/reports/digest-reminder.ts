/**
 * 09:00: a digest not yet signed (已阅) is reminded to the director once, with the button again
 * (seed 000 §3 item 4 asks for the sign-off before 09:00). Once per property and day through the
 * ledger; a digest already signed, or never posted, gets no reminder.
 */
import { propertyLabel } from "../property/store.js";
import { digestKey, propertyTimeZone, signDeadline } from "./digest.js";
import { t } from "../text.js";
import { time } from "../ticket/views.js";
import { localDay } from "../time/zone.js";
import { toDirectors } from "./director-digest.js";
import { isLate, tally } from "../scheduled/run.js";
import type { PersonStore } from "../people/store.js";
import type { PropertyStore } from "../property/store.js";
import type { StaffStore } from "../staff/roles.js";
import type { ChatStore } from "../staff/chats.js";
import type { SlaStore } from "../sla/store.js";
import type { Job, PostingDeps } from "../scheduled/run.js";

/** What this job uses of the ports src/jobs/job.ts hands every job. */
export interface DigestReminderDeps extends PostingDeps {
  readonly store: PersonStore & PropertyStore & StaffStore & ChatStore;
  readonly sla: SlaStore;
  readonly timeZone: string;
}

export const REMINDER_JOB = "digest_reminder";

export const digestReminder: Job<DigestReminderDeps> = async (deps, now, slot) => {
  const results = [];
  for (const property of await deps.store.properties()) {
    const timeZone = await propertyTimeZone(deps.sla, deps.timeZone, property.id);
    const date = localDay(slot, timeZone, -1).key;
    const digest = await deps.ledger.find(digestKey(property.id, date));
    if (!digest || digest.signedAt) continue;
    const late = isLate(now, slot);
    const outbox = await toDirectors(deps, property.id, date, (locale) => [
      t("digest.reminder", { property: propertyLabel(property, locale), date, deadline: time(signDeadline(date, timeZone)) }),
      ...(late ? [t("jobs.late", { due: time(slot) })] : []),
    ]);
    results.push(await deps.ledger.post({ job: REMINDER_JOB, period: date, target: property.id }, { scheduledFor: slot, at: now, late, data: { date }, outbox }));
  }
  return tally(results);
};
