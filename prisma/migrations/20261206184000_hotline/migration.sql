-- The general manager's hotline (issue 14, seed 002): company-level roles, chats and codes, and the
-- case files (热线处理档案) with their history. New tables only.

-- CreateTable
CREATE TABLE "CompanyRole" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CompanyChat" (
    "platform" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("platform", "chatId")
);

-- CreateTable
CREATE TABLE "CompanyInvite" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "role" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedById" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HotlineCounter" (
    "year" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "seq" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "HotlineCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "propertyId" TEXT NOT NULL,
    "tickets" TEXT NOT NULL DEFAULT '[]',
    "ownerId" TEXT,
    "roomLabel" TEXT,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "matter" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "major" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL,
    "recordedById" TEXT,
    "measures" TEXT,
    "departmentHeadId" TEXT,
    "measuresDueAt" DATETIME NOT NULL,
    "measuresAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "eventSeq" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "HotlineEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "type" TEXT NOT NULL,
    "actorId" TEXT,
    "data" TEXT NOT NULL DEFAULT '{}'
);

-- CreateIndex
CREATE UNIQUE INDEX "CompanyRole_personId_role_key" ON "CompanyRole"("personId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "HotlineCase_number_key" ON "HotlineCase"("number");

-- CreateIndex
CREATE INDEX "HotlineCase_propertyId_createdAt_idx" ON "HotlineCase"("propertyId", "createdAt");

-- CreateIndex
CREATE INDEX "HotlineCase_status_createdAt_idx" ON "HotlineCase"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "HotlineCase_year_seq_key" ON "HotlineCase"("year", "seq");

-- CreateIndex
CREATE INDEX "HotlineEvent_type_at_idx" ON "HotlineEvent"("type", "at");

-- CreateIndex
CREATE UNIQUE INDEX "HotlineEvent_caseId_seq_key" ON "HotlineEvent"("caseId", "seq");

