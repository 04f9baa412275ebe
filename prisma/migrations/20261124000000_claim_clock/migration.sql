-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "awaitingClaimSince" DATETIME;

-- Existing tickets. Never moved back to waiting: the clock runs from filing, as it did before
-- (a never-claimed ticket's ladder is already posted, under the same due time). Moved back at
-- least once (unclaimed, reopened): from now, so a backlog starts its ladder step by step
-- instead of every level at once, marked late, on the first sweep after the upgrade.
UPDATE "Ticket" SET "awaitingClaimSince" = CASE
  WHEN EXISTS (SELECT 1 FROM "TicketEvent" e
               WHERE e."ticketId" = "Ticket"."id" AND e."type" = 'transition' AND e."toStatus" IN ('new', 'reopened'))
  THEN strftime('%Y-%m-%dT%H:%M:%f', 'now') || '+00:00'
  ELSE "createdAt" END;
