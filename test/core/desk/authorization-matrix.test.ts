/**
 * The authorization matrix (issue 10 §3 and §8): every role × every staff command and card button
 * × every kind of chat, through the real StaffDesk and its real extensions over a real store.
 * Each cell is compared with the table below, written from the seeds' roles (domain.md, "People
 * and where they talk"); a refused cell must change nothing in the database and queue nothing.
 * A "hole" is a cell that was allowed where the table refuses it: there must be none.
 *
 * Each cell gets the world it needs: a ticket command acts on a zone-A ticket in the state the
 * command asks for (new to claim, claimed by the zone-A 管家 to work on, resolved to call back or
 * reopen), and whatever an allowed cell changed (a ticket, a binding, a signed digest) is given a
 * fresh one before the next cell. `/join` runs last: joining makes a person staff.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StaffDesk, STAFF_COMMANDS } from "../../../src/core/desk/staff-desk.js";
import type { Outcome, StaffInbound } from "../../../src/core/messages.js";
import type { PersonRecord } from "../../../src/core/people/store.js";
import type { PropertyRecord } from "../../../src/core/property/store.js";
import { createDigestExtension } from "../../../src/core/reports/digest-extension.js";
import { digestKey } from "../../../src/core/reports/digest.js";
import { statsExtension } from "../../../src/core/reports/stats-extension.js";
import { handoverExtension } from "../../../src/core/staff/handover.js";
import type { InviteGrant } from "../../../src/core/staff/invites.js";
import type { StaffRole } from "../../../src/core/staff/roles.js";
import { staffAct, type StaffCommand } from "../../../src/core/staff/workflow.js";
import type { MessageKey } from "../../../src/core/text.js";
import type { TicketRecord } from "../../../src/core/ticket/store.js";
import { loadCatalog } from "../../../src/i18n/catalog.js";
import { createRenderer } from "../../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../../src/infra/demo-property.js";
import { createReportFiles } from "../../../src/infra/export/files.js";
import type { Db } from "../../../src/infra/prisma/db.js";
import { createHandoverStore } from "../../../src/infra/prisma/handover.js";
import { createJobLedger } from "../../../src/infra/prisma/jobs.js";
import { createReportStore } from "../../../src/infra/prisma/reports.js";
import { createSlaStore } from "../../../src/infra/prisma/sla.js";
import type { Stores } from "../../../src/infra/prisma/store.js";
import { backends, type TestStore } from "../../support/db.js";
import { SetClock, sh, ZONE } from "../../support/reports-fixture.js";
import { removeStaff } from "../../../src/core/registry/staff-removal.js";
import { vipExtension } from "../../../src/core/registry/vip.js";
import { registryStore } from "../../../src/infra/prisma/registry.js";
import { frontDeskExtension } from "../../../src/core/frontdesk/extension.js";
import { frontDeskStore } from "../../../src/infra/prisma/frontdesk.js";
import { draftExtension } from "../../../src/core/draft/extension.js";
import { letterReplyExtension } from "../../../src/core/frontdesk/reply.js";
import { createLetterFiles } from "../../../src/infra/export/letters.js";
import { letterRegisterStore } from "../../../src/infra/prisma/letters.js";
import { hotlineExtension } from "../../../src/core/hotline/extension.js";
import type { HotlineCaseRecord } from "../../../src/core/hotline/case.js";
import { DEFAULT_SLA_POLICY } from "../../../src/core/sla/policy.js";
import { hotlineStore } from "../../../src/infra/prisma/hotline.js";
import { createHotlineFiles } from "../../../src/infra/export/hotline-workbook.js";

/**
 * The people of the matrix. "removed" was this property's supervisor until `staff remove`
 * (issue 13): from then on refused wherever an owner is, a card posted before included.
 */
