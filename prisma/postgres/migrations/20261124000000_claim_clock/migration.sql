-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "awaitingClaimSince" TIMESTAMP(3);

-- Existing tickets: the claim clock runs from their last move into new or reopened (an unclaim,
-- a reopening), or else from their filing.
UPDATE "Ticket" SET "awaitingClaimSince" = COALESCE(
  (SELECT MAX(e."at") FROM "TicketEvent" e
   WHERE e."ticketId" = "Ticket"."id" AND e."type" = 'transition' AND e."toStatus" IN ('new', 'reopened')),
  "createdAt");
