/**
 * What filing a ticket tells staff: its card in every staff group of the property and, for a
 * major matter, an immediate report to the director's chat and to each supervisor (五清楚's
 * 报告, seed 000 §2(2)A f: a major complaint is reported to the supervisor or leadership at once).
 */
import type { NewOutboxMessage } from "../outbox.js";
import { privateChatOf, type ChatRef } from "../messages.js";
import type { TicketRecord } from "../ticket/store.js";
import { t, type Locale, type Text } from "../text.js";
import type { MajorReason } from "../ticket/kinds.js";
import { categoryText, kindText, reasonText } from "../ticket/views.js";
import { truncate } from "../util/input.js";
import { maskPhonesIn } from "../people/phone.js";
import { propertyLabel, type PropertyStore } from "../property/store.js";
import { LEAD_ROLES, type StaffStore } from "./roles.js";
import type { ChatBindingRecord, ChatStore } from "./chats.js";

export type Announcement = (ticket: TicketRecord) => NewOutboxMessage[];

/** Looked up before filing, so the messages can be written in the filing's transaction. */
export async function announcement(store: PropertyStore & StaffStore & ChatStore, propertyId: string, major: boolean, locale: Locale): Promise<Announcement> {
  const staffChats = await store.propertyChats(propertyId, "staff");
  const directorChats = major ? await store.propertyChats(propertyId, "director") : [];
  const supervisors = major ? await store.staffOf(propertyId, "supervisor") : [];
  return (ticket) => {
    const out: NewOutboxMessage[] = staffChats.map((c) => ({ kind: "card", to: { platform: c.platform, chatId: c.chatId }, ticketId: ticket.id }));
    if (ticket.weight !== "major") return out;
    const report = { locale, text: [majorReport(ticket)] };
    for (const c of directorChats) out.push({ kind: "message", to: { platform: c.platform, chatId: c.chatId }, ticketId: ticket.id, body: report });
    for (const p of supervisors) {
      const to = privateChatOf(p);
      if (to) out.push({ kind: "message", to, body: report });
    }
    return out;
  };
}

function majorReport(ticket: TicketRecord): Text {
  const reasons = ticket.majorReasons.map((r: MajorReason) => reasonText(r));
  // An escalated matter may have no reason the classifier saw: no "(-)" then (issue 11 §5).
  return t(reasons.length > 0 ? "report.major" : "report.major_escalated", {
    number: ticket.number,
    kind: kindText(ticket.kind),
    category: categoryText(ticket.category),
    ...(reasons.length > 0 ? { reasons: reasons.reduce((a, b) => t("common.join", { a, b })) } : {}),
    room: ticket.roomLabel ?? t("card.not_given"),
    // Read in the director's chat: numbers typed into the description are masked as on the card.
    summary: truncate(maskPhonesIn(ticket.description).replace(/\s+/g, " "), 120),
  });
}

/**
 * The bot was removed from one of a property's chats: its admins (and the director) are told in
 * their private chats, so a staff group that silently stopped getting cards does not go unnoticed.
 */
export async function chatGoneNotices(store: PropertyStore & StaffStore & ChatStore, to: { platform: TicketRecord["channel"]; chatId: string }, locale: Locale): Promise<NewOutboxMessage[]> {
  const binding = await store.chatBinding(to);
  if (!binding) return [];
  const property = (await store.properties()).find((p) => p.id === binding.propertyId);
  const people = [...(await store.staffOf(binding.propertyId, "admin")), ...(await store.staffOf(binding.propertyId, "director"))];
  const seen = new Set<string>();
  const text: Text = t("admin.chat_gone", { property: property ? propertyLabel(property, locale) : "?", purpose: t(`purpose.${binding.purpose}`), chat: to.chatId });
  return people.flatMap((p): NewOutboxMessage[] => {
    const to = privateChatOf(p);
    if (!to || seen.has(p.id)) return [];
    seen.add(p.id);
    return [{ kind: "message", to, body: { locale, text: [text] } }];
  });
}

/**
 * A property lost one of its chats to `/unbind` or to a lead re-binding it elsewhere (issue 10
 * §4): its other staff groups, its director's chat and its leads in private are told, so a group
 * taken away does not silently stop getting cards.
 */
export async function chatLostNotices(
  store: PropertyStore & StaffStore & ChatStore,
  lost: ChatBindingRecord,
  change: { readonly by: string; readonly movedTo: string | null },
  locale: Locale,
): Promise<NewOutboxMessage[]> {
  const found = (await store.properties()).find((p) => p.id === lost.propertyId);
  const property = found ? propertyLabel(found, locale) : "?";
  const params = { property, purpose: t(`purpose.${lost.purpose}`), chat: lost.chatId, name: change.by };
  const text = change.movedTo ? t("authz.chat_rebound", { ...params, other: change.movedTo }) : t("authz.chat_unbound", params);
  const chats = [...(await store.propertyChats(lost.propertyId, "staff")), ...(await store.propertyChats(lost.propertyId, "director"))];
  const leads = (await Promise.all(LEAD_ROLES.map((r) => store.staffOf(lost.propertyId, r)))).flat();
  const seen = new Set<string>([`${lost.platform}:${lost.chatId}`]);
  const out: NewOutboxMessage[] = [];
  for (const to of [...chats.map((c): ChatRef => ({ platform: c.platform, chatId: c.chatId })), ...leads.flatMap((p) => privateChatOf(p) ?? [])]) {
    if (seen.has(`${to.platform}:${to.chatId}`)) continue;
    seen.add(`${to.platform}:${to.chatId}`);
    out.push({ kind: "message", to, body: { locale, text: [text] } });
  }
  return out;
}
