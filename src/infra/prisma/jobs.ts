/**
 * The jobs' ledger over Prisma (the JobLedger port). Exactly-once rests on one unique key,
 * (job, period, target): the ledger row and the post's outbox messages commit in one
 * transaction, so the second writer (a repeated run, a caught-up run, another instance on the
 * same PostgreSQL database) hits the key, rolls back its messages with it and reads the first post.
 */
import { z } from "zod";
import type { JobLedger, JobRunState, PostKey, PostRecord, PostResult, SignResult } from "../../core/scheduled/ledger.js";
import { isUniqueViolation, TX_OPTIONS, type Ctx } from "./db.js";
import { writeOutbox } from "./outbox.js";
import { jsonColumn } from "./rows.js";

const postRow = z.object({
  id: z.string(),
  job: z.string(),
  period: z.string(),
  target: z.string(),
  scheduledFor: z.date(),
  at: z.date(),
  late: z.boolean(),
  data: z.string().transform((s) => JSON.parse(s) as Record<string, unknown>),
  signedAt: z.date().nullable(),
  signedById: z.string().nullable(),
});
const toPost = (row: unknown): PostRecord => postRow.parse(row);

const runRow = z.object({
  job: z.string(),
  lastSlotAt: z.date(),
  failures: z.number().int(),
  lastError: z.string().nullable(),
  nextRetryAt: z.date().nullable(),
});

const unique = (key: PostKey) => ({ job_period_target: { job: key.job, period: key.period, target: key.target } });

export function createJobLedger({ db, newId }: Ctx): JobLedger {
  const find = async (key: PostKey): Promise<PostRecord | null> => {
    const row = await db.jobPost.findUnique({ where: unique(key) });
    return row ? toPost(row) : null;
  };
  return {
    find,
    async post(key, post): Promise<PostResult> {
      const id = newId();
      try {
        await db.$transaction(async (tx) => {
          await tx.jobPost.create({
            data: {
              id,
              ...key,
              scheduledFor: post.scheduledFor,
              at: post.at,
              late: post.late,
              data: jsonColumn(post.data ?? {}),
            },
          });
          await writeOutbox(tx, newId, post.outbox, post.at, { bulk: post.bulk ?? false });
        }, TX_OPTIONS);
        return { posted: true, id };
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        const existing = await find(key);
        if (!existing) throw e;
        return { posted: false, existing };
      }
    },
    async postsOf(job, from, to) {
      const rows = await db.jobPost.findMany({ where: { job, at: { gte: from, lt: to } }, orderBy: [{ at: "asc" }, { id: "asc" }] });
      return rows.map(toPost);
    },
    async sign(key, personId, at): Promise<SignResult> {
      // The condition on signedAt makes the first press win when two directors press at once.
      const { count } = await db.jobPost.updateMany({ where: { ...key, signedAt: null }, data: { signedAt: at, signedById: personId } });
      const post = await find(key);
      if (!post) return { ok: false, code: "not_found" };
      return count === 1 ? { ok: true, post } : { ok: false, code: "already_signed", post };
    },
    async runState(job) {
      const row = await db.jobRun.findUnique({ where: { job } });
      return row ? runRow.parse(row) : null;
    },
    async saveRunState(state: JobRunState, at) {
      const data = {
        lastSlotAt: state.lastSlotAt,
        failures: state.failures,
        lastError: state.lastError,
        nextRetryAt: state.nextRetryAt,
        updatedAt: at,
      };
      // Never backwards: an instance that ran an older slot must not undo another's progress.
      const { count } = await db.jobRun.updateMany({ where: { job: state.job, lastSlotAt: { lte: state.lastSlotAt } }, data });
      if (count === 1) return;
      try {
        await db.jobRun.create({ data: { job: state.job, ...data } });
      } catch (e) {
        // The row exists with a later slot (or another instance created it just now): theirs stands.
        if (!isUniqueViolation(e)) throw e;
      }
    },
  };
}
