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
import { registerDraft, type LetterDeps } from "./letters.js";
import type { LetterEntry } from "./register.js";

export type FilingStores = TicketStore & PropertyStore & StaffStore & ChatStore & PersonStore;

export interface DeskFiling {
  readonly text: Text[];
  readonly ticket: TicketRecord;
  /** The letter's register entry (收文登记簿), for a letter when the register is installed. */
  readonly entry: LetterEntry | null;
}

export async function fileDeskTicket(
  deps: { store: FilingStores; staffLocale: Locale; slaPolicy?: PolicyLookup; letters?: LetterDeps },
  ctx: StaffContext,
  d: DeskDraft,
): Promise<DeskFiling> {
  const { store } = deps;
  const source = d.source!;
  const owner = await ownerOf(deps, d);
  const inChat = owner.platform === "telegram" || owner.platform === "slack";
  // A letter of complaint is seed 000 §2(2)B's 书面投诉: weighed `written`, reported at once.
  const weight = source === "letter" && d.kind === "complaint" ? "written" : d.major ? "major" : "general";
  const room = d.room ? await store.findRoom(d.propertyId, d.room) : null;
  // 重要业主 (issue 13 §2) recorded at the counter is as important as in chat: the VIP clocks and reports.
  const vip = room?.vip ?? null;
  const due = firstReplyDue(d.kind!, weight, ctx.now, await deps.slaPolicy?.(d.propertyId), vip !== null);
  const locale = inChat ? (owner.locale ?? deps.staffLocale) : deps.staffLocale;
  const announce = await announcement(store, d.propertyId, weight === "major", deps.staffLocale);
  // Seed 000 §2(2)B: a written complaint is presented to the director at once.
  const directors = weight === "written" ? await store.propertyChats(d.propertyId, "director") : [];
  const channel: Channel = inChat ? owner.platform : ctx.inbound.channel;
  const intakeId = `frontdesk:${d.id}`;
  // Registered before it is filed (seed 000 §2(2)B: 登记后呈服务中心主任), so the director reads its number.
  const entry = source === "letter" && deps.letters ? await registerDraft(deps.letters, ctx, d, intakeId) : null;
  const { ticket } = await store.fileTicket({
    intakeId,
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
    photos: [...(entry?.scans ?? [])],
    channel,
    locale,
    createdAt: ctx.now,
    nextReplyDueAt: due,
    source,
    vip,
    scribeId: ctx.person.id,
    confirmation: { ...d, source, scribeId: ctx.person.id, ownerConfirmation: OWNER_CONFIRMATION[source], confirmedAt: ctx.now.toISOString() },
    outbox: (filed) => [...announce(filed), ...presented(directors, filed, deps.staffLocale, entry), ...ownerTold(owner, filed, locale)],
  });
  if (entry && deps.letters) await deps.letters.register.linkLetterTicket(entry.id, ticket.id);
  const text = [
    t("frontdesk.filed", { number: ticket.number, due: time(ticket.nextReplyDueAt ?? due) }),
    ...(entry ? [t("letters.registered", { register: entry.number, scans: entry.scans.length })] : []),
    t(source === "patrol" ? "frontdesk.filed_patrol" : inChat ? "frontdesk.filed_told" : "frontdesk.filed_by_phone", { number: ticket.number }),
  ];
  return { text, ticket, entry };
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

function presented(chats: readonly ChatBindingRecord[], ticket: TicketRecord, locale: Locale, entry: LetterEntry | null): NewOutboxMessage[] {
  const params = { number: ticket.number, room: ticket.roomLabel ?? t("card.not_given"), summary: truncate(maskPhonesIn(ticket.description), 120) };
  const text = [entry ? t("letters.written_report", { ...params, register: entry.number, received: entry.receivedOn, sender: entry.sender || t("card.not_given") }) : t("frontdesk.written_report", params)];
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
