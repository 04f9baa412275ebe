/**
 * What filing a ticket tells staff: its card in the staff groups that see its zone (a zone's
 * group sees its zone and the unzoned, a property-wide group all, issue 13 §3) and, in private:
 * - for a major matter, an immediate report to the director's chat and to each supervisor
 *   (五清楚's 报告, seed 000 §2(2)A f: a major complaint is reported to the supervisor or
 *   leadership at once);
 * - for a VIP's matter (重要业主, issue 13 §2), an immediate report with the roster's note to each
 *   supervisor and to the zone's 管家, who attends it with the department head (seed 003 §6.5.3);
 * - for a ticket of a zone, a short notice with its number to the zone's 管家 (seed 001: 客服专员
 *   follow up the repairs of their zone), with the 受理 and 详情 buttons; the card stays the
 *   group's, so a claim shows on one card.
 * One message a person, whatever of these they are owed.
 */
import type { NewOutboxMessage } from "../outbox.js";
import { privateChatOf, type ChatRef, type Choice } from "../messages.js";
import type { TicketRecord } from "../ticket/store.js";
import { t, type Locale, type Text } from "../text.js";
import type { MajorReason } from "../ticket/kinds.js";
import { categoryText, kindText, reasonText } from "../ticket/views.js";
import { truncate } from "../util/input.js";
import { maskPhonesIn } from "../people/phone.js";
import type { PersonRecord } from "../people/store.js";
import { propertyLabel, type PropertyRecord, type PropertyStore } from "../property/store.js";
import { LEAD_ROLES, type StaffStore } from "./roles.js";
import { groupsSeeing, type ChatBindingRecord, type ChatStore } from "./chats.js";
import { specialistsByZone } from "./zone-staff.js";
import { vipLines } from "./card.js";

export type Announcement = (ticket: TicketRecord) => NewOutboxMessage[];

/**
 * Looked up before filing, so the messages can be written in the filing's transaction.
 * `properties`: the caller's cached list, when it has one (an owner's turn does): one read less.
 */
export async function announcement(
  store: PropertyStore & StaffStore & ChatStore,
  propertyId: string,
  major: boolean,
  locale: Locale,
  properties: () => Promise<readonly PropertyRecord[]> = () => store.properties(),
): Promise<Announcement> {
  const staffChats = await store.propertyChats(propertyId, "staff");
  const directorChats = major ? await store.propertyChats(propertyId, "director") : [];
  // Whether the room is VIP is known only from the filed ticket: the supervisors are read anyway.
  const supervisors = await store.staffOf(propertyId, "supervisor");
  const specialists = await specialistsByZone(store, propertyId);
  const zones = (await properties()).find((p) => p.id === propertyId)?.zones ?? [];
  return (ticket) => {
    const out: NewOutboxMessage[] = groupsSeeing(staffChats, ticket.zoneId).map((c) => ({ kind: "card", to: { platform: c.platform, chatId: c.chatId }, ticketId: ticket.id }));
    const major = ticket.weight === "major";
    if (major) {
      const report = { locale, text: [majorReport(ticket)] };
      for (const c of directorChats) out.push({ kind: "message", to: { platform: c.platform, chatId: c.chatId }, ticketId: ticket.id, body: report });
    }
    const zone = zones.find((z) => z.id === ticket.zoneId);
    const zoneStaff = ticket.zoneId ? (specialists.get(ticket.zoneId) ?? []) : [];
    const told = new PrivateNotes(locale);
    for (const p of supervisors) {
      if (major) told.add(p, [majorReport(ticket)]);
      if (ticket.vip) told.add(p, vipReport(ticket), actions(ticket));
    }
    for (const p of zoneStaff) {
      if (major) told.add(p, [majorReport(ticket)]);
      told.add(p, ticket.vip ? vipReport(ticket) : [zoneNotice(ticket, zone?.name ?? "")], actions(ticket));
    }
    return [...out, ...told.messages()];
  };
}

/** What each person is told in private, gathered so that nobody gets two messages of one filing. */
class PrivateNotes {
  private readonly byPerson = new Map<string, { to: ChatRef; text: Text[]; choices: Choice[] }>();
  constructor(private readonly locale: Locale) {}

  add(person: PersonRecord, text: readonly Text[], choices: readonly Choice[] = []): void {
    const to = privateChatOf(person);
    if (!to) return;
    const note = this.byPerson.get(person.id) ?? { to, text: [], choices: [] };
    // A supervisor who is also the zone's 管家 reads the VIP report once.
    const said = new Set(note.text.map((x) => JSON.stringify(x)));
    note.text.push(...text.filter((x) => !said.has(JSON.stringify(x))));
    if (note.choices.length === 0) note.choices.push(...choices);
    this.byPerson.set(person.id, note);
  }

  messages(): NewOutboxMessage[] {
    return [...this.byPerson.values()].map(({ to, text, choices }) => ({
      kind: "message",
      to,
      body: choices.length > 0 ? { locale: this.locale, text, choices } : { locale: this.locale, text },
    }));
  }
}

const actions = (ticket: TicketRecord): Choice[] => [
  { value: `claim:${ticket.number}`, label: t("card.claim") },
  { value: `ticket:${ticket.number}`, label: t("card.details") },
];

const summaryOf = (ticket: TicketRecord): string => truncate(maskPhonesIn(ticket.description).replace(/\s+/g, " "), 120);

function vipReport(ticket: TicketRecord): Text[] {
  const head = t("vip.report", {
    number: ticket.number,
    kind: kindText(ticket.kind),
    category: categoryText(ticket.category),
    room: ticket.roomLabel ?? t("card.not_given"),
    summary: summaryOf(ticket),
  });
  return [head, ...vipLines(ticket)];
}

function zoneNotice(ticket: TicketRecord, zone: string): Text {
  return t("zone.new_ticket", {
    zone,
    number: ticket.number,
    kind: kindText(ticket.kind),
    category: categoryText(ticket.category),
    room: ticket.roomLabel ?? t("card.not_given"),
    summary: summaryOf(ticket),
  });
}

/**
 * A ticket raised to major (/escalate): the director's chat and the supervisors are told at once;
 * the zone's 管家 and the groups heard of it at filing.
 */
export async function escalationReport(store: PropertyStore & StaffStore & ChatStore, ticket: TicketRecord, locale: Locale): Promise<NewOutboxMessage[]> {
  const raised = { ...ticket, weight: "major" as const };
  const report = { locale, text: [majorReport(raised)] };
  const chats = await store.propertyChats(ticket.propertyId, "director");
  const supervisors = await store.staffOf(ticket.propertyId, "supervisor");
  return [
    ...chats.map((c): NewOutboxMessage => ({ kind: "message", to: { platform: c.platform, chatId: c.chatId }, ticketId: ticket.id, body: report })),
    ...supervisors.flatMap((p): NewOutboxMessage[] => {
      const to = privateChatOf(p);
      return to ? [{ kind: "message", to, body: report }] : [];
    }),
  ];
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
    summary: summaryOf(ticket),
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
