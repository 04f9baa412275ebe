-- AlterTable
ALTER TABLE "Person" ADD COLUMN "username" TEXT;

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "propertyId" TEXT NOT NULL PRIMARY KEY,
    "overrides" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SlaPolicy_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JobPost" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "job" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "scheduledFor" DATETIME NOT NULL,
    "at" DATETIME NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "data" TEXT NOT NULL DEFAULT '{}',
    "signedAt" DATETIME,
    "signedById" TEXT
);

-- CreateTable
CREATE TABLE "JobRun" (
    "job" TEXT NOT NULL PRIMARY KEY,
    "lastSlotAt" DATETIME NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "nextRetryAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HandoverNote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "propertyId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "HandoverNote_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Ticket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "propertyId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "intakeId" TEXT NOT NULL,
    "zoneId" TEXT,
    "roomId" TEXT,
    "kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "weight" TEXT NOT NULL,
    "majorReasons" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "roomLabel" TEXT,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "location" TEXT,
    "place" TEXT,
    "description" TEXT NOT NULL,
    "since" TEXT,
    "visitTime" TEXT,
    "channel" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "photoCount" INTEGER NOT NULL DEFAULT 0,
    "eventSeq" INTEGER NOT NULL DEFAULT 0,
    "assigneeId" TEXT,
    "confirmation" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "confirmedAt" DATETIME,
    "nextReplyDueAt" DATETIME,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    "calledBackAt" DATETIME,
    "claimedAt" DATETIME,
    "firstReplyDueAt" DATETIME,
    "firstResponseAt" DATETIME,
    "rating" TEXT,
    "reopenCount" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Ticket_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Ticket_zoneId_fkey" FOREIGN KEY ("zoneId") REFERENCES "Zone" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Person" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Ticket" ("assigneeId", "category", "channel", "closedAt", "confirmation", "confirmedAt", "contactName", "contactPhone", "createdAt", "description", "eventSeq", "id", "intakeId", "kind", "locale", "location", "majorReasons", "nextReplyDueAt", "number", "ownerId", "photoCount", "place", "propertyId", "resolvedAt", "roomId", "roomLabel", "seq", "since", "status", "updatedAt", "visitTime", "weight", "zoneId") SELECT "assigneeId", "category", "channel", "closedAt", "confirmation", "confirmedAt", "contactName", "contactPhone", "createdAt", "description", "eventSeq", "id", "intakeId", "kind", "locale", "location", "majorReasons", "nextReplyDueAt", "number", "ownerId", "photoCount", "place", "propertyId", "resolvedAt", "roomId", "roomLabel", "seq", "since", "status", "updatedAt", "visitTime", "weight", "zoneId" FROM "Ticket";
DROP TABLE "Ticket";
ALTER TABLE "new_Ticket" RENAME TO "Ticket";
CREATE UNIQUE INDEX "Ticket_number_key" ON "Ticket"("number");
CREATE UNIQUE INDEX "Ticket_intakeId_key" ON "Ticket"("intakeId");
CREATE INDEX "Ticket_propertyId_status_idx" ON "Ticket"("propertyId", "status");
CREATE INDEX "Ticket_ownerId_createdAt_idx" ON "Ticket"("ownerId", "createdAt");
CREATE INDEX "Ticket_propertyId_createdAt_idx" ON "Ticket"("propertyId", "createdAt");
CREATE INDEX "Ticket_status_nextReplyDueAt_idx" ON "Ticket"("status", "nextReplyDueAt");
CREATE INDEX "Ticket_assigneeId_status_idx" ON "Ticket"("assigneeId", "status");
CREATE INDEX "Ticket_propertyId_resolvedAt_idx" ON "Ticket"("propertyId", "resolvedAt");
CREATE INDEX "Ticket_status_createdAt_idx" ON "Ticket"("status", "createdAt");
CREATE INDEX "Ticket_status_resolvedAt_idx" ON "Ticket"("status", "resolvedAt");
CREATE UNIQUE INDEX "Ticket_propertyId_seq_key" ON "Ticket"("propertyId", "seq");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "JobPost_job_at_idx" ON "JobPost"("job", "at");

-- CreateIndex
CREATE UNIQUE INDEX "JobPost_job_period_target_key" ON "JobPost"("job", "period", "target");

-- CreateIndex
CREATE INDEX "HandoverNote_propertyId_at_idx" ON "HandoverNote"("propertyId", "at");

-- CreateIndex
CREATE INDEX "Person_platform_username_idx" ON "Person"("platform", "username");

-- CreateIndex
CREATE INDEX "TicketEvent_type_at_idx" ON "TicketEvent"("type", "at");

