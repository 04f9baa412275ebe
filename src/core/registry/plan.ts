/**
 * What importing a roster changes: rooms to add, rooms whose roster fields differ, and the rest
 * unchanged, so importing the same file twice changes nothing the second time. Rooms the file
 * does not name stay as they are (a roster of one building is not a list of rooms to delete),
 * and so do fields the file has no column for.
 */
import type { RosterEntry } from "./roster.js";
import type { RosterRoom } from "./store.js";

export interface RosterPlan {
  readonly added: readonly RosterRoom[];
  readonly changed: readonly RosterRoom[];
  readonly unchanged: number;
}

const FIELDS = ["zoneId", "ownerName", "ownerPhone", "vip", "vipNote", "notes"] as const;

export function planImport(existing: readonly RosterRoom[], entries: readonly RosterEntry[]): RosterPlan {
  const byLabel = new Map(existing.map((r) => [r.label, r]));
  const added: RosterRoom[] = [];
  const changed: RosterRoom[] = [];
  let unchanged = 0;
  for (const entry of entries) {
    const before = byLabel.get(entry.label);
    const after: RosterRoom = {
      label: entry.label,
      zoneId: entry.zoneId ?? before?.zoneId ?? null,
      ownerName: entry.ownerName !== undefined ? entry.ownerName : (before?.ownerName ?? null),
      ownerPhone: entry.ownerPhone !== undefined ? entry.ownerPhone : (before?.ownerPhone ?? null),
      vip: entry.vip ?? before?.vip ?? false,
      vipNote: entry.vipNote !== undefined ? entry.vipNote : (before?.vipNote ?? null),
      notes: entry.notes !== undefined ? entry.notes : (before?.notes ?? null),
    };
    if (!before) added.push(after);
    else if (FIELDS.some((f) => before[f] !== after[f])) changed.push(after);
    else unchanged++;
  }
  return { added, changed, unchanged };
}
