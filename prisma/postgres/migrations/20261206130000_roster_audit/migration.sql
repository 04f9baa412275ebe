-- The owner roster (业主档案) on the room registry, and the audit log of who-is-who changes.
-- Columns in schema order (the drift test compares ordinal positions).

-- AlterTable
ALTER TABLE "Room" ADD COLUMN     "ownerName" TEXT,
ADD COLUMN     "ownerPhone" TEXT,
ADD COLUMN     "vip" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "vipNote" TEXT,
ADD COLUMN     "notes" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "propertyId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_propertyId_at_idx" ON "AuditEvent"("propertyId", "at");

-- CreateIndex
CREATE INDEX "Room_propertyId_ownerPhone_idx" ON "Room"("propertyId", "ownerPhone");

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property"("id") ON DELETE SET NULL ON UPDATE CASCADE;