const ROWS = ["front_desk", "zone_specialist_A", "zone_specialist_B", "supervisor", "director", "property_head", "admin", "owner", "other_property_staff", "removed", "hotline_officer", "general_manager"] as const;
type Row = (typeof ROWS)[number];
const CHATS = ["private", "staff_group", "director_chat", "other_property_group", "unbound_group", "hotline_group"] as const;
type ChatKind = (typeof CHATS)[number];
const BUTTONS = ["claim:", "ticket:", "digest:", "hl:"] as const;
/** `/join` last: joining makes a person staff, which every later cell would see. */
/** `/export hotline 2026-11` (issue 14): the hotline's forms, an export of its own beside the property's. */
const ACTIONS = [...STAFF_COMMANDS.filter((c) => c !== "join"), ...BUTTONS, "export_hotline", "join"] as const;
type Action = (typeof ACTIONS)[number];

const GROUP_ID: Record<Exclude<ChatKind, "private">, string> = {
  staff_group: "-1001",
  director_chat: "-1002",
  other_property_group: "-2001",
  unbound_group: "-3001",
  hotline_group: "-9001",
};

// ---- The expected table ------------------------------------------------------------------
type Expected = "allowed" | "refused" | "allowed_without_notes";

const PROPERTY_STAFF: readonly Row[] = ["front_desk", "zone_specialist_A", "zone_specialist_B", "supervisor", "director", "property_head", "admin"];
/** 客服主管, 服务中心主任, 楼盘负责人, admin: act on any ticket, read the reports. */
const LEADS: readonly Row[] = ["supervisor", "director", "property_head", "admin"];
/** 已阅 is the director's (seed 000 §3 item 4), the property head's or an admin's; never a supervisor's. */
const SIGNERS: readonly Row[] = ["director", "property_head", "admin"];
const OWN_CHATS: readonly ChatKind[] = ["private", "staff_group", "director_chat"];
const COMPANY: readonly Row[] = ["hotline_officer", "general_manager"];
const QUALITY_OFFICE_CHATS: readonly ChatKind[] = ["private", "hotline_group"];

/**
 * Who may do what where. The other property's staff member is a supervisor there: in private and
 * in their own group they act on their own property, never on this one's tickets or groups.
 */
