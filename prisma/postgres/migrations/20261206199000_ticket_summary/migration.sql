-- The optional language model's one line on the matter, in the staff's language (issue 15).

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "summary" TEXT;
