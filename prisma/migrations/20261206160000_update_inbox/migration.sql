-- Updates kept as a long poll fetched them, before the platform is told they arrived (issue 10, item 1).

-- CreateTable
CREATE TABLE "InboxUpdate" (
    "platform" TEXT NOT NULL,
    "updateId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,

    PRIMARY KEY ("platform", "updateId")
);

-- CreateIndex
CREATE INDEX "InboxUpdate_platform_receivedAt_idx" ON "InboxUpdate"("platform", "receivedAt");
