/**
 * Who is told of a step on a ticket (跟清楚 / 复清楚): the owner in their private chat, the staff
 * groups through a refreshed card and, when it needs a person, an alert; a colleague handed the
 * ticket in private. The actions that decide the step are ./workflow.ts.
 */
import type { Choice } from "../messages.js";
import { privateChatOf } from "../messages.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import type { PropertyStore } from "../property/store.js";
import { t, type Locale, type Text } from "../text.js";
import type { TicketRecord } from "../ticket/store.js";
import { categoryText, kindText, time } from "../ticket/views.js";
import { truncate } from "../util/input.js";
import { maskPhonesIn } from "../people/phone.js";
import { groupsSeeing, type ChatBindingRecord, type ChatStore } from "./chats.js";
import { vipLines } from "./card.js";
import type { StaffStore } from "./roles.js";
import { zoneSpecialists } from "./zone-staff.js";
import { nameOf } from "../people/name.js";

/** A message for the ticket's owner, in the ticket's locale. */
export interface OwnerNotice {
  readonly ownerId: string;
  readonly ticketNumber: string;
  readonly text: readonly Text[];
  readonly choices?: readonly Choice[];
}

/**
 * Where a step's messages go: each notice to the owner's private chat (a console owner has none
 * to push to; they read it with /status), and a refresh of the card in every staff group that
 * sees the ticket's zone (./chats.ts groupsSeeing, issue 13 §3).
 */
export async function deliveries(
  deps: { readonly store: PersonStore & ChatStore; readonly staffLocale?: Locale },
  ticket: TicketRecord,
  notices: OwnerNotice[],
  refreshCard: boolean,
  staffAlert?: Text,
): Promise<NewOutboxMessage[]> {
  const out: NewOutboxMessage[] = [];
  const owner = notices.length > 0 ? await deps.store.personById(ticket.ownerId) : null;
  const ownerChat = owner ? privateChatOf(owner) : null;
  if (ownerChat) {
    for (const n of notices) {
      out.push({ kind: "message", to: ownerChat, body: n.choices ? { locale: ticket.locale, text: n.text, choices: n.choices } : { locale: ticket.locale, text: n.text } });
    }
  }
  if (refreshCard || staffAlert) {
    for (const chat of groupsSeeing(await deps.store.propertyChats(ticket.propertyId, "staff"), ticket.zoneId)) {
      const to = { platform: chat.platform, chatId: chat.chatId };
      if (refreshCard) out.push({ kind: "card", to, ticketId: ticket.id });
      // The alert goes into the card's thread where the platform has threads (Slack).
      if (staffAlert) out.push({ kind: "message", to, ticketId: ticket.id, body: { locale: deps.staffLocale ?? "zh-CN", text: [staffAlert] } });
    }
  }
  return out;
}

/** What the owner added to a ticket after filing: their words, or how many photos it has now. */
export type OwnerAddition = { readonly text: string } | { readonly photos: number };

/**
 * The owner added to a ticket (跟清楚): whoever follows it hears at once, in private, with the
 * ticket's 详情 button; nobody follows it, so the staff groups hear it, under the card where the
 * platform has threads. The card is refreshed when it shows what changed (the photo count, a
 * status back from 等待您回复). Phone numbers typed into the words are masked in a group.
 */
export async function ownerAdded(
  deps: { readonly store: PersonStore & ChatStore; readonly staffLocale?: Locale },
  ticket: TicketRecord,
  added: OwnerAddition,
  refreshCard: boolean,
): Promise<NewOutboxMessage[]> {
  const said = (mask: boolean): Text =>
    "text" in added
      ? t("followup.staff_text", { number: ticket.number, text: truncate(mask ? maskPhonesIn(added.text) : added.text, 500) })
      : t("followup.staff_photo", { number: ticket.number, count: added.photos });
  const follower = ticket.assigneeId ? await deps.store.personById(ticket.assigneeId) : null;
  const choices = [
    { value: `ticket:${ticket.number}`, label: t("card.details") },
    ...("photos" in added ? [{ value: `photos:${ticket.number}`, label: t("card.photos_button", { count: added.photos }) }] : []),
  ];
  const told = follower ? privateMessage(follower, follower.locale ?? deps.staffLocale ?? "zh-CN", { text: [said(false)], choices }) : [];
  if (told.length === 0) return deliveries(deps, ticket, [], refreshCard, said(true));
  return [...told, ...(refreshCard ? await deliveries(deps, ticket, [], true) : [])];
}

