-- The owner roster (业主档案) on the room registry, and the audit log of who-is-who changes.
-- Columns in schema order, appended as ALTER TABLE does on both providers (the drift test compares).

-- AlterTable
ALTER TABLE "Room" ADD COLUMN "ownerName" TEXT;
ALTER TABLE "Room" ADD COLUMN "ownerPhone" TEXT;
ALTER TABLE "Room" ADD COLUMN "vip" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Room" ADD COLUMN "vipNote" TEXT;
ALTER TABLE "Room" ADD COLUMN "notes" TEXT;
ALTER TABLE "Room" ADD COLUMN "updatedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Room_propertyId_ownerPhone_idx" ON "Room"("propertyId", "ownerPhone");

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "propertyId" TEXT,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "AuditEvent_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AuditEvent_propertyId_at_idx" ON "AuditEvent"("propertyId", "at");
