/**
 * What filing a ticket tells staff: its card in every staff group of the property and, for a
 * major matter, an immediate report to the director's chat and to each supervisor (五清楚's
 * 报告, seed 000 §2(2)A f: a major complaint is reported to the supervisor or leadership at once).
 */
import type { NewOutboxMessage } from "../outbox.js";
import { privateChatOf } from "../messages.js";
import type { TicketRecord } from "../ticket/store.js";
import { t, type Locale, type Text } from "../text.js";
import type { MajorReason } from "../ticket/kinds.js";
import { categoryText, kindText, reasonText } from "../ticket/views.js";
import { truncate } from "../util/input.js";
import type { PropertyStore } from "../property/store.js";
import type { StaffStore } from "./roles.js";
import type { ChatStore } from "./chats.js";

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
  return t("report.major", {
    number: ticket.number,
    kind: kindText(ticket.kind),
    category: categoryText(ticket.category),
    reasons: reasons.length > 0 ? reasons.reduce((a, b) => t("common.join", { a, b })) : "-",
    room: ticket.roomLabel ?? "-",
    summary: truncate(ticket.description.replace(/\s+/g, " "), 120),
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
  const text: Text = t("admin.chat_gone", { property: property?.name ?? "?", purpose: t(`purpose.${binding.purpose}`), chat: to.chatId });
  return people.flatMap((p): NewOutboxMessage[] => {
    const to = privateChatOf(p);
    if (!to || seen.has(p.id)) return [];
    seen.add(p.id);
    return [{ kind: "message", to, body: { locale, text: [text] } }];
  });
}