function expected(row: Row, action: Action, chat: ChatKind): Expected {
  const staffHere = PROPERTY_STAFF.includes(row);
  const other = row === "other_property_staff";
  /** May work in this chat at all: staff of the chat's property, or any staff in private. */
  const inScope =
    chat === "unbound_group" || chat === "hotline_group" ? false : chat === "other_property_group" ? other : chat === "private" ? staffHere || other : staffHere;
  /** A lead of the property the chat acts for. */
  const leadHere = chat === "other_property_group" || (chat === "private" && other) ? other : LEADS.includes(row);
  /** The ticket is this property's, zone A: only this property's staff, in its chats or in private. */
  const onTicket = staffHere && OWN_CHATS.includes(chat);
  const yes = (b: boolean): Expected => (b ? "allowed" : "refused");
  switch (action) {
    case "join":
      return yes(chat === "private"); // a code is the permission; it must be redeemed in private
    case "bind":
      // A code of this property: anyone holding it may bind an unbound group or re-purpose one of
      // this property's; another property's group only its lead may move (issue 10 §4).
      // The hotline group is the company's: no property's code may take it (§4.8).
      return yes(chat === "other_property_group" ? other : chat !== "private" && chat !== "hotline_group");
    case "unbind":
      return yes(chat !== "private" && chat !== "unbound_group" && inScope && leadHere);
    case "where":
    case "staff":
      return yes(chat !== "unbound_group"); // says what the chat is; changes nothing
    case "unclaimed":
    case "mine":
    case "overdue":
    case "handover":
    case "sla":
    case "record": // the front desk (issue 12): any staff member may be the scribe
      return yes(inScope);
    case "digest":
    case "stats":
    case "export":
    case "vip": // the VIP handbook (重要业主备案, seed 001) is the leads'
      return yes(inScope && leadHere);
    case "digest:":
      return yes(onTicket && SIGNERS.includes(row)); // the button signs this property's digest
    case "claim":
    case "claim:":
    case "note":
    case "escalate":
    case "draft": // a suggested reply (issue 15) is for whoever may work the ticket
      // 管家 of another zone may not work the ticket (seed 001: each owns a zone, 管辖区域).
      return yes(onTicket && row !== "zone_specialist_B");
    case "unclaim":
    case "reply":
    case "promise":
    case "resolve":
    case "callback":
    case "transfer":
      // Claimed by the zone-A 管家: the follower (跟清楚) or a lead, nobody else.
      return yes(onTicket && (row === "zone_specialist_A" || LEADS.includes(row)));
    case "reopen":
      return yes(onTicket && LEADS.includes(row));
    case "photos":
    case "letter": // a letter's printable reply, as readable as the ticket itself
      // The owner's photos carry no internal notes: whoever may read the ticket sees them.
      return yes(onTicket);
    case "ticket":
    case "ticket:":
      // Another zone's 管家 reads the ticket without its internal notes.
      return !onTicket ? "refused" : row === "zone_specialist_B" ? "allowed_without_notes" : "allowed";
    // ---- The general manager's hotline (issue 14; seed 002 §4.8) ----
    // The matrix's case is this property's, its department head the zone-A 管家. Seen by the
    // officers and the general manager (in private or the hotline group), and in private by the
    // property head and that department head; no one else, in no property group (admins neither).
    case "hlrecord":
      return yes(row === "hotline_officer" && QUALITY_OFFICE_CHATS.includes(chat));
    case "export_hotline": // the forms (§7) are the quality office's and the general manager's
      return yes(COMPANY.includes(row) && QUALITY_OFFICE_CHATS.includes(chat));
    case "cases":
    case "case":
    case "hl:":
      return yes((COMPANY.includes(row) && QUALITY_OFFICE_CHATS.includes(chat)) || ((row === "property_head" || row === "zone_specialist_A") && chat === "private"));
    case "measures":
      return yes(row === "property_head" && chat === "private"); // §4.4: the property head, in private
    case "hlcall": // typed as the first callback: the department head's or the property head's (§4.6.1)
    case "hlfeedback": // the 处理回访表 (§4.5.1, §3.2.3)
    case "hldone":
      return yes((row === "property_head" || row === "zone_specialist_A") && chat === "private");
  }
}

// ---- What the desk answered ---------------------------------------------------------------
/** Answers that refuse for who the person is or where they asked. */
const REFUSALS: ReadonlySet<MessageKey> = new Set<MessageKey>([
  // An owner in an unbound group (an owners' group) is given the owners' help, never set-up steps.
  "staff.group_not_bound", "help.group", "authz.not_staff", "authz.not_staff_here", "workflow.not_staff", "workflow.other_zone", "workflow.not_assignee",
  "workflow.not_lead", "workflow.ticket_not_found", "export.not_allowed", "digest.not_allowed", "digest.sign_not_allowed",
  "staff.join_private_only", "staff.bind_group_only", "authz.bind_taken", "authz.unbind_group_only", "authz.unbind_not_lead",
  "draft.not_found", "draft.not_yours",
  "hotline.not_allowed", "hotline.bind_company_group",
]);
/** Answers that mean the cell did not run as set up (a bad fixture, not a permission). */
const BROKEN = /^(staff\.usage\.|staff\.invite_|staff\.unknown_command|workflow\.|digest\.not_posted|digest\.already_signed|export\.usage|export\.no_files|hotline\.usage\.|hotline\.measures_already|hotline\.not_property_staff|hotline\.scope\.|hotline\.step_wrong_status|draft\.usage)/;

function observed(outcome: Outcome): Expected | `broken: ${string}` {
  const keys = outcome.replies.flatMap((r) => r.text.map((x) => x.key));
  const first = keys[0];
  if (!first) return "broken: no answer";
  if (REFUSALS.has(first)) return "refused";
  if (BROKEN.test(first)) return `broken: ${first}`;
  if (keys.includes("authz.notes_hidden")) return "allowed_without_notes";
  return "allowed";
}

