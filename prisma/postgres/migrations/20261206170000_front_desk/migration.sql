-- How a matter reached the desk: chat, or recorded by staff from a phone call, a visit, a letter
-- or a patrol (issue 12). Existing tickets were all filed in chat.

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'chat';
