/**
 * An officer's phone intake (§4.2 做好记录, §5.2): the owner on the line names a ticket, or only
 * their room or phone, and the officer finds the property's ticket among the owner's earlier ones:
 *   /hlrecord HG-0042 [phone] matter
 *   /hlrecord 13800001234 matter          the tickets with that phone
 *   /hlrecord 3-1201 [phone] matter       the tickets of that room (or that phone)
 * §4.1: only a matter the property handled becomes a case; otherwise the officer guides the owner
 * to the property, which records it at its front desk (/record).
 */
import { parsePhone } from "../people/phone.js";
import { parseRoom } from "../property/room.js";
import { parseTicketNumber } from "../ticket/number.js";
import { isOpen } from "../ticket/status.js";
import type { TicketRecord, TicketStore } from "../ticket/store.js";
import { wasHandled } from "./owner.js";
import type { HotlineStore } from "./store.js";

export type CallerKey =
  | { readonly kind: "ticket"; readonly number: string }
  | { readonly kind: "caller"; readonly roomLabel: string | null; readonly phone: string | null };

export interface Call {
  readonly key: CallerKey;
  /** The number to call back on, if the officer typed one (§4.2 联系电话). */
  readonly phone: string | null;
  readonly matter: string;
}

/** Null when the words start with neither a ticket number, a phone nor a room, or say no matter. */
export function parseCall(args: string): Call | null {
  const [first = "", ...rest] = args.trim().split(/\s+/);
  const number = parseTicketNumber(first);
  const firstPhone = number ? null : phoneOf(first);
  const room = number || firstPhone ? null : parseRoom(first);
  if (!number && !firstPhone && !room?.ok) return null;
  const typedPhone = firstPhone ?? phoneOf(rest[0] ?? "");
  const words = !firstPhone && typedPhone ? rest.slice(1) : rest;
  const matter = words.join(" ").trim();
  if (!matter) return null;
  const key: CallerKey = number ? { kind: "ticket", number } : { kind: "caller", roomLabel: room?.ok ? room.label : null, phone: typedPhone };
  return { key, phone: typedPhone, matter };
}

const phoneOf = (word: string): string | null => {
  if (!word) return null;
  const p = parsePhone(word);
  return p.ok ? p.phone : null;
};

export type CallerTickets =
  /** The one handled ticket the call is about. */
  | { readonly kind: "one"; readonly ticket: TicketRecord }
  /** Several handled tickets: the officer names one. */
  | { readonly kind: "pick"; readonly tickets: readonly TicketRecord[] }
  /** Nothing the property handled (§4.1); `open` are the caller's tickets still with the property. */
  | { readonly kind: "not_handled"; readonly open: readonly TicketRecord[] };

/** The caller's earlier tickets looked at: older ones are named by number. */
const LOOKED_AT = 10;

export async function callerTickets(store: Pick<HotlineStore, "callerTickets"> & Pick<TicketStore, "ticketByNumber">, key: CallerKey, at: Date): Promise<CallerTickets> {
  const found =
    key.kind === "ticket"
      ? [await store.ticketByNumber(key.number)].filter((x): x is TicketRecord => x !== null)
      : await store.callerTickets({ ...(key.roomLabel ? { roomLabel: key.roomLabel } : {}), ...(key.phone ? { phone: key.phone } : {}) }, LOOKED_AT);
  const handled = found.filter((x) => wasHandled(x, at));
  if (handled.length === 1) return { kind: "one", ticket: handled[0]! };
  return handled.length > 1 ? { kind: "pick", tickets: handled } : { kind: "not_handled", open: found.filter((x) => isOpen(x.status)) };
}
