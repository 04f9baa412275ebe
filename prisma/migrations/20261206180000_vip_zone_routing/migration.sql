-- VIP tickets and zone-bound staff groups (issue 13, items 2 and 3). A ticket keeps the VIP flag and note
-- its room had when it was filed, and a staff group may be bound to one zone. Existing rows: not VIP,
-- property-wide.

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "vip" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Ticket" ADD COLUMN "vipNote" TEXT;

-- AlterTable
ALTER TABLE "ChatBinding" ADD COLUMN "zoneId" TEXT;
