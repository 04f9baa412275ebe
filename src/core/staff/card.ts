/**
 * The staff card: how a ticket appears in its property's staff group. It is built when the
 * outbox sends it, from the ticket as it is then, so an edit in place always shows the latest.
 */
import type { OutboxText } from "../outbox.js";
import { t, type Locale, type Text } from "../text.js";
import { isOpen } from "../ticket/status.js";
import { categoryText, kindText, statusText, time } from "../ticket/views.js";
import { maskPhone, maskPhonesIn } from "../people/phone.js";
import { truncate } from "../util/input.js";
import type { PersonStore } from "../people/store.js";
import type { PropertyStore } from "../property/store.js";
import type { TicketRecord, TicketStore } from "../ticket/store.js";
import type { Reply } from "../messages.js";
import { nameOf } from "../people/name.js";

const SUMMARY = 120;
const notGiven = t("card.not_given");

export async function staffCard(store: PersonStore & PropertyStore & TicketStore, ticketId: string, locale: Locale): Promise<OutboxText | null> {
  const ticket = await store.ticketById(ticketId);
  if (!ticket) return null;
  const property = (await store.properties()).find((p) => p.id === ticket.propertyId);
  const zone = property?.zones.find((z) => z.id === ticket.zoneId);
  const assignee = ticket.assigneeId ? await store.personById(ticket.assigneeId) : null;
  const lines: Text[] = [
    t(ticket.weight === "major" ? "card.title_major" : "card.title", {
      number: ticket.number,
      kind: kindText(ticket.kind),
      category: categoryText(ticket.category),
    }),
    ...vipLines(ticket),
    // What the owner did not give says so, instead of "(-)" (issue 11 §5).
    zone ? t("card.room", { room: ticket.roomLabel ?? notGiven, zone: zone.name }) : t("card.room_no_zone", { room: ticket.roomLabel ?? notGiven }),
    t("card.owner", { name: ticket.contactName ?? notGiven, phone: ticket.contactPhone ? maskPhone(ticket.contactPhone) : notGiven }),
    ...matterLines(ticket),
  ];
  if (ticket.photoCount > 0) lines.push(t("card.photos", { count: ticket.photoCount }));
  lines.push(t("card.created", { at: time(ticket.createdAt) }));
  if (ticket.nextReplyDueAt && isOpen(ticket.status)) lines.push(t("card.due", { at: time(ticket.nextReplyDueAt) }));
  lines.push(
    assignee
      ? t("card.status_assignee", { status: statusText(ticket.status), name: nameOf(assignee) })
      : t("card.status", { status: statusText(ticket.status) }),
  );
  const claimable = ticket.status === "new" || ticket.status === "reopened";
  return {
    locale,
    text: lines,
    choices: [
      ...(claimable ? [{ value: `claim:${ticket.number}`, label: t("card.claim") }] : []),
      { value: `ticket:${ticket.number}`, label: t("card.details") },
      ...(ticket.photoCount > 0 ? [{ value: `photos:${ticket.number}`, label: t("card.photos_button", { count: ticket.photoCount }) }] : []),
    ],
  };
}

/**
 * The matter: the model's line in the staff's language when it gave one (issue 15), above the
 * owner's own words, which are kept. The group sees the phone field masked, so a number typed
 * into the words is masked too.
 */
function matterLines(ticket: TicketRecord): Text[] {
  const words = truncate(maskPhonesIn(ticket.description).replace(/\s+/g, " "), SUMMARY);
  if (!ticket.summary) return [t("card.summary", { value: words })];
  return [t("card.summary", { value: maskPhonesIn(ticket.summary) }), t("card.owner_words", { value: words })];
}

/**
 * 重要业主 (issue 13 §2): 「VIP」 with the roster's note, and who attends (seed 003 §6.5.3: "如遇
 * 重要住户或重大问题,应由管家和相关部门主管陪同前往"). Staff texts only: the card, the reports, a
 * colleague's hand-over; never the owner's.
 */
export function vipLines(ticket: Pick<TicketRecord, "vip" | "vipNote">): Text[] {
  if (!ticket.vip) return [];
  return [ticket.vipNote ? t("vip.card", { note: ticket.vipNote }) : t("vip.card_no_note"), t("vip.attend")];
}

/** The most photos one answer carries; Telegram sends at most ten in an album. */
const SHOWN_PHOTOS = 10;

/** `/photos HG-0005` or the card's 照片 button: the owner's photos, the latest ones if there are many. */
export async function photosReply(store: TicketStore, ticket: TicketRecord): Promise<Reply> {
  const photos = (await store.ticketPhotos(ticket.id)).slice(-SHOWN_PHOTOS);
  if (photos.length === 0) return { text: [t("photos.none", { number: ticket.number })] };
  return { text: [t("photos.title", { number: ticket.number, count: ticket.photoCount, shown: photos.length })], photos };
}
