/**
 * The FrontDeskStore port over Prisma: the owners of a property's earlier tickets by room or
 * phone, so the scribe confirms an owner instead of retyping them (issue 12, item 1).
 */
import type { OwnerCandidate } from "../../core/frontdesk/draft.js";
import type { FrontDeskStore } from "../../core/frontdesk/store.js";
import type { Ctx } from "./db.js";

/** Enough recent tickets to find each distinct owner of a room; older ones add nobody new. */
const LOOKED_AT = 20;

async function earlierOwners({ db }: Ctx, propertyId: string, match: { roomLabel?: string; phone?: string }): Promise<OwnerCandidate[]> {
  const or = [...(match.roomLabel ? [{ roomLabel: match.roomLabel }] : []), ...(match.phone ? [{ contactPhone: match.phone }] : [])];
  if (or.length === 0) return [];
  const rows = await db.ticket.findMany({
    where: { propertyId, OR: or, source: { not: "patrol" } },
    orderBy: { createdAt: "desc" },
    take: LOOKED_AT,
    select: { ownerId: true, roomLabel: true, contactName: true, contactPhone: true, owner: { select: { platform: true, name: true, phone: true } } },
  });
  const seen = new Set<string>();
  const out: OwnerCandidate[] = [];
  // Someone reachable in chat first: they can be told at once (issue 12, item 2).
  const sorted = [...rows].sort((a, b) => Number(isChat(b.owner.platform)) - Number(isChat(a.owner.platform)));
  for (const r of sorted) {
    if (seen.has(r.ownerId)) continue;
    seen.add(r.ownerId);
    out.push({ personId: r.ownerId, name: r.contactName ?? r.owner.name, phone: r.contactPhone ?? r.owner.phone, roomLabel: r.roomLabel, inChat: isChat(r.owner.platform) });
  }
  return out;
}

const isChat = (platform: string): boolean => platform === "telegram" || platform === "slack";

export function frontDeskStore(ctx: Ctx): FrontDeskStore {
  return { earlierOwners: (propertyId, match) => earlierOwners(ctx, propertyId, match) };
}
