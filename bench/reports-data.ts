/**
 * Fills a migrated SQLite file with two years of a company's tickets for the reports benchmark:
 * several properties of different sizes, every ticket with the life the workflow gives it
 * (claimed, answered, resolved, rated or called back, sometimes reopened, escalated or
 * cancelled; the recent ones still open) and the events the reports read. Written with
 * better-sqlite3 in multi-row INSERTs inside one transaction, with the secondary indexes dropped
 * while loading and rebuilt after (one sort each instead of a million inserts): the schema the
 * benchmark queries is exactly the migrated one.
 *
 * Left out: the `confirmed`, `reply` and `note` events, photos and conversations. No report reads
 * them, and in TicketEvent's indexes they sort apart from the types the reports read.
 */
import { seededRandom } from "../src/core/util/seeded-random.js";
import Database from "better-sqlite3";

type Row = readonly (string | number | null)[];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Shanghai: the seeds' companies, no daylight saving. */
const UTC_OFFSET = 8 * HOUR;

/** The properties, busiest first, with their share of the tickets. */
const PROPERTIES = [
  { code: "HG", name: "虹港家园", share: 0.35 },
  { code: "JX", name: "锦绣华庭", share: 0.2 },
  { code: "LH", name: "临湖苑", share: 0.15 },
  { code: "MY", name: "美域花园", share: 0.12 },
  { code: "TC", name: "天辰大厦", share: 0.1 },
  { code: "XS", name: "西山名苑", share: 0.08 },
] as const;

const KINDS = [["complaint", 0.3], ["repair", 0.45], ["inquiry", 0.15], ["suggestion", 0.06], ["praise", 0.04]] as const;
const CATEGORIES = ["cleaning", "engineering", "greening", "security", "parking", "fees", "management", "efficiency", "conduct", "other"];
const REPLY_WITHIN: Readonly<Record<string, number>> = { repair: 2 * HOUR, complaint: 4 * HOUR, inquiry: 4 * HOUR, suggestion: DAY, praise: DAY };
const DESCRIPTIONS = ["楼上漏水,天花板都泡了", "电梯又坏了,困了人", "楼道好几天没人打扫", "保安态度太差", "地库车位被占", "物业费账单有误", "草坪没人修剪", "夜里施工太吵"];

/** The same data on every run. */
const random = seededRandom;

/**
 * UUID-shaped ids (36 characters, as the app's) whose first 12 digits are the time, like a
 * UUIDv7: rows then load in nearly ascending key order, minutes faster than random v4 ids on this
 * machine. Finding a row by id walks the same B-tree depth either way.
 */
function ids(rand: () => number): (ms: number) => string {
  const hex = (digits: number) => Math.floor(rand() * 16 ** digits).toString(16).padStart(digits, "0");
  return (ms) => {
    const t = Math.floor(ms).toString(16).padStart(12, "0");
    return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(3)}-${(8 + Math.floor(rand() * 4)).toString(16)}${hex(3)}-${hex(6)}${hex(6)}`;
  };
}

/** How Prisma's SQLite adapter writes a DateTime (its default "iso8601" format). */
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace("Z", "+00:00"));

/** Rows buffered and written by one prepared multi-row INSERT per full batch. */
function inserter(db: Database.Database, table: string, columns: readonly string[]) {
  const perStatement = Math.floor(30_000 / columns.length);
  const sql = (n: number) =>
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ` +
    Array.from({ length: n }, () => `(${columns.map(() => "?").join(", ")})`).join(", ");
  const full = db.prepare(sql(perStatement));
  let buffer: (string | number | null)[] = [];
  let rows = 0;
  let total = 0;
  return {
    add(row: Row): void {
      buffer.push(...row);
      total++;
      if (++rows === perStatement) {
        full.run(buffer);
        buffer = [];
        rows = 0;
      }
    },
    flush(): number {
      if (rows > 0) db.prepare(sql(rows)).run(buffer);
      buffer = [];
      rows = 0;
      return total;
    },
  };
}

export interface Generated {
  readonly tickets: number;
  readonly events: number;
  /** The busiest property: the one the benchmark reports on. */
  readonly propertyId: string;
  readonly propertyTickets: number;
}

