-- Who holds a held reply or a leased message (issue 10): a killed instance's are released by a
-- live one on PostgreSQL instead of waiting out their hold or lease.

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "holder" INTEGER;
