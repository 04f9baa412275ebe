/**
 * The owner roster (业主档案) in the owner's conversation (issue 13 item 1). With a roster, the
 * intake asks less (问清楚: ask only for what is missing): for the room the owner gave it offers
 * the registered owner, masked as neighbours may read it ("登记的业主是 王**,电话 138****5678,
 * 是您吗?"), to confirm with a button instead of typing; and a phone the owner types that the
 * roster registers for another room lets the owner link that room (OwnerRoom) so the next filing
 * needs no room. "不是" leaves the questions as they were.
 *
 * A typed phone is not proof of who types it, so the roster never names the rooms of a phone:
 * the owner is told only that their phone has another room registered and is asked to give it,
 * and a room they give is linked only when the roster registers it for that phone. Naming the
 * rooms turned any phone number into its owner's address, one message each.
 *
 * The flow around it (advance, asking again) is ./intake.ts's; it hands its steps in as `Flow`
 * so the two files do not import each other.
 */
import { maskName } from "../people/name.js";
import { maskPhone } from "../people/phone.js";
import { parseRoom } from "../property/room.js";
import type { RosterMatch } from "../registry/store.js";
import { t } from "../text.js";
import { FLOWS } from "./fields.js";
import type { Input } from "./input.js";
import type { Draft } from "./state.js";
import type { Turn } from "./turn.js";

export interface Flow {
  advance(turn: Turn): Promise<void>;
  wrongInput(turn: Turn): Promise<void>;
}

/** Rooms offered for one phone at most; more is a roster to correct, not a choice for the owner. */
const MAX_ROOMS = 5;

const wants = (d: Draft, field: "name" | "phone") => FLOWS[d.kind!].includes(field) && d[field] === undefined && !d.skipped.includes(field);

/**
 * The roster's owner of the draft's room, when the flow would still ask who they are or their
 * phone; read once per room given (an edited room is read again).
 */
export async function rosterOwnerToOffer(turn: Turn): Promise<RosterMatch | null> {
  const d = turn.state.draft!;
  if (d.rosterChecked || !d.roomId || !d.room || d.propertyId === undefined) return null;
  if (!wants(d, "name") && !wants(d, "phone")) return null;
  d.rosterChecked = true;
  const match = await turn.env.store.rosterRoom(d.propertyId, d.room);
  return match && (match.ownerName || match.ownerPhone) ? match : null;
}

export async function promptRosterOwner(turn: Turn, flow: Flow): Promise<void> {
  const d = turn.state.draft!;
  const match = d.room && d.propertyId !== undefined ? await turn.env.store.rosterRoom(d.propertyId, d.room) : null;
  // The roster changed under an open question (a re-import): ask the usual way.
  if (!match || (!match.ownerName && !match.ownerPhone)) return flow.advance(turn);
  const name = match.ownerName ? maskName(match.ownerName) : null;
  const phone = match.ownerPhone ? maskPhone(match.ownerPhone) : null;
  const text =
    name && phone ? t("roster.owner_offer", { name, phone }) : name ? t("roster.owner_offer_name", { name }) : t("roster.owner_offer_phone", { phone: phone! });
  turn.ask([text], [
    { value: "yes", label: t("roster.choice.me") },
    { value: "no", label: t("roster.choice.not_me") },
  ]);
}

/** "是我": the roster's name and phone are the owner's, and the room is theirs. "不是": asked as before. */
export async function onRosterOwner(turn: Turn, input: Input, flow: Flow): Promise<void> {
  if (input.type !== "choice" || (input.value !== "yes" && input.value !== "no")) return flow.wrongInput(turn);
  const d = turn.state.draft!;
  if (input.value === "yes") {
    const match = d.room && d.propertyId !== undefined ? await turn.env.store.rosterRoom(d.propertyId, d.room) : null;
    if (match) {
      const taken = (["name", "phone"] as const).filter((f) => wants(d, f) && (f === "name" ? match.ownerName : match.ownerPhone));
      if (taken.includes("name")) d.name = match.ownerName!;
      if (taken.includes("phone")) d.phone = match.ownerPhone!;
      d.fromRoster = taken;
      await link(turn, match);
    }
  }
  return flow.advance(turn);
}

