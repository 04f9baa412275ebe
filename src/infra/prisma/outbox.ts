/** The outbox table: written inside the transactions that cause messages, read by the sender. */
import { z } from "zod";
import type { NewOutboxMessage, OutboxRecord, OutboxStore } from "../../core/outbox.js";
import type { ChatRef } from "../../core/staff/chats.js";
import { CHANNELS } from "../../core/messages.js";
import { isUniqueViolation, type Ctx, type Tx } from "./db.js";

/** Insert the messages a change causes, inside that change's transaction. */
export async function writeOutbox(tx: Tx, newId: () => string, messages: readonly NewOutboxMessage[] | undefined, at: Date): Promise<void> {
  for (const m of messages ?? []) {
    await tx.outboxMessage.create({
      data: {
        id: newId(),
        platform: m.to.platform,
        chatId: m.to.chatId,
        kind: m.kind,
        ticketId: m.ticketId ?? null,
        payload: JSON.stringify(m.kind === "message" ? m.body : {}),
        nextAttemptAt: at,
        createdAt: at,
      },
    });
  }
}

const row = z.object({
  id: z.string(),
  platform: z.enum(CHANNELS),
  chatId: z.string(),
  kind: z.enum(["message", "card"]),
  ticketId: z.string().nullable(),
  payload: z.string(),
  attempts: z.number(),
  createdAt: z.date(),
});

function toRecord(raw: unknown): OutboxRecord {
  const r = row.parse(raw);
  const to = { platform: r.platform, chatId: r.chatId };
  if (r.kind === "card") {
    if (!r.ticketId) throw new Error(`outbox ${r.id}: a card without a ticket`);
    return { id: r.id, attempts: r.attempts, createdAt: r.createdAt, message: { kind: "card", to, ticketId: r.ticketId } };
  }
  const body = JSON.parse(r.payload) as Extract<NewOutboxMessage, { kind: "message" }>["body"];
  const message: NewOutboxMessage = r.ticketId ? { kind: "message", to, ticketId: r.ticketId, body } : { kind: "message", to, body };
  return { id: r.id, attempts: r.attempts, createdAt: r.createdAt, message };
}

export function createOutboxStore({ db, newId }: Ctx): OutboxStore {
  return {
    async due(now, limit) {
      const rows = await db.outboxMessage.findMany({
        where: { status: "pending", nextAttemptAt: { lte: now } },
        orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
        take: limit,
      });
      return rows.map(toRecord);
    },
    async markSent(id, at) {
      await db.outboxMessage.update({ where: { id }, data: { status: "sent", sentAt: at, attempts: { increment: 1 } } });
    },
    async markRetry(id, next, error) {
      await db.outboxMessage.update({
        where: { id },
        data: { nextAttemptAt: next, lastError: error.slice(0, 500), attempts: { increment: 1 } },
      });
    },
    async markDead(id, error) {
      await db.outboxMessage.update({ where: { id }, data: { status: "dead", lastError: error.slice(0, 500), attempts: { increment: 1 } } });
    },
    async cardMessage(ticketId, to: ChatRef) {
      const card = await db.ticketCard.findUnique({
        where: { ticketId_platform_chatId: { ticketId, platform: to.platform, chatId: to.chatId } },
      });
      return card?.messageId ?? null;
    },
    async saveCardMessage(ticketId, to, messageId, at) {
      const key = { ticketId, platform: to.platform, chatId: to.chatId };
      try {
        await db.ticketCard.upsert({
          where: { ticketId_platform_chatId: key },
          create: { id: newId(), ...key, messageId, updatedAt: at },
          update: { messageId, updatedAt: at },
        });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    },
  };
}
