/**
 * Filing what the scribe confirmed: an ordinary ticket (the card in the staff group, 一报告 for
 * a major matter, the same clocks) with its source, the scribe as the one who recorded and
 * confirmed it, and how the owner confirmed (issue 12, items 1 and 2).
 */
import { privateChatOf, type Channel } from "../messages.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import type { PropertyStore } from "../property/store.js";
import { firstReplyDue } from "../sla/reply-promise.js";
import { announcement } from "../staff/announce.js";
import type { ChatBindingRecord, ChatStore } from "../staff/chats.js";
import { maskPhonesIn } from "../people/phone.js";
import { truncate } from "../util/input.js";
import type { StaffContext } from "../staff/extension.js";
import type { StaffStore } from "../staff/roles.js";
import { t, type Locale, type Text } from "../text.js";
import type { TicketRecord, TicketStore } from "../ticket/store.js";
import { time } from "../ticket/views.js";
import type { PolicyLookup } from "../sla/reply-promise.js";
import { OWNER_CONFIRMATION, type DeskDraft } from "./draft.js";

export type FilingStores = TicketStore & PropertyStore & StaffStore & ChatStore & PersonStore;

export async function fileDeskTicket(
  deps: { store: FilingStores; staffLocale: Locale; slaPolicy?: PolicyLookup },
  ctx: StaffContext,
  d: DeskDraft,
): Promise<Text[]> {
  const { store } = deps;
  const source = d.source!;
  const owner = await ownerOf(deps, d);
  const inChat = owner.platform === "telegram" || owner.platform === "slack";
  // A letter of complaint is seed 000 §2(2)B's 书面投诉: weighed `written`, reported at once.
  const weight = source === "letter" && d.kind === "complaint" ? "written" : d.major ? "major" : "general";
  const due = firstReplyDue(d.kind!, weight, ctx.now, await deps.slaPolicy?.(d.propertyId));
  const room = d.room ? await store.findRoom(d.propertyId, d.room) : null;
  const locale = inChat ? (owner.locale ?? deps.staffLocale) : deps.staffLocale;
  const announce = await announcement(store, d.propertyId, weight === "major", deps.staffLocale);
  // Seed 000 §2(2)B: a written complaint is presented to the director at once.
  const directors = weight === "written" ? await store.propertyChats(d.propertyId, "director") : [];
  const channel: Channel = inChat ? owner.platform : ctx.inbound.channel;
  const { ticket } = await store.fileTicket({
    intakeId: `frontdesk:${d.id}`,
    propertyId: d.propertyId,
    zoneId: room?.zoneId ?? null,
    roomId: room?.id ?? null,
    kind: d.kind!,
    category: d.category ?? "other",
    weight,
    majorReasons: d.majorReasons,
    ownerId: owner.id,
    roomLabel: d.room ?? null,
    contactName: d.name ?? null,
    contactPhone: d.phone ?? null,
    location: source === "patrol" && !d.room ? "common" : d.room ? "home" : null,
    place: null,
    description: d.description!,
    since: null,
    visitTime: null,
    photos: [],
    channel,
    locale,
    createdAt: ctx.now,
    nextReplyDueAt: due,
    source,
    scribeId: ctx.person.id,
    confirmation: { ...d, source, scribeId: ctx.person.id, ownerConfirmation: OWNER_CONFIRMATION[source], confirmedAt: ctx.now.toISOString() },
    outbox: (filed) => [...announce(filed), ...presented(directors, filed, deps.staffLocale), ...ownerTold(owner, filed, locale)],
  });
  return [
    t("frontdesk.filed", { number: ticket.number, due: time(ticket.nextReplyDueAt ?? due) }),
    t(source === "patrol" ? "frontdesk.filed_patrol" : inChat ? "frontdesk.filed_told" : "frontdesk.filed_by_phone", { number: ticket.number }),
  ];
}

/**
 * The confirmed owner, or one reached only by phone: a person of no chat platform, so every later
 * notice goes nowhere and staff tell it by phone (`/reply`, `/promise`, `/callback`). A patrol
 * finding has no owner: the property's own patrol person stands for it.
 */
async function ownerOf(deps: { store: PersonStore; staffLocale: Locale }, d: DeskDraft): Promise<PersonRecord> {
  const known = d.owner?.personId ? await deps.store.personById(d.owner.personId) : null;
  if (known) return known;
  const handle = d.source === "patrol" ? `patrol:${d.propertyId}` : `phone:${d.propertyId}:${d.phone ?? d.room ?? d.id}`;
  return deps.store.person({ platform: "system", platformUserId: handle, ...(d.name ? { displayName: d.name } : {}), locale: deps.staffLocale });
}

function presented(chats: readonly ChatBindingRecord[], ticket: TicketRecord, locale: Locale): NewOutboxMessage[] {
  const text = [t("frontdesk.written_report", { number: ticket.number, room: ticket.roomLabel ?? t("card.not_given"), summary: truncate(maskPhonesIn(ticket.description), 120) })];
  return chats.filter((c) => c.active).map((c) => ({ kind: "message", to: { platform: c.platform, chatId: c.chatId }, ticketId: ticket.id, body: { locale, text } }));
}

/** Issue 12, item 2: an owner known in chat hears there that the matter was recorded, with its number. */
function ownerTold(owner: PersonRecord, ticket: TicketRecord, locale: Locale): NewOutboxMessage[] {
  const to = privateChatOf(owner);
  if (!to) return [];
  const text = [
    t("frontdesk.owner_told", { source: t(`source.${ticket.source}`), number: ticket.number }),
    t("filed.next_reply", { due: time(ticket.nextReplyDueAt!) }),
    t("filed.follow", { number: ticket.number }),
  ];
  return [{ kind: "message", to, ticketId: ticket.id, body: { locale, text } }];
}
