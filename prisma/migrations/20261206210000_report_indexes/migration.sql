-- The reports over a long history (issue 16 item 6): the event index covers what the report
-- queries read, a covering (id, propertyId, kind) index on Ticket joins events to their property
-- in one seek, and (ticketId, type, seq) answers "a callback before this one?". (ticketId, at)
-- goes: a ticket's history is found by (ticketId, seq) as well, and each index is one more write
-- per event.

-- DropIndex
DROP INDEX "TicketEvent_ticketId_at_idx";

-- DropIndex
DROP INDEX "TicketEvent_type_at_idx";

-- CreateIndex
CREATE INDEX "Ticket_id_propertyId_kind_idx" ON "Ticket"("id", "propertyId", "kind");

-- CreateIndex
CREATE INDEX "TicketEvent_type_at_ticketId_seq_toStatus_actorId_idx" ON "TicketEvent"("type", "at", "ticketId", "seq", "toStatus", "actorId");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketId_type_seq_idx" ON "TicketEvent"("ticketId", "type", "seq");