/** What the new follower reads: the matter in short, the reply time owed to the owner, and a 详情 button. */
export async function handedOver(deps: { readonly store: PropertyStore }, ticket: TicketRecord, from: string, note: string): Promise<{ text: Text[]; choices: Choice[] }> {
  const zone = (await deps.store.properties()).find((p) => p.id === ticket.propertyId)?.zones.find((z) => z.id === ticket.zoneId);
  const kind = { number: ticket.number, kind: kindText(ticket.kind), category: categoryText(ticket.category) };
  // The reply promised to the owner, or the first one promised at filing if nobody has answered yet.
  const due = ticket.nextReplyDueAt ?? (ticket.firstResponseAt ? null : ticket.firstReplyDueAt);
  const text = [
    t("transfer.to_you", { number: ticket.number, name: from }),
    t(ticket.weight === "major" ? "card.title_major" : "card.title", kind),
    ...vipLines(ticket),
    // As on the card: "not given" rather than a bare dash, and no empty zone brackets.
    zone ? t("card.room", { room: ticket.roomLabel ?? t("card.not_given"), zone: zone.name }) : t("card.room_no_zone", { room: ticket.roomLabel ?? t("card.not_given") }),
    t("card.summary", { value: truncate(ticket.description.replace(/\s+/g, " "), 120) }),
    ...(note ? [t("transfer.note", { note: truncate(note, 200) })] : []),
    due ? t("transfer.due", { due: time(due) }) : t("transfer.no_due", { number: ticket.number }),
  ];
  return { text, choices: [{ value: `ticket:${ticket.number}`, label: t("card.details") }] };
}

/**
 * A VIP's ticket handed to a department (seed 003 §6.5.3: "如遇重要住户…应由管家和相关部门主管陪同
 * 前往"): the department's group is asked for its head and the zone's 管家 together, the 管家 named
 * (@username where they have one) and told in private too. The department head is asked by title:
 * the roles know no heads of departments.
 */
export async function vipTransferAsk(
  deps: { readonly store: StaffStore; readonly staffLocale?: Locale },
  ticket: TicketRecord,
  department: string,
  departmentChats: readonly ChatBindingRecord[],
): Promise<NewOutboxMessage[]> {
  if (!ticket.vip) return [];
  const locale = deps.staffLocale ?? "zh-CN";
  const specialists = await zoneSpecialists(deps.store, ticket.propertyId, ticket.zoneId);
  const named = specialists.map((p) => (p.username ? `@${p.username}` : nameOf(p)));
  const ask =
    named.length > 0
      ? t("vip.transfer_ask", { number: ticket.number, department, specialists: named.join(" ") })
      : t("vip.transfer_ask_no_specialist", { number: ticket.number, department });
  return [
    ...departmentChats.map((c): NewOutboxMessage => ({ kind: "message", to: { platform: c.platform, chatId: c.chatId }, ticketId: ticket.id, body: { locale, text: [ask] } })),
    ...specialists.flatMap((p) => privateMessage(p, p.locale ?? locale, { text: [ask], choices: [{ value: `ticket:${ticket.number}`, label: t("card.details") }] })),
  ];
}

/** A message to a person's private chat with the bot; the console has none to push to. */
export function privateMessage(person: PersonRecord, locale: Locale, body: Text[] | { text: Text[]; choices: Choice[] }): NewOutboxMessage[] {
  const to = privateChatOf(person);
  if (!to) return [];
  return [{ kind: "message", to, body: Array.isArray(body) ? { locale, text: body } : { locale, ...body } }];
}

export function notify(ticket: TicketRecord, text: Text[], choices?: Choice[]): OwnerNotice {
  return choices ? { ownerId: ticket.ownerId, ticketNumber: ticket.number, text, choices } : { ownerId: ticket.ownerId, ticketNumber: ticket.number, text };
}
