/**
 * The update inbox over the hot statements (hot-sql.ts): a batch is kept on every long poll, so
 * it is one multi-row insert, not a Prisma call per update.
 */
import type { KeptUpdate, UpdateInbox } from "../../core/desk/inbound.js";
import type { Ctx } from "./db.js";
import { placeholders } from "./hot-sql.js";

/** Rows per statement, well under SQLite's and PostgreSQL's parameter limits (a poll brings ≤ 100). */
const ROWS_PER_INSERT = 100;

export function updateInbox({ sql }: Ctx): UpdateInbox {
  return {
    async keep(platform, updates, at) {
      for (let i = 0; i < updates.length; i += ROWS_PER_INSERT) {
        const rows = updates.slice(i, i + ROWS_PER_INSERT);
        await sql.run(
          `INSERT INTO "InboxUpdate" ("platform", "updateId", "body", "receivedAt") VALUES ${rows.map(() => `(${placeholders(4)})`).join(", ")}
           ON CONFLICT ("platform", "updateId") DO NOTHING`,
          rows.flatMap((u) => [platform, u.id, u.body, at]),
        );
      }
    },
    async unfinished(platform, since, until) {
      const rows = await sql.all(
        `SELECT i."updateId" AS "id", i."body" AS "body" FROM "InboxUpdate" i
         WHERE i."platform" = ? AND i."receivedAt" >= ? AND i."receivedAt" <= ?
           AND NOT EXISTS (SELECT 1 FROM "ProcessedUpdate" p WHERE p."platform" = i."platform" AND p."updateId" = i."updateId")
         ORDER BY i."receivedAt", i."updateId"`,
        [platform, since, until],
      );
      return rows.map((r): KeptUpdate => ({ id: String(r.id), body: String(r.body) }));
    },
    async forget(platform, ids) {
      for (let i = 0; i < ids.length; i += ROWS_PER_INSERT) {
        const some = ids.slice(i, i + ROWS_PER_INSERT);
        await sql.run(`DELETE FROM "InboxUpdate" WHERE "platform" = ? AND "updateId" IN (${placeholders(some.length)})`, [platform, ...some]);
      }
    },
  };
}