/**
 * After the owner typed their phone: whether the roster registers it for rooms not theirs yet.
 * The room this matter is about already is (filing links it), so the roster only confirms what
 * they said. The rooms are kept in the state, never shown (see the header).
 */
export async function offerRoomsOfPhone(turn: Turn): Promise<boolean> {
  const d = turn.state.draft!;
  if (!d.phone || d.propertyId === undefined) return false;
  const rooms = await turn.env.store.rosterRoomsByPhone(d.propertyId, d.phone);
  if (rooms.some((r) => r.label === d.room)) return false;
  const linked = new Set((await turn.env.ownerRooms()).filter((r) => r.propertyId === d.propertyId).map((r) => r.roomLabel));
  const offered = rooms.filter((r) => !linked.has(r.label)).slice(0, MAX_ROOMS);
  if (offered.length === 0) return false;
  d.rosterRooms = offered.map((r) => r.label);
  turn.state.step = "roster_room";
  promptRoomsOfPhone(turn);
  return true;
}

export function promptRoomsOfPhone(turn: Turn): void {
  turn.ask([t("roster.room_ask")], [{ value: "no", label: t("roster.choice.no_link") }]);
}

/**
 * The room the owner gives is linked and, when this matter has no room yet, becomes its room,
 * if the roster registers it for their phone; any other room is not linked, with one answer and
 * no second try, so the step cannot be used to test rooms against a phone. A button of the
 * earlier prompt that named the rooms (a conversation open across an upgrade) still counts.
 */
export async function onRoomsOfPhone(turn: Turn, input: Input, flow: Flow): Promise<void> {
  const d = turn.state.draft!;
  const offered = d.rosterRooms ?? [];
  if (input.type === "choice" && input.value === "no") {
    d.rosterRooms = undefined;
    return flow.advance(turn);
  }
  const given = input.type === "text" ? await roomGiven(turn, input.text) : input.type === "choice" ? earlierButton(offered, input.value) : undefined;
  if (given === undefined) return flow.wrongInput(turn);
  d.rosterRooms = undefined;
  // Read again: only a room the roster still registers for this phone is linked.
  const match = d.phone ? (await turn.env.store.rosterRoomsByPhone(d.propertyId!, d.phone)).find((r) => r.label === given) : undefined;
  if (!match) {
    turn.say(t("roster.room_not_matched", { room: given }));
    return flow.advance(turn);
  }
  await link(turn, match);
  turn.say(t("roster.linked", { room: match.label }));
  if (d.room === undefined) {
    Object.assign(d, { room: match.label, roomId: match.roomId, zoneId: match.zoneId, rosterChecked: true });
    d.skipped = d.skipped.filter((f) => f !== "room");
  }
  return flow.advance(turn);
}

/**
 * A typed room as the registry spells it (zone implied: "5-0301" for "A-5-0301"), or as typed
 * when the registry has no such room; undefined when the text is not a room at all.
 */
async function roomGiven(turn: Turn, text: string): Promise<string | undefined> {
  const parsed = parseRoom(text);
  if (!parsed.ok) return undefined;
  const found = await turn.env.store.findRoom(turn.state.draft!.propertyId!, parsed.label);
  return found?.label ?? parsed.label;
}

function earlierButton(offered: readonly string[], value: string): string | undefined {
  if (value === "yes" && offered.length === 1) return offered[0];
  return value.startsWith("rroom:") ? offered[Number(value.slice(6))] : undefined;
}

/**
 * Whether a returning owner's phone is one the roster registers: then their name and phone are
 * what the roster says (taken on "是我" or typed), and are shown to the chat masked as the offer
 * was, so confirming a room once never turns into reading the roster in full later.
 */
export async function rostered(turn: Turn, phone: string | undefined): Promise<boolean> {
  const d = turn.state.draft!;
  if (!phone || d.propertyId === undefined) return false;
  return (await turn.env.store.rosterRoomsByPhone(d.propertyId, phone)).length > 0;
}

function link(turn: Turn, match: RosterMatch): Promise<void> {
  const room = { propertyId: turn.state.draft!.propertyId!, roomLabel: match.label, roomId: match.roomId, zoneId: match.zoneId };
  return turn.env.store.linkOwnerRoom(turn.person.id, room, turn.env.clock.now());
}
