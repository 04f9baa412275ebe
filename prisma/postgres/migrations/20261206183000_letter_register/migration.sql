-- 收文登记簿 (seed 000 §2(2)B, issue 12 item 3): letters registered per property and year, the
-- counter that numbers them without gaps, and the written replies kept for printing.

-- CreateTable
CREATE TABLE "LetterEntry" (
    "id" TEXT NOT NULL,
    "propertyId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "intakeId" TEXT NOT NULL,
    "ticketId" TEXT,
    "receivedOn" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "scans" TEXT NOT NULL DEFAULT '[]',
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "registeredById" TEXT NOT NULL,

    CONSTRAINT "LetterEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LetterCounter" (
    "propertyId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "LetterCounter_pkey" PRIMARY KEY ("propertyId","year")
);

-- CreateTable
CREATE TABLE "LetterReply" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "byId" TEXT NOT NULL,

    CONSTRAINT "LetterReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LetterEntry_intakeId_key" ON "LetterEntry"("intakeId");

-- CreateIndex
CREATE UNIQUE INDEX "LetterEntry_ticketId_key" ON "LetterEntry"("ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "LetterEntry_propertyId_year_seq_key" ON "LetterEntry"("propertyId", "year", "seq");

-- CreateIndex
CREATE INDEX "LetterReply_entryId_at_idx" ON "LetterReply"("entryId", "at");

-- CreateIndex
CREATE INDEX "LetterReply_ticketId_at_idx" ON "LetterReply"("ticketId", "at");

