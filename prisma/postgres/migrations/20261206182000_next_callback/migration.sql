-- The next callback time set by a dissatisfied callback (issue 12 item 5, seed 000 §2(3)A c).

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "nextCallbackAt" TIMESTAMP(3);
