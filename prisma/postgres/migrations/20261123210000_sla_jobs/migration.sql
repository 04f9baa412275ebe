-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "username" TEXT;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "calledBackAt" TIMESTAMP(3),
ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "firstReplyDueAt" TIMESTAMP(3),
ADD COLUMN     "firstResponseAt" TIMESTAMP(3),
ADD COLUMN     "rating" TEXT,
ADD COLUMN     "reopenCount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "propertyId" TEXT NOT NULL,
    "overrides" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlaPolicy_pkey" PRIMARY KEY ("propertyId")
);

-- CreateTable
CREATE TABLE "JobPost" (
    "id" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "scheduledFor" TIMESTAMP(3) NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "data" TEXT NOT NULL DEFAULT '{}',
    "signedAt" TIMESTAMP(3),
    "signedById" TEXT,

    CONSTRAINT "JobPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "job" TEXT NOT NULL,
    "lastSlotAt" TIMESTAMP(3) NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "nextRetryAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("job")
);

-- CreateTable
CREATE TABLE "HandoverNote" (
    "id" TEXT NOT NULL,
    "propertyId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HandoverNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JobPost_job_at_idx" ON "JobPost"("job", "at");

-- CreateIndex
CREATE UNIQUE INDEX "JobPost_job_period_target_key" ON "JobPost"("job", "period", "target");

-- CreateIndex
CREATE INDEX "HandoverNote_propertyId_at_idx" ON "HandoverNote"("propertyId", "at");

-- CreateIndex
CREATE INDEX "Person_platform_username_idx" ON "Person"("platform", "username");

-- CreateIndex
CREATE INDEX "Ticket_propertyId_resolvedAt_idx" ON "Ticket"("propertyId", "resolvedAt");

-- CreateIndex
CREATE INDEX "Ticket_status_createdAt_idx" ON "Ticket"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_status_resolvedAt_idx" ON "Ticket"("status", "resolvedAt");

-- CreateIndex
CREATE INDEX "TicketEvent_type_at_idx" ON "TicketEvent"("type", "at");

-- AddForeignKey
ALTER TABLE "SlaPolicy" ADD CONSTRAINT "SlaPolicy_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandoverNote" ADD CONSTRAINT "HandoverNote_propertyId_fkey" FOREIGN KEY ("propertyId") REFERENCES "Property"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

