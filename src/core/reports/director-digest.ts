/**
 * 主任晨报: every morning (08:30 by default) each property's director gets yesterday's figures —
 * new, resolved, still open and overdue tickets, major matters, callbacks and their ratings,
 * and each of yesterday's complaints with how far it got — with the 已阅 button (seed 000 §3
 * item 4: read the previous day's complaints before 09:00 and sign). One post per property and
 * day through the ledger, so a repeated or caught-up run posts nothing twice.
 */
import { propertyLabel } from "../property/store.js";
import type { NewOutboxMessage } from "../outbox.js";
import { privateChatOf, type ChatRef } from "../messages.js";
import type { DigestFigures, ReportStore } from "./figures.js";
import { digestKey, digestTexts, propertyTimeZone, signChoice, signDeadline, NEEDS_PUSH, followUp } from "./digest.js";
import type { Locale, Text } from "../text.js";
import { localDay } from "../time/zone.js";
import { TICKET_KINDS } from "../ticket/kinds.js";
import { isLate, tally } from "../scheduled/run.js";
import type { PersonStore } from "../people/store.js";
import type { PropertyStore } from "../property/store.js";
import type { StaffStore } from "../staff/roles.js";
import type { ChatStore } from "../staff/chats.js";
import type { SlaStore } from "../sla/store.js";
import type { Job, PostingDeps } from "../scheduled/run.js";

/** What this job uses of the ports src/jobs/job.ts hands every job. */
export interface DirectorDigestDeps extends PostingDeps {
  readonly store: PersonStore & PropertyStore & StaffStore & ChatStore;
  readonly reports: ReportStore;
  readonly sla: SlaStore;
  readonly timeZone: string;
}

/**
 * Where the director reads: the property's active director chats (主任群); when it has none,
 * each director's private chat with the bot, in their own language.
 */
export async function directorRecipients(deps: Pick<DirectorDigestDeps, "store" | "staffLocale">, propertyId: string): Promise<{ to: ChatRef; locale: Locale }[]> {
  const chats = (await deps.store.propertyChats(propertyId, "director")).filter((c) => c.active);
  if (chats.length > 0) return chats.map((c) => ({ to: { platform: c.platform, chatId: c.chatId }, locale: deps.staffLocale }));
  return (await deps.store.staffOf(propertyId, "director")).flatMap((p) => {
    const to = privateChatOf(p);
    return to ? [{ to, locale: p.locale ?? deps.staffLocale }] : [];
  });
}

/** One message per director recipient, written in the recipient's language, with the 已阅 button. */
export async function toDirectors(
  deps: Pick<DirectorDigestDeps, "store" | "staffLocale">,
  propertyId: string,
  date: string,
  text: (locale: Locale) => Text[],
): Promise<NewOutboxMessage[]> {
  return (await directorRecipients(deps, propertyId)).map(({ to, locale }) => ({
    kind: "message",
    to,
    body: { locale, text: text(locale), choices: [signChoice(propertyId, date)] },
  }));
}

/** What the ledger keeps of a digest: its counts, for the sign-off and for audit. */
export function digestSummary(date: string, f: DigestFigures): Record<string, unknown> {
  return {
    date,
    created: TICKET_KINDS.reduce((sum, k) => sum + f.created[k], 0),
    resolved: f.resolved,
    open: f.open,
    overdue: f.overdue,
    major: f.major.length,
    complaints: f.complaints.length,
    needPush: f.complaints.filter((x) => NEEDS_PUSH.includes(followUp(x, f.asOf))).length,
    callbacks: f.callbacks.length,
  };
}

/**
 * The slot's "yesterday" is taken in each property's own zone. A post is made even when the
 * property has nowhere to send it: the ledger row is what /digest and the 已阅 button sign.
 */
export const directorDigest: Job<DirectorDigestDeps> = async (deps, now, slot) => {
  const results = [];
  for (const property of await deps.store.properties()) {
    const timeZone = await propertyTimeZone(deps.sla, deps.timeZone, property.id);
    const day = localDay(slot, timeZone, -1);
    const key = digestKey(property.id, day.key);
    // Counting is the expensive part: skip it for a digest already made by another run.
    const made = await deps.ledger.find(key);
    if (made) {
      results.push({ posted: false });
      continue;
    }
    const figures = await deps.reports.digest(property.id, day.from, day.to, now);
    const sources = await deps.reports.breakdown(property.id, day.from, day.to);
    const written = await deps.reports.openWrittenComplaints(property.id, day.to);
    const late = isLate(now, slot);
    const outbox = await toDirectors(deps, property.id, day.key, (locale) =>
      digestTexts({
        property: propertyLabel(property, locale),
        date: day.key,
        figures,
        signBy: signDeadline(day.key, timeZone),
        lateSince: late ? slot : null,
        sources,
        written,
      }),
    );
    results.push(await deps.ledger.post(key, { scheduledFor: slot, at: now, late, data: digestSummary(day.key, figures), outbox, bulk: true }));
  }
  return tally(results);
};