const TICKET_COLUMNS = [
  "id", "number", "propertyId", "seq", "intakeId", "zoneId", "kind", "category", "weight", "status", "ownerId", "roomLabel",
  "contactName", "contactPhone", "location", "description", "channel", "locale", "eventSeq", "assigneeId", "confirmation",
  "createdAt", "confirmedAt", "nextReplyDueAt", "resolvedAt", "closedAt", "updatedAt", "firstReplyDueAt", "firstResponseAt",
  "claimedAt", "calledBackAt", "rating", "reopenCount",
] as const;
const EVENT_COLUMNS = ["id", "ticketId", "seq", "at", "type", "actorKind", "actorId", "channel", "fromStatus", "toStatus", "data"] as const;

/** `total` tickets filed over the two years before `now`. */
export function generate(file: string, total: number, now: Date): Generated {
  const db = new Database(file);
  // better-sqlite3's defensive mode refuses journal_mode OFF; MEMORY is as good for one load.
  db.pragma("journal_mode = MEMORY");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = OFF");
  // Random ids land all over the primary-key index: keep it in memory while loading.
  db.pragma("cache_size = -2000000");
  // Rebuilding an index sorts millions of keys: in memory rather than in temporary files.
  db.pragma("temp_store = MEMORY");
  const rand = random(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
  const newId = ids(rand);
  const end = now.getTime();
  const start = end - 730 * DAY;

  // Secondary indexes go while loading and come back after, from their own migrated SQL.
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('Ticket', 'TicketEvent')`)
    .all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);

  const result = db.transaction((): Generated => {
    const at = iso(start)!;
    const people = inserter(db, "Person", ["id", "platform", "platformUserId", "displayName", "name", "locale", "createdAt", "updatedAt"]);
    const owners = Array.from({ length: 30_000 }, (_, i) => {
      const id = newId(start);
      people.add([id, "telegram", `owner-${i}`, `业主${i}`, `业主${i}`, "zh-CN", at, at]);
      return id;
    });
    const tickets = inserter(db, "Ticket", TICKET_COLUMNS);
    const events = inserter(db, "TicketEvent", EVENT_COLUMNS);
    let busiest = { id: "", count: 0 };
    for (const p of PROPERTIES) {
      const propertyId = newId(start);
      db.prepare(`INSERT INTO "Property" ("id", "code", "name", "createdAt") VALUES (?, ?, ?, ?)`).run(propertyId, p.code, p.name, at);
      const zones = ["A", "B", "C"].map((code) => {
        const id = newId(start);
        db.prepare(`INSERT INTO "Zone" ("id", "propertyId", "code", "name") VALUES (?, ?, ?, ?)`).run(id, propertyId, code, `${code}区`);
        return id;
      });
      const staff = ["zone_specialist", "zone_specialist", "front_desk", "supervisor", "director", "property_head"].map((role, i) => {
        const id = newId(start);
        people.add([id, "telegram", `staff-${p.code}-${i}`, `${p.code}员工${i}`, `${p.code}员工${i}`, "zh-CN", at, at]);
        db.prepare(`INSERT INTO "StaffRole" ("id", "personId", "propertyId", "role", "createdAt") VALUES (?, ?, ?, ?, ?)`).run(newId(start), id, propertyId, role, at);
        return id;
      });
      // Filing times spread over the two years, mostly in the day (Shanghai), in filing order.
      const count = Math.round(total * p.share);
      const filed = Array.from({ length: count }, () => {
        const day = Math.floor(between(0, 730));
        const hour = rand() < 0.9 ? between(7, 22) : between(0, 24);
        return start - ((start + UTC_OFFSET) % DAY) + day * DAY + hour * HOUR;
      }).sort((a, b) => a - b);
      filed.forEach((created, i) => lifeOf(created, i + 1));
      db.prepare(`UPDATE "Property" SET "ticketSeq" = ? WHERE "id" = ?`).run(count, propertyId);
      if (count > busiest.count) busiest = { id: propertyId, count };

      function lifeOf(created: number, seq: number): void {
        const id = newId(created);
        let eventSeq = 0;
        const event = (type: string, atMs: number, actorId: string | null, from: string | null, to: string | null, data: object) =>
          events.add([newId(atMs), id, ++eventSeq, iso(atMs), type, actorId === owner ? "owner" : "staff", actorId, "telegram", from, to, JSON.stringify(data)]);
        const move = (atMs: number, actorId: string, from: string, to: string, data: object) => event("transition", atMs, actorId, from, to, data);
        const r = rand();
        const kind = KINDS.find((k, i) => r < KINDS.slice(0, i + 1).reduce((s, x) => s + x[1], 0))?.[0] ?? "repair";
        const weight = rand() < 0.03 ? "major" : kind === "complaint" && rand() < 0.02 ? "written" : "general";
        const owner = pick(owners);
        const assignee = pick(staff.slice(0, 4));
        const firstReplyDue = created + (weight === "major" ? HOUR / 2 : REPLY_WITHIN[kind]!);
        event("created", created, owner, null, "new", {});
        const t = {
          status: "new", assigneeId: null as string | null, nextReplyDueAt: firstReplyDue as number | null, resolvedAt: null as number | null,
          closedAt: null as number | null, firstResponseAt: null as number | null, claimedAt: null as number | null,
          calledBackAt: null as number | null, rating: null as string | null, reopenCount: 0,
        };
        const happened = (ms: number) => ms <= end;
        const cancelAt = created + between(0.2, 3) * HOUR;
        const claimAt = created + between(0.05, 3) * HOUR;
        const answerAt = claimAt + between(0.1, 6) * HOUR;
        if (rand() < 0.04) {
          if (happened(cancelAt)) {
            move(cancelAt, owner, "new", "cancelled", { action: "cancel" });
            t.status = "cancelled";
            t.nextReplyDueAt = null;
          }
        } else if (happened(claimAt)) {
          move(claimAt, assignee, "new", "claimed", { action: "claim" });
          Object.assign(t, { status: "claimed", assigneeId: assignee, claimedAt: claimAt });
          if (weight === "major" && rand() < 0.3) event("escalated", claimAt + HOUR, staff[3]!, null, null, { reason: "重大" });
          if (happened(answerAt)) {
            move(answerAt, assignee, "claimed", "in_progress", { action: "start" });
            // A promise of the next reply keeps the clock running (跟清楚) until the work is done.
            Object.assign(t, { status: "in_progress", firstResponseAt: answerAt, nextReplyDueAt: rand() < 0.3 ? answerAt + between(2, 48) * HOUR : null });
            resolveAndRate(Math.max(answerAt, created + between(1, 96) * HOUR));
          }
        }
        tickets.add([
          id, `${p.code}-${String(seq).padStart(4, "0")}`, propertyId, seq, newId(created), pick(zones), kind, pick(CATEGORIES), weight,
          t.status, owner, `${1 + Math.floor(rand() * 30)}-${1000 + Math.floor(rand() * 2000)}`, "业主", "13900001111", "home",
          pick(DESCRIPTIONS), "telegram", "zh-CN", eventSeq, t.assigneeId, "{}", iso(created), iso(created), iso(t.nextReplyDueAt),
          iso(t.resolvedAt), iso(t.closedAt), iso(Math.min(end, created + 4 * DAY)), iso(firstReplyDue), iso(t.firstResponseAt),
          iso(t.claimedAt), iso(t.calledBackAt), t.rating, t.reopenCount,
        ]);

        function resolveAndRate(resolveAt: number): void {
          if (!happened(resolveAt)) return;
          move(resolveAt, assignee, t.status, "resolved", { action: "resolve", result: "已处理完毕" });
          Object.assign(t, { status: "resolved", resolvedAt: resolveAt, nextReplyDueAt: null });
          const rateAt = resolveAt + between(0.5, 36) * HOUR;
          if (rand() > 0.8 || !happened(rateAt)) return;
          const byOwner = rand() < 0.6;
          const rating = t.reopenCount === 0 && rand() < 0.05 ? "dissatisfied" : rand() < 0.82 ? "satisfied" : "fairly";
          event(byOwner ? "rated" : "callback", rateAt, byOwner ? owner : staff[4]!, null, null, byOwner ? { rating } : { rating, note: "" });
          Object.assign(t, { calledBackAt: rateAt, rating });
          if (rating === "dissatisfied") {
            move(rateAt, byOwner ? owner : staff[4]!, "resolved", "reopened", { action: "reopen", rating });
            Object.assign(t, { status: "reopened", resolvedAt: null, reopenCount: 1 });
            resolveAndRate(rateAt + between(2, 48) * HOUR);
            return;
          }
          move(rateAt, byOwner ? owner : staff[4]!, "resolved", "closed", { action: "close", rating });
          Object.assign(t, { status: "closed", closedAt: rateAt });
        }
      }
    }
    people.flush();
    return { tickets: tickets.flush(), events: events.flush(), propertyId: busiest.id, propertyTickets: busiest.count };
  })();

  for (const i of indexes) db.exec(i.sql);
  db.close();
  return result;
}
