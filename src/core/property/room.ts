/**
 * Room numbers as owners type them (五清楚's 问清楚: where; domain.md "People and where they
 * talk": `3-1201`, `A区5栋2单元301`, `B-12-0803`). Nothing here throws: a bad answer is a normal
 * conversational event, and the caller turns the `reason` into a re-ask.
 */
import { normalizeInput } from "../util/input.js";

export type RoomResult =
  | { ok: true; label: string; zoneCode: string | null }
  | { ok: false; reason: "empty" | "format" };

/**
 * The canonical room label, for docs and prompts. A leading letter is always the zone (seed 001:
 * 虹港家园 is split into A区 and B区), so the label is unambiguous: 4 parts = zone-building-unit-
 * room, 3 parts starting with a letter = zone-building-room, 3 numeric parts = building-unit-room.
 */
export const ROOM_LABEL_FORMAT =
  "[zone letter-]building[-unit]-room, e.g. A-5-2-301, B-12-0803, 3-2-1201, 3-1201";

/** Longer than this is a sentence, not a room number. */
export const MAX_ROOM_INPUT_CHARS = 40;

const BUILDING = "([1-9]\\d{0,2})"; // no leading zero: "021-..." is an area code, not a building
const UNIT = "([1-9]\\d?)";
const ROOM_SUFFIX = "(?:室|号|房)";
/**
 * Rooms have 3–5 digits in every form (floor + door, 301 / 1201 / 0803): shorter numbers are
 * dates ("3-12") or villa numbers we cannot tell apart, and one rule for all forms means every
 * label parses back to itself.
 */
const ROOM = "(\\d{3,5})";

/** A区5栋2单元301室, 5号楼2单元301, 12幢1单元502, 5栋301, A5栋301. */
const CHINESE_ROOM = new RegExp(
  `^(?:([A-Z])区?-?)?${BUILDING}(?:号楼|栋|幢|座|号)-?(?:${UNIT}单元-?)?${ROOM}${ROOM_SUFFIX}?$`,
);

/**
 * 3-1201, 3-2-1201, B-12-0803, A5-2-301, A区3-1201. A unit cannot start with 0, so "B-12-0803"
 * reads as building 12 room 0803, not unit 08.
 */
const DASHED_ROOM = new RegExp(
  `^(?:([A-Z])区?-?)?${BUILDING}(?:-${UNIT})?-${ROOM}${ROOM_SUFFIX}?$`,
);

const EN_ZONE = "(?:zone|area|district|section)\\s*([a-z])";
const EN_BUILDING = "(?:building|bldg\\.?|block|blk\\.?|tower)\\s*(?:no\\.?\\s*|#\\s*)?([1-9]\\d{0,2})";
const EN_UNIT = "(?:unit|entrance)\\s*(?:no\\.?\\s*|#\\s*)?([1-9]\\d?)";
const EN_ROOM_WORD = "(?:room|rm\\.?|apt\\.?|apartment|flat|unit|no\\.?|#)\\s*#?\\s*";
/** Between parts: a comma, or a space; "Building 21501" is not split by guessing. */
const EN_SEP = "(?:\\s*[,;]\\s*|\\s+)";

/**
 * Building first, as an address line is written: Building 5 Unit 2 Room 301, Bldg 5, #301, Zone A
 * Block 3 Flat 1201, Building 5 Unit 301, and the room without a word after a comma or a space
 * (Building 2, 1501; issue 11 §5).
 */
const ENGLISH_ROOM = new RegExp(
  `^(?:${EN_ZONE}${EN_SEP})?${EN_BUILDING}(?:${EN_SEP}${EN_UNIT})?(?:\\s*,?\\s*${EN_ROOM_WORD}|${EN_SEP})${ROOM}$`,
  "i",
);

/** Room first, as a flat is named in English: Room 1501, Building 2; Apt 301, Bldg 2 Unit 1. */
const ENGLISH_ROOM_FIRST = new RegExp(
  `^${EN_ROOM_WORD}${ROOM}${EN_SEP}(?:${EN_ZONE}${EN_SEP})?${EN_BUILDING}(?:${EN_SEP}${EN_UNIT})?$`,
  "i",
);

function roomLabel(
  zone: string | undefined,
  building: string,
  unit: string | undefined,
  room: string,
): RoomResult {
  const zoneCode = zone ? zone.toUpperCase() : null;
  const parts = [zoneCode, building, unit, room].filter((p): p is string => !!p);
  return { ok: true, label: parts.join("-"), zoneCode };
}

/**
 * An owner's room number in any of the shapes they type, to the canonical label. Room digits are
 * kept as written (0803 stays 0803). Bare numbers ("12", "1201"), phone numbers and anything
 * without a building are rejected: a room without a building cannot be routed to a zone
 * specialist (domain.md "People": each 管家 owns one zone). Letter-named buildings ("A栋301")
 * are not supported, because a leading letter already means the zone.
 */
export function parseRoom(text: string): RoomResult {
  const s = normalizeInput(text);
  if (!s) return { ok: false, reason: "empty" };
  if (Array.from(s).length > MAX_ROOM_INPUT_CHARS) return { ok: false, reason: "format" };

  const en = ENGLISH_ROOM.exec(s);
  if (en) return roomLabel(en[1], en[2]!, en[3], en[4]!);
  const roomFirst = ENGLISH_ROOM_FIRST.exec(s);
  if (roomFirst) return roomLabel(roomFirst[2], roomFirst[3]!, roomFirst[4], roomFirst[1]!);

  // "3 1201" is a building and a room typed with a space; other spaces are noise.
  const compact = s
    .replace(/(\d)\s+(?=\d)/g, "$1-")
    .replace(/\s+/g, "")
    .replace(/[#_/—–−~]/g, "-")
    .replace(/-{2,}/g, "-")
    .toUpperCase();

  const zh = CHINESE_ROOM.exec(compact);
  if (zh) return roomLabel(zh[1], zh[2]!, zh[3], zh[4]!);

  const dashed = DASHED_ROOM.exec(compact);
  if (dashed) return roomLabel(dashed[1], dashed[2]!, dashed[3], dashed[4]!);

  return { ok: false, reason: "format" };
}