describe.each(backends())("authorization matrix on $name", (backend) => {
  let opened: TestStore;
  let store: Stores;
  /** Read over the store's own connection (serialised with it on SQLite). */
  let peek: { fingerprint(): Promise<string> };
  const clock = new SetClock();
  let desk: StaffDesk;
  let home: PropertyRecord;
  let away: PropertyRecord;
  const people = {} as Record<Row, PersonRecord>;
  let follower: PersonRecord;
  let owner: PersonRecord;
  let filed = 0;
  let hotline: ReturnType<typeof hotlineStore>;
  let cases = 0;
  let viewedCase: HotlineCaseRecord;
  let awaitingCase: HotlineCaseRecord | null = null;
  let doneCase: HotlineCaseRecord | null = null;

  /** A hotline case of this property: awaiting measures, or in hand with the zone-A 管家 as its department head. */
  async function caseIn(inHand: boolean): Promise<HotlineCaseRecord> {
    const at = clock.now();
    const c = await hotline.fileCase(
      { id: `hl-matrix-${++cases}`, year: 2026, propertyId: home.id, tickets: [], ownerId: owner.id, roomLabel: "A区5栋301", contactName: "王先生", contactPhone: "13900001111",
        matter: "对楼盘处理不满意", source: "phone", major: false, recordedById: null, measuresDueAt: at, createdAt: at },
      () => [],
    );
    if (inHand) await hotline.setMeasures(c.id, { measures: "上门处理", departmentHeadId: follower.id, actorId: people.property_head.id, at }, []);
    return c;
  }

  beforeAll(async () => {
    opened = await backend.open();
    store = opened.store;
    peek = opened.use((ctx) => ({ fingerprint: () => fingerprintOf(ctx.db) }));
    clock.set(sh("2026-12-05 10:00"));
    home = await store.createProperty(DEMO_PROPERTY);
    away = await store.createProperty({ code: "XY", name: "西苑" });
    const zone = (code: string) => home.zones.find((z) => z.code === code)!.id;
    const grants: Record<Row, [string, StaffRole, string | null] | null> = {
      front_desk: [home.id, "front_desk", null],
      zone_specialist_A: [home.id, "zone_specialist", zone("A")],
      zone_specialist_B: [home.id, "zone_specialist", zone("B")],
      supervisor: [home.id, "supervisor", null],
      director: [home.id, "director", null],
      property_head: [home.id, "property_head", null],
      admin: [home.id, "admin", null],
      owner: null,
      other_property_staff: [away.id, "supervisor", null],
      removed: [home.id, "supervisor", null],
      hotline_officer: null,
      general_manager: null,
    };
    for (const row of ROWS) {
      const p = await store.person({ platform: "telegram", platformUserId: `u-${row}`, displayName: row, username: row, locale: "zh-CN" });
      const g = grants[row];
      if (g) await store.grantStaffRole(p.id, { propertyId: g[0], role: g[1], zoneId: g[2] });
      people[row] = p;
    }
    const removal = await removeStaff(
      { store: { ...store, ...opened.use(registryStore) }, staffLocale: "zh-CN" },
      { propertyId: home.id, person: people.removed, actor: "cli", at: clock.now(), force: false },
    );
    expect(removal.ok).toBe(true);
    follower = people.zone_specialist_A;
    owner = people.owner;
    // Someone to hand tickets to: the front desk's colleague.
    const colleague = await store.person({ platform: "telegram", platformUserId: "u-colleague", displayName: "同事", username: "colleague", locale: "zh-CN" });
    await store.grantStaffRole(colleague.id, { propertyId: home.id, role: "front_desk", zoneId: null });
    await bindAll();
    hotline = opened.use(hotlineStore);
    for (const row of COMPANY) {
      const code = (await hotline.createCompanyInvite({ kind: "join", role: row as "hotline_officer" | "general_manager" }, new Date(clock.now().getTime() + 86_400_000), clock.now())).code;
      expect(await hotline.redeemCompanyInvite(code, "join", people[row].id, null, clock.now())).toMatchObject({ ok: true });
    }
    const groupCode = (await hotline.createCompanyInvite({ kind: "bind" }, new Date(clock.now().getTime() + 86_400_000), clock.now())).code;
    await hotline.redeemCompanyInvite(groupCode, "bind", people.hotline_officer.id, { platform: "telegram", chatId: GROUP_ID.hotline_group }, clock.now());
    viewedCase = await caseIn(true);

    const reports = opened.use(createReportStore);
    const renderer = createRenderer(await loadCatalog(), ZONE);
    desk = new StaffDesk({
      store,
      clock,
      timeZone: ZONE,
      staffLocale: "zh-CN",
      extensions: [
        handoverExtension(opened.use(createHandoverStore)),
        createDigestExtension({ store, reports, ledger: opened.use(createJobLedger), sla: opened.use(createSlaStore), timeZone: ZONE }),
        statsExtension({ store, reports, files: createReportFiles({ reports, renderer, timeZone: ZONE }), outbox: opened.outbox, timeZone: ZONE }),
        vipExtension({ store: { ...store, ...opened.use(registryStore) } }),
        frontDeskExtension({ store: { ...store, ...opened.use(registryStore), ...opened.use(frontDeskStore) }, ids: { next: () => "fd-matrix" }, staffLocale: "zh-CN" }),
        draftExtension({ store, outbox: opened.outbox }),
        letterReplyExtension({ store, register: opened.use(letterRegisterStore), files: createLetterFiles({ renderer, timeZone: ZONE }), outbox: opened.outbox, timeZone: ZONE }),
        hotlineExtension({
          store: { ...store, ...hotline }, policyOf: async () => DEFAULT_SLA_POLICY, staffLocale: "zh-CN", newId: () => `hl-matrix-${++cases}`,
          exports: { files: createHotlineFiles({ renderer, timeZone: ZONE }), outbox: opened.outbox, timeZone: ZONE },
        }),
      ],
    });
  });
  afterAll(() => opened?.close());

  /** The chats as they stand before each cell. */
  async function bindAll(): Promise<void> {
    const at = sh("2026-11-01 09:00");
    const bind = (chatId: string, propertyId: string, purpose: "staff" | "director") =>
      store.bindChat({ platform: "telegram", chatId, propertyId, purpose, department: null }, at);
    await bind(GROUP_ID.staff_group, home.id, "staff");
    await bind(GROUP_ID.director_chat, home.id, "director");
    await bind(GROUP_ID.other_property_group, away.id, "staff");
    if (await store.chatBinding({ platform: "telegram", chatId: GROUP_ID.unbound_group })) await store.deactivateChat({ platform: "telegram", chatId: GROUP_ID.unbound_group });
  }

  /** A zone-A complaint filed by the owner, then taken as far as `state`. */
  async function ticketIn(state: "new" | "claimed" | "resolved", noted = false): Promise<TicketRecord> {
    const createdAt = clock.now();
    const { ticket } = await store.fileTicket({
      intakeId: `matrix-${++filed}`, propertyId: home.id, zoneId: home.zones.find((z) => z.code === "A")!.id, roomId: null,
      kind: "complaint", category: "security", weight: "general", majorReasons: [], ownerId: owner.id, roomLabel: "A区5栋301",
      contactName: "王先生", contactPhone: "13900001111", location: "common", place: "南门", description: `第 ${filed} 件事,电话 13812345678`,
      since: null, visitTime: null, photos: [], channel: "telegram", locale: "zh-CN", createdAt, nextReplyDueAt: null, confirmation: {},
    });
    const act = async (cmd: StaffCommand) => {
      const r = await staffAct({ store, clock }, { personId: follower.id, channel: "telegram" }, ticket.number, cmd);
      if (!r.ok) throw new Error(`${cmd.type}: ${r.code}`);
    };
    if (state !== "new") await act({ type: "claim" });
    if (noted) await act({ type: "note", text: "内部备注:业主情绪激动" });
    if (state === "resolved") await act({ type: "resolve", result: "已处理" });
    return (await store.ticketByNumber(ticket.number))!;
  }

  const invite = (grant: InviteGrant) =>
    store.createInvite({ propertyId: home.id, grant, expiresAt: new Date(clock.now().getTime() + 86_400_000), createdAt: clock.now() });

  let digestDay = 0;
  /** A posted digest of a day nobody has signed yet. */
  async function postedDigest(): Promise<string> {
    const date = new Date(Date.UTC(2026, 5, 1 + ++digestDay)).toISOString().slice(0, 10);
    await opened.use(createJobLedger).post(digestKey(home.id, date), { scheduledFor: clock.now(), at: clock.now(), late: false, outbox: [] });
    return date;
  }

  /** Ticket actions an allowed cell may repeat on the same ticket without changing who may do them. */
const REPEATABLE: ReadonlySet<Action> = new Set<Action>(["note", "reply", "promise", "ticket", "ticket:"]);

/** What the action is typed as, given the world it needs; fresh state is made only when asked. */
  const tickets = new Map<string, TicketRecord>();
  async function ticketFor(action: Action, fresh: boolean): Promise<TicketRecord> {
    const state = action === "claim" || action === "claim:" ? "new" : action === "reopen" || action === "callback" ? "resolved" : "claimed";
    const key = `${action}`;
    if ((fresh && !REPEATABLE.has(action)) || !tickets.has(key)) tickets.set(key, await ticketIn(state, action.startsWith("ticket")));
    return tickets.get(key)!;
  }
  let digestDate = "";
  async function typed(action: Action, fresh: boolean): Promise<StaffInbound["body"]> {
    const cmd = (command: string, args = ""): StaffInbound["body"] => ({ type: "command", command, args });
    switch (action) {
      case "join":
        return cmd("join", (await invite({ kind: "join", role: "front_desk", zoneId: null })).code);
      case "bind":
        return cmd("bind", (await invite({ kind: "bind", purpose: "staff", department: null })).code);
      case "digest:":
        if (fresh || !digestDate) digestDate = await postedDigest();
        return { type: "choice", value: `digest:sign:${home.id}:${digestDate}` };
      case "claim:":
      case "ticket:":
        return { type: "choice", value: `${action}${(await ticketFor(action, fresh)).number}` };
      case "digest":
        return cmd("digest", "2026-12-04");
      case "hlrecord":
        return cmd("hlrecord", `${(await ticketFor(action, fresh)).number} 对处理结果不满意`);
      case "case":
        return cmd("case", viewedCase.number);
      case "hl:":
        return { type: "choice", value: `hl:case:${viewedCase.number}` };
      case "export_hotline":
        return cmd("export", "hotline 2026-11");
      case "hlcall":
        return cmd("hlcall", `${viewedCase.number} first 满意 业主认可`);
      case "hlfeedback":
        return cmd("hlfeedback", `${viewedCase.number} 满意 已上门处理`);
      case "hldone":
        if (fresh || !doneCase) doneCase = await caseIn(true);
        return cmd("hldone", `${doneCase.number} 已修好`);
      case "measures":
        if (fresh || !awaitingCase) awaitingCase = await caseIn(false);
        return cmd("measures", `${awaitingCase.number} @zone_specialist_A 工程部上门复查`);
      case "stats":
      case "export":
        return cmd(action, "2026-11");
      case "handover":
        return cmd("handover", "三号楼电梯明早维保");
      case "vip":
        return cmd("vip", "list");
      case "note":
      case "reply":
      case "resolve":
      case "escalate":
      case "reopen":
        return cmd(action, `${(await ticketFor(action, fresh)).number} 内容`);
      case "promise":
        return cmd(action, `${(await ticketFor(action, fresh)).number} 2h`);
      case "callback":
        return cmd(action, `${(await ticketFor(action, fresh)).number} 满意`);
      case "transfer":
        return cmd(action, `${(await ticketFor(action, fresh)).number} @colleague`);
      case "claim":
      case "unclaim":
      case "ticket":
      case "photos":
      case "draft":
      case "letter":
        return cmd(action, (await ticketFor(action, fresh)).number);
      default:
        return cmd(action);
    }
  }

  const fingerprint = () => peek.fingerprint();

  /**
   * Everything a refused cell must leave as it was, in one statement. Every change to a ticket is
   * written with an event (its history), so counting events sees it.
   */
  async function fingerprintOf(db: Db): Promise<string> {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT
      (SELECT COUNT(*) FROM "Ticket") AS tickets,
      (SELECT COUNT(*) FROM "TicketEvent") AS events,
      (SELECT COUNT(*) FROM "OutboxMessage") AS outbox,
      (SELECT COUNT(*) FROM "StaffRole") AS roles,
      (SELECT COUNT(*) FROM "InviteCode" WHERE "usedAt" IS NOT NULL) AS invites_used,
      (SELECT COUNT(*) FROM "JobPost" WHERE "signedAt" IS NOT NULL) AS signed,
      (SELECT COUNT(*) FROM "HandoverNote") AS handover,
      (SELECT COUNT(*) FROM "HotlineCase") AS hotline_cases,
      (SELECT COUNT(*) FROM "HotlineEvent") AS hotline_events,
      (SELECT COUNT(*) FROM "CompanyRole") AS company_roles,
      (SELECT COUNT(*) FROM "CompanyChat" WHERE "active" = ${backend.name === "sqlite" ? 1 : "TRUE"}) AS company_chats,
      (SELECT COUNT(*) FROM "ChatBinding" WHERE "active" = ${backend.name === "sqlite" ? 1 : "TRUE"}) AS active_chats`);
    const bindings = await db.chatBinding.findMany({ select: { chatId: true, propertyId: true, purpose: true, active: true }, orderBy: { chatId: "asc" } });
    return JSON.stringify([Object.values(rows[0]!).map(String), bindings]);
  }

  it("every role × every staff command and button × every kind of chat: as the table says, with 0 holes", async () => {
    const started = performance.now();
    const mismatches: string[] = [];
    const holes: string[] = [];
    const leaks: string[] = [];
    let cells = 0;
    let fresh = true;
    for (const action of ACTIONS) {
      fresh = true;
      for (const row of ROWS) {
        for (const chat of CHATS) {
          const body = await typed(action, fresh);
          const before = await fingerprint();
          const outcome = await desk.handle({
            channel: "telegram",
            chat: chat === "private" ? { id: people[row].platformUserId, kind: "private" } : { id: GROUP_ID[chat], kind: "group" },
            sender: { platformUserId: people[row].platformUserId, displayName: row, username: row },
            body,
          });
          cells++;
          const want = expected(row, action, chat);
          const got = observed(outcome);
          const cell = `${row} × ${action} × ${chat}`;
          if (got !== want) mismatches.push(`${cell}: expected ${want}, got ${got}`);
          if (want === "refused" && got !== "refused") holes.push(cell);
          if (got === "refused" && (await fingerprint()) !== before) leaks.push(cell);
          // What an allowed cell changed is replaced before the next one.
          fresh = got !== "refused";
          if (fresh && (action === "bind" || action === "unbind")) await bindAll();
        }
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`authorization matrix on ${backend.name}: ${cells} cells (${ROWS.length} people × ${ACTIONS.length} commands and buttons × ${CHATS.length} chats), ${holes.length} holes, ${seconds} s`);
    expect(holes).toEqual([]);
    expect(mismatches).toEqual([]);
    expect(leaks).toEqual([]);
    expect(cells).toBe(ROWS.length * ACTIONS.length * CHATS.length);
  }, 300_000);
});
