-- AlterTable (a column with a constant default: SQLite adds it in place, no table rebuild)
ALTER TABLE "OutboxMessage" ADD COLUMN "bulk" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OutboxSend" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OutboxSendLock" (
    "platform" TEXT NOT NULL PRIMARY KEY,
    "bookings" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE INDEX "OutboxSend_platform_at_idx" ON "OutboxSend"("platform", "at");

-- CreateIndex
CREATE INDEX "OutboxSend_platform_chatId_at_idx" ON "OutboxSend"("platform", "chatId", "at");


-- Files pending at the upgrade are reports (monthly statistics): bulk, as new ones are marked.
UPDATE "OutboxMessage" SET "bulk" = true WHERE "kind" = 'document' AND "status" = 'pending';

