/**
 * An owner asks for the hotline in chat (issue 14, items 2-3). §4.1: the hotline takes
 * complaints about how a property handled a matter; a first inquiry, repair or suggestion the
 * property never handled goes to the property first. §5.1: on duty 08:30-18:00 every day; outside
 * those hours the owner is told when the hotline will take it up, and the clock starts then.
 */
import type { Choice } from "../messages.js";
import type { PersonRecord } from "../people/store.js";
import { addBusinessMinutes, isWithinHours } from "../sla/hours.js";
import { t } from "../text.js";
import type { TicketRecord } from "../ticket/store.js";
import { isOpen } from "../ticket/status.js";
import { OPEN_HOTLINE_STATUSES, type HotlineCaseRecord } from "./case.js";
import { fileHotlineCase, type HotlineDeps } from "./file.js";

/** The owner-side button that takes a ticket to the hotline (conversation/engine.ts's `hotline:` prefix). */
export const hotlineChoice = (number: string): Choice => ({ value: `hotline:${number}`, label: t("hotline.owner.offer_button") });

/** §4.3.3 "7天内不能解决": an open ticket older than this is one the property has not solved in time. */
const SEVEN_DAYS_MS = 7 * 24 * 3_600_000;

/** Open and filed with the property more than 7 days before `at`: the owner is offered the hotline (issue 14 item 2). */
export const pastSevenDays = (ticket: Pick<TicketRecord, "createdAt" | "status">, at: Date): boolean =>
  isOpen(ticket.status) && at.getTime() - ticket.createdAt.getTime() > SEVEN_DAYS_MS;

/**
 * Handled by the property (§4.1 经过楼盘处理): someone took it up, it was resolved, or the
 * property has had it past the 7-day mark without solving it.
 */
export const wasHandled = (ticket: Pick<TicketRecord, "claimedAt" | "resolvedAt" | "status" | "createdAt">, at: Date): boolean =>
  ticket.claimedAt !== null || ticket.resolvedAt !== null || ticket.status === "resolved" || ticket.status === "closed" || pastSevenDays(ticket, at);

export type OwnerHotlineResult =
  /** Nothing the property handled: file it with the property first (§4.1). */
  | { readonly kind: "not_handled" }
  /** Several handled matters: which one is the owner unhappy with? */
  | { readonly kind: "pick"; readonly tickets: readonly TicketRecord[] }
  /** Already with the hotline: one case per matter. */
  | { readonly kind: "already"; readonly case: HotlineCaseRecord }
  /** Filed; `callsBackFrom` when asked outside duty hours (§5.1). */
  | { readonly kind: "filed"; readonly case: HotlineCaseRecord; readonly callsBackFrom: Date | null };

/**
 * `tickets`: the owner's recent ones, newest first; `number`: the one they named or pressed;
 * `words`: what they said about it (the matter, §4.2), else the ticket's own words stand.
 */
export async function ownerToHotline(
  deps: HotlineDeps,
  owner: PersonRecord,
  tickets: readonly TicketRecord[],
  number: string | null,
  words: string,
  at: Date,
): Promise<OwnerHotlineResult> {
  const handled = tickets.filter((x) => x.ownerId === owner.id && wasHandled(x, at));
  const chosen = number ? handled.find((x) => x.number === number) : handled.length === 1 ? handled[0] : undefined;
  if (!chosen) return handled.length === 0 ? { kind: "not_handled" } : { kind: "pick", tickets: handled };
  const open = await deps.store.cases({ propertyIds: [chosen.propertyId], statuses: OPEN_HOTLINE_STATUSES, limit: 50 });
  const existing = open.find((c) => c.tickets.includes(chosen.number));
  if (existing) return { kind: "already", case: existing };
  const policy = await deps.policyOf(chosen.propertyId);
  const onDuty = isWithinHours(at, policy.businessHours);
  const c = await fileHotlineCase(
    deps,
    {
      propertyId: chosen.propertyId,
      tickets: [chosen.number],
      ownerId: owner.id,
      roomLabel: chosen.roomLabel,
      contactName: chosen.contactName ?? owner.name,
      contactPhone: chosen.contactPhone ?? owner.phone,
      matter: words.trim() || chosen.description,
      source: "chat",
      major: chosen.weight === "major",
      recordedById: null,
    },
    at,
  );
  // The next opening: one business minute on, less that minute.
  return { kind: "filed", case: c, callsBackFrom: onDuty ? null : new Date(addBusinessMinutes(at, 1, policy.businessHours).getTime() - 60_000) };
}
