/**
 * Who hears of a passed deadline. A person is reached in their private chat with the bot (only
 * on Telegram and Slack: a console person has none to push to); a group through the property's
 * bound chats. Nobody holding a role means the next one up, then the director's chat, then the
 * staff group: a reminder is never posted to no one. A ticket's staff group is one that sees its
 * zone (a zone's group or a property-wide one, issue 13 §3), and the first rung of an unclaimed
 * ticket is its zone's 管家 (seed 001: the 客服专员 follows up the repairs of the zone).
 */
import type { NewOutboxMessage } from "../outbox.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import type { TicketRecord } from "../ticket/store.js";
import { privateChatOf, type ChatRef } from "../messages.js";
import { groupsSeeing, type ChatPurpose } from "../staff/chats.js";
import { zoneSpecialists } from "../staff/zone-staff.js";
import type { StaffRole, StaffStore } from "../staff/roles.js";
import type { Locale, Text } from "../text.js";
import type { Audience } from "./deadlines.js";
import type { ChatStore } from "../staff/chats.js";

export interface Recipient {
  readonly to: ChatRef;
  readonly locale: Locale;
  /** A group chat (messages go into the ticket card's thread where there is one), or a person. */
  readonly group: boolean;
}

/**
 * "One level up" (seed 001: specialists report to the supervisor; seed 000: the director
 * handles what supervisors pass up; seed 002 §4.4: the property head answers for the property).
 */
const RANK: Readonly<Record<StaffRole, number>> = {
  front_desk: 0,
  zone_specialist: 0,
  hotline_officer: 0,
  supervisor: 1,
  director: 2,
  property_head: 3,
  admin: 3,
};
const UP_CHAIN: readonly StaffRole[] = ["supervisor", "director", "property_head"];

export function reachable(person: PersonRecord, staffLocale: Locale): Recipient | null {
  const to = privateChatOf(person);
  return to ? { to, locale: person.locale ?? staffLocale, group: false } : null;
}

async function chats(store: PersonStore & StaffStore & ChatStore, propertyId: string, purpose: ChatPurpose, locale: Locale): Promise<Recipient[]> {
  return toGroups(await store.propertyChats(propertyId, purpose), locale);
}

const toGroups = (list: readonly ChatRef[], locale: Locale): Recipient[] => list.map((c) => ({ to: { platform: c.platform, chatId: c.chatId }, locale, group: true }));

/** The staff groups that see the ticket: its zone's and the property-wide ones. */
async function staffGroupsOf(store: ChatStore, ticket: TicketRecord, locale: Locale): Promise<Recipient[]> {
  return toGroups(groupsSeeing(await store.propertyChats(ticket.propertyId, "staff"), ticket.zoneId), locale);
}

async function people(store: PersonStore & StaffStore & ChatStore, propertyId: string, role: StaffRole, locale: Locale, except: string | null): Promise<Recipient[]> {
  const holders = (await store.staffOf(propertyId, role)).filter((p) => p.id !== except);
  return holders.map((p) => reachable(p, locale)).filter((r): r is Recipient => r !== null);
}

/** The first non-empty of several lookups, in order. */
async function firstOf(...lookups: (() => Promise<Recipient[]>)[]): Promise<Recipient[]> {
  for (const lookup of lookups) {
    const found = await lookup();
    if (found.length > 0) return dedupe(found);
  }
  return [];
}

function dedupe(list: Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = `${r.to.platform}:${r.to.chatId}`;
    return !seen.has(key) && (seen.add(key), true);
  });
}

/** The assignee's highest rank in the ticket's property; an unclaimed ticket counts as rank 0. */
async function rankOf(store: PersonStore & StaffStore & ChatStore, ticket: TicketRecord): Promise<number> {
  if (!ticket.assigneeId) return 0;
  const roles = (await store.staffRoles(ticket.assigneeId)).filter((r) => r.propertyId === ticket.propertyId);
  return Math.max(0, ...roles.map((r) => RANK[r.role]));
}

export async function recipientsOf(store: PersonStore & StaffStore & ChatStore, ticket: TicketRecord, audience: Audience, staffLocale: Locale): Promise<Recipient[]> {
  const p = ticket.propertyId;
  const staff = () => staffGroupsOf(store, ticket, staffLocale);
  const directorChats = () => chats(store, p, "director", staffLocale);
  switch (audience) {
    case "assignee": {
      const assignee = ticket.assigneeId ? await store.personById(ticket.assigneeId) : null;
      const direct = assignee ? reachable(assignee, staffLocale) : null;
      if (direct) return [direct];
      // Nobody claimed it (or the follower cannot be reached): the zone's 管家 first.
      const zone = async () => (await zoneSpecialists(store, p, ticket.zoneId)).flatMap((s) => reachable(s, staffLocale) ?? []);
      return assignee ? firstOf(staff, directorChats) : firstOf(zone, staff, directorChats);
    }
    case "staff":
      return firstOf(staff, directorChats);
    case "up": {
      const rank = await rankOf(store, ticket);
      const above = UP_CHAIN.filter((role) => RANK[role] > rank).map((role) => () => people(store, p, role, staffLocale, ticket.assigneeId));
      return firstOf(...above, directorChats, staff);
    }
    case "written":
      // seed 002 §4.3.3: in writing to the group head and fed back to the quality office (全质办),
      // whose officers sit in the hotline group.
      return firstOf(
        async () => [...(await people(store, p, "property_head", staffLocale, null)), ...(await chats(store, p, "hotline", staffLocale))],
        async () => [...(await people(store, p, "director", staffLocale, null)), ...(await directorChats())],
        staff,
      );
  }
}

/** One message to each recipient, in their language; in a group, in the ticket card's thread (Slack). */
export function messagesTo(recipients: readonly Recipient[], text: readonly Text[], ticketId?: string): NewOutboxMessage[] {
  return recipients.map((r) => ({
    kind: "message",
    to: r.to,
    ...(r.group && ticketId !== undefined ? { ticketId } : {}),
    body: { locale: r.locale, text },
  }));
}
