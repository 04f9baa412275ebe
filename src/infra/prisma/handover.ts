/** Handover notes (交接班) over Prisma: the HandoverStore port. */
import { z } from "zod";
import type { HandoverNoteRecord, HandoverStore } from "../../core/staff/handover.js";
import type { Ctx } from "./db.js";

const row = z.object({
  id: z.string(),
  propertyId: z.string(),
  authorId: z.string(),
  text: z.string(),
  at: z.date(),
});

export function createHandoverStore({ db, newId }: Ctx): HandoverStore {
  return {
    async add(note) {
      await db.handoverNote.create({ data: { id: newId(), ...note } });
    },
    async between(propertyId, from, to, limit): Promise<HandoverNoteRecord[]> {
      const notes = (await db.handoverNote.findMany({ where: { propertyId, at: { gte: from, lt: to } }, orderBy: { at: "asc" }, take: limit })).map((r) => row.parse(r));
      // authorId is not a foreign key (like TicketEvent.actorId): names are looked up, not joined.
      const people = await db.person.findMany({ where: { id: { in: [...new Set(notes.map((n) => n.authorId))] } }, select: { id: true, name: true, displayName: true } });
      const names = new Map(people.map((p) => [p.id, p.name ?? p.displayName]));
      return notes.map((n) => ({ ...n, authorName: names.get(n.authorId) ?? null }));
    },
  };
}
