/**
 * The staff side of the bot: what staff send in a private chat or in a bound group. Invite codes
 * set a property up in chat (`/join` makes a person staff, `/bind` makes a group one of the
 * property's chats); ticket commands and the card's buttons go to the workflow, which checks
 * roles and writes the owner's notices and the card refresh to the outbox.
 */
import { type Choice, type Outcome, type StaffInbound } from "../messages.js";
import type { Clock } from "../time/clock.js";
import type { PersonRecord, PersonStore } from "../people/store.js";
import type { TicketRecord, TicketStore } from "../ticket/store.js";
import { localeFromLanguageCode, t, type Locale, type MessageKey, type Text } from "../text.js";
import { OPEN_STATUSES } from "../ticket/status.js";
import { ownerByPhone, staffAct, type Rating, type StaffCommand, type WorkflowErrorCode } from "../staff/workflow.js";
import { ticketLine, ticketTexts, time } from "../ticket/views.js";
import { truncate } from "../util/input.js";
import { parseTicketNumber } from "../ticket/number.js";
import type { StaffAttachment, StaffDeskPort } from "./inbound.js";
import type { ChatBindingRecord, ChatStore } from "../staff/chats.js";
import { parseWhen, splitNext } from "../staff/when.js";
import type { GuardVerdict, StaffContext, StaffExtension } from "../staff/extension.js";
import { looksLikeMention, mentionText, parseMention } from "../staff/mention.js";
import { propertyLabel, type PropertyStore } from "../property/store.js";
import type { StaffRoleRecord, StaffStore } from "../staff/roles.js";
import type { InviteStore } from "../staff/invites.js";
import { isLeadOf, maySeeNotes, staffScope } from "../staff/access.js";
import { chatLostNotices } from "../staff/announce.js";
import { maskPhonesIn } from "../people/phone.js";
import { nameOf } from "../people/name.js";
import { OWNER_COMMANDS } from "../conversation/input.js";
import { photosReply } from "../staff/card.js";

export const STAFF_COMMANDS = [
  "join", "bind", "unbind", "where", "claim", "unclaim", "note", "reply", "promise", "resolve",
  "escalate", "transfer", "reopen", "callback", "ticket", "unclaimed", "mine", "overdue", "staff",
  // Reports and the follow-up clock, answered by StaffExtensions (src/core/staff/extension.ts).
  "digest", "stats", "export", "handover", "sla",
  // The VIP handbook (重要业主备案, seed 001), answered by the registry's extension.
  "vip",
  // The owner's photos of a ticket (issue 11), as the card's 照片 button sends them.
  "photos",
  // The front desk (前台登记, issue 12): a matter recorded by staff, answered by src/core/frontdesk/.
  "record",
  // A suggested reply to the owner (issue 15), answered by src/core/draft/.
  "draft",
  // A written complaint's printable reply (书面回复, seed 000 §2(2)B), by the front desk's letters.
  "letter",
  // The general manager's hotline (总经理热线, issue 14), answered by src/core/hotline/.
  "hlrecord", "cases", "case", "measures", "hlcall", "hlfeedback", "hldone",
] as const;
export type StaffCommandName = (typeof STAFF_COMMANDS)[number];

export const isStaffCommand = (name: string): name is StaffCommandName =>
  (STAFF_COMMANDS as readonly string[]).includes(name.toLowerCase());

/**
 * The staff command a mistyped one was meant to be (`clam` → claim, `reslove` → resolve), or
 * null. A word as near an owner's command is the owner's (`stauts`), and a word far from every
 * command may be another bot's in a group: neither is ours to answer.
 */
export function meantStaffCommand(typed: string): StaffCommandName | null {
  const word = typed.toLowerCase();
  if (word.length < 3 || isStaffCommand(word)) return null;
  const nearest = (names: readonly string[]) => Math.min(...names.map((n) => editDistance(word, n)));
  const allowed = word.length <= 4 ? 1 : 2;
  const best = Math.min(nearest(STAFF_COMMANDS), allowed + 1);
  if (best > allowed || nearest(OWNER_COMMANDS) <= best) return null;
  return STAFF_COMMANDS.find((n) => editDistance(word, n) === best) ?? null;
}

/** A staff command, or a mistyped one: both go to the staff desk, which answers the second with "did you mean". */
export const isStaffCommandOrTypo = (name: string): boolean => isStaffCommand(name) || meantStaffCommand(name) !== null;

/** Letters inserted, deleted, changed or swapped with a neighbour (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
/** Buttons on the staff card. */
export const isStaffChoice = (value: string): boolean => /^(claim|ticket|digest|photos|fd|hl):/.test(value);

export interface StaffDeskDeps {
  readonly store: PersonStore & PropertyStore & TicketStore & StaffStore & ChatStore & InviteStore;
  readonly clock: Clock;
  /** The properties' time zone, for promised times typed as "18:00". */
  readonly timeZone: string;
  /** A property's own time zone where its SLA policy names one (the next callback time is read in it). */
  readonly timeZoneOf?: (propertyId: string) => Promise<string>;
  readonly staffLocale: Locale;
  /** Commands and buttons answered outside the ticket workflow (reports, handover notes...). */
  readonly extensions?: readonly StaffExtension[];
}

const LISTED = 15;

export class StaffDesk implements StaffDeskPort {
  constructor(private readonly deps: StaffDeskDeps) {}

  async handle(inbound: StaffInbound): Promise<Outcome> {
    const { store } = this.deps;
    const person = await this.personOf(inbound);
    const locale = inbound.chat.kind === "group" ? this.deps.staffLocale : (person.locale ?? this.deps.staffLocale);
    const say = (...text: Text[]): Outcome => ({ locale, replies: [{ text }] });
    const body = inbound.body;
    const [command, args] =
      body.type === "command" ? [body.command.toLowerCase(), body.args.trim()] : [body.value.slice(0, body.value.indexOf(":")), body.value.slice(body.value.indexOf(":") + 1)];
    const binding =
      inbound.chat.kind === "group" ? await store.chatBinding({ platform: inbound.channel, chatId: inbound.chat.id }) : null;

    const meant = body.type === "command" ? meantStaffCommand(command) : null;
    if (meant) return { ...(await this.mistyped(inbound, person, command, meant, binding, locale)), askerOnly: true };
    const company = await this.companyExtension(inbound, command, args);
    if (company) {
      const all = await store.staffRoles(person.id);
      const propertyIds = [...new Set(all.map((r) => r.propertyId))];
      return company.handle({ inbound, person, locale, binding, roles: all, propertyIds, command, args, now: this.deps.clock.now() });
    }
    switch (command) {
      case "join":
        return say(await this.join(inbound, person, args, locale));
      case "bind":
        return say(...(await this.bind(inbound, person, args, binding)));
      case "unbind":
        return say(await this.unbind(inbound, person, binding));
      case "where":
      case "staff":
        if (command === "staff") {
          // A lead's /staff is the staff list (issue 13 item 4, src/core/registry/staff-list.ts).
          const scope = staffScope(inbound.chat.kind, binding, await store.staffRoles(person.id));
          const extension = this.deps.extensions?.find((e) => e.names.includes(command));
          if (extension && scope.ok && scope.propertyIds.some((id) => isLeadOf(scope.roles, id))) {
            const listed = await extension.handle({ inbound, person, locale, binding, roles: scope.roles, propertyIds: scope.propertyIds, command, args, now: this.deps.clock.now() });
            // The front desk's button stays under a lead's /staff as under everyone's.
            const [last, ...before] = [...listed.replies].reverse();
            return last && !last.choices ? { ...listed, replies: [...before.reverse(), { ...last, ...deskButton(this.deps, binding) }] } : listed;
          }
        }
        if (inbound.chat.kind === "group" && !binding?.active && (await store.staffRoles(person.id)).length === 0) return say(t("help.group"));
        return { locale, replies: [{ text: this.where(inbound, binding, binding ? await this.propertyName(binding.propertyId, locale) : undefined), ...deskButton(this.deps, binding) }] };
    }
    // Everything else: only staff of the chat's property, in its own groups or a private chat.
    const roles = await store.staffRoles(person.id);
    const scope = staffScope(inbound.chat.kind, binding, roles);
    if (!scope.ok) return { ...say(await this.refusal(scope.reason, binding, locale, roles.length > 0)), askerOnly: true };
    const { propertyIds } = scope;
    const extension = this.deps.extensions?.find((e) => e.names.includes(command));
    if (extension) return extension.handle({ inbound, person, locale, binding, roles: scope.roles, propertyIds, command, args, now: this.deps.clock.now() });
    if (command === "sla") return say(t("authz.sla_admin"));

    if (command === "unclaimed" || command === "mine" || command === "overdue") {
      const tickets = await store.findTickets({
        propertyIds,
        statuses: command === "unclaimed" ? ["new", "reopened"] : OPEN_STATUSES,
        assigneeId: command === "mine" ? person.id : undefined,
        // 跟清楚: a promised reply time that has passed without the ticket moving on.
        replyDueBefore: command === "overdue" ? this.deps.clock.now() : undefined,
        // A zone's staff group lists what it is sent the cards of (issue 13 §3); a private chat, all.
        seenFromZone: inbound.chat.kind === "group" ? (binding?.zoneId ?? undefined) : undefined,
        limit: LISTED,
      });
      if (tickets.length === 0) return say(t(`staff.${command}_none`));
      const title = t(`staff.${command}_title`, { count: tickets.length });
      const shown = inbound.chat.kind === "group" ? tickets.map(masked) : tickets;
      return { locale, replies: [{ text: [title, ...shown.map(ticketLine)], choices: claimButtons(tickets, command) }] };
    }
    if (!isTicketCommand(command)) return say(t("staff.unknown_command", { command: truncate(command, 20) }));

    const [typed = "", ...restWords] = args.split(/\s+/);
    if (!typed) return say(t(`staff.usage.${command}`));
    const rest = args.slice(typed.length).trim();
    const number = parseTicketNumber(typed);
    const ticket = number ? await store.ticketByNumber(number) : null;
    // A group of one property cannot act on another's tickets, whatever a button's data says.
    if (!ticket || !propertyIds.includes(ticket.propertyId)) return say(t("workflow.ticket_not_found", { number: typed.slice(0, 20) }));
    if (command === "ticket") return say(...(await this.view(ticket, person, scope.roles, inbound.chat.kind)));
    if (command === "photos") return { locale, replies: [await photosReply(store, ticket)] };

    const ctx: StaffContext = { inbound, person, locale, binding, roles: scope.roles, propertyIds, command, args: rest, now: this.deps.clock.now() };
    const guard = await this.guarded(ctx, ticket);
    if (!guard.ok) return say(...guard.text);
    const cmd = guard.args === undefined ? this.command(command, rest, restWords) : this.command(command, guard.args, guard.args.split(/\s+/));
    if (!cmd.ok) return say(cmd.text);
    const actor = { personId: person.id, channel: inbound.channel };
    const result = await staffAct({ ...this.deps }, actor, ticket.number, cmd.command);
    if (!result.ok) return NOT_YOURS.includes(result.code) ? { ...say(result.text), askerOnly: true } : say(result.text);
    const done = t(`staff.done.${cmd.command.type}` as MessageKey, { number: ticket.number, name: nameOf(person), ...doneParams(cmd.command) });
    const next = cmd.command.type === "callback" && result.ticket.nextCallbackAt ? [t("callbacks.next_set", { number: ticket.number, due: { time: result.ticket.nextCallbackAt.toISOString() } })] : [];
    return say(done, ...next, ...(await this.byPhone(ticket, cmd.command)), ...((await guard.after?.(result.ticket)) ?? []));
  }

  /** The extensions' checks of a ticket command (a written complaint's reply), before the workflow. */
  private async guarded(ctx: StaffContext, ticket: TicketRecord): Promise<GuardVerdict> {
    for (const e of this.deps.extensions ?? []) {
      if (!e.guard || !e.guards?.includes(ctx.command)) continue;
      const verdict = await e.guard(ctx, ticket);
      if (!verdict.ok || verdict.args !== undefined || verdict.after) return verdict;
    }
    return { ok: true };
  }

  /**
   * A photo a staff member sent outside a command, offered to the extensions (a letter's scan at
   * the front desk) before the adapter hands it to the owner desk: null when none takes it, or the
   * sender is not staff here.
   */
  async attach(inbound: StaffAttachment): Promise<Outcome | null> {
    const takers = (this.deps.extensions ?? []).filter((e) => e.attach);
    if (takers.length === 0) return null;
    const { store } = this.deps;
    const person = await store.findPerson(inbound.channel, { platformUserId: inbound.sender.platformUserId });
    const roles = person ? await store.staffRoles(person.id) : [];
    if (!person || roles.length === 0) return null;
    const binding = inbound.chat.kind === "group" ? await store.chatBinding({ platform: inbound.channel, chatId: inbound.chat.id }) : null;
    const scope = staffScope(inbound.chat.kind, binding, roles);
    if (!scope.ok) return null;
    const locale = inbound.chat.kind === "group" ? this.deps.staffLocale : (person.locale ?? this.deps.staffLocale);
    const body = { type: "command", command: "", args: "" } as const;
    const ctx: StaffContext = { inbound: { ...inbound, body }, person, locale, binding, roles: scope.roles, propertyIds: scope.propertyIds, command: "", args: "", now: this.deps.clock.now() };
    for (const e of takers) {
      const outcome = await e.attach!(ctx, inbound.fileRef);
      if (outcome) return outcome;
    }
    return null;
  }

  private async companyExtension(inbound: StaffInbound, command: string, args: string): Promise<StaffExtension | null> {
    const chat = { kind: inbound.chat.kind, ref: { platform: inbound.channel, chatId: inbound.chat.id } };
    for (const e of this.deps.extensions ?? []) if (await e.company?.claims(command, args, chat)) return e;
    return null;
  }

  /**
   * An owner by phone (issue 12, item 2: a front-desk ticket whose owner is on no chat platform)
   * hears nothing from the bot: what staff just recorded is what they told the owner by phone.
   */
  private async byPhone(ticket: TicketRecord, cmd: StaffCommand): Promise<Text[]> {
    if (!TOLD_OWNER.includes(cmd.type)) return [];
    return (await ownerByPhone(this.deps.store, ticket)) ? [t("frontdesk.told_by_phone", { number: ticket.number })] : [];
  }

  /**
   * Someone addressed the bot (`@bot …`) in a group without a command: an adapter hands it here
   * when the group is bound, so a stranger in a staff group is told they are not staff of it
   * instead of hearing nothing, and staff get the commands that work there.
   */
  async addressed(inbound: Omit<StaffInbound, "body">): Promise<Outcome> {
    const person = await this.personOf(inbound);
    const binding = inbound.chat.kind === "group" ? await this.deps.store.chatBinding({ platform: inbound.channel, chatId: inbound.chat.id }) : null;
    const locale = inbound.chat.kind === "group" ? this.deps.staffLocale : (person.locale ?? this.deps.staffLocale);
    const roles = await this.deps.store.staffRoles(person.id);
    const scope = staffScope(inbound.chat.kind, binding, roles);
    const text = scope.ok ? this.where(inbound, binding, binding ? await this.propertyName(binding.propertyId, locale) : undefined) : [await this.refusal(scope.reason, binding, locale, roles.length > 0)];
    return { locale, replies: [{ text }] };
  }

  private personOf(inbound: Omit<StaffInbound, "body">): Promise<PersonRecord> {
    return this.deps.store.person({
      platform: inbound.channel,
      platformUserId: inbound.sender.platformUserId,
      displayName: inbound.sender.displayName,
      username: inbound.sender.username,
      locale: localeFromLanguageCode(inbound.sender.languageCode),
    });
  }

  /**
   * Why the person may not act here. Setting a group up (npm run admin, /bind) is staff business:
   * anyone else in a group that is not bound, an owners' group, hears how owners reach the bot.
   */
  private async refusal(reason: "group_not_bound" | "not_staff" | "not_staff_here", binding: ChatBindingRecord | null, locale: Locale, isStaff: boolean): Promise<Text> {
    if (reason === "group_not_bound") return isStaff ? t("staff.group_not_bound") : t("help.group");
    if (reason === "not_staff") return t("authz.not_staff");
    return t("authz.not_staff_here", { property: binding ? await this.propertyName(binding.propertyId, locale) : "?" });
  }

  /** `/clam HG-0003`: staff are told what was meant and what there is; anyone else gets the owners' help. */
  private async mistyped(inbound: StaffInbound, person: PersonRecord, typed: string, meant: StaffCommandName, binding: ChatBindingRecord | null, locale: Locale): Promise<Outcome> {
    const roles = await this.deps.store.staffRoles(person.id);
    const unknown = t("staff.unknown_command", { command: truncate(typed, 20) });
    const staffHere = staffScope(inbound.chat.kind, binding, roles).ok || (inbound.chat.kind === "group" && roles.length > 0 && !binding?.active);
    const text = staffHere
      ? [unknown, t("staff.did_you_mean", { command: meant }), t("staff.help")]
      : [unknown, t(inbound.chat.kind === "group" ? "help.group" : "help.owner")];
    return { locale, replies: [{ text }] };
  }

  private command(name: string, rest: string, words: string[]): { ok: true; command: StaffCommand } | { ok: false; text: Text } {
    switch (name) {
      case "claim":
      case "unclaim":
        return { ok: true, command: { type: name } };
      case "note":
      case "reply":
        return rest ? { ok: true, command: { type: name, text: rest } } : { ok: false, text: t(`staff.usage.${name}`) };
      case "resolve":
        return rest ? { ok: true, command: { type: "resolve", result: rest } } : { ok: false, text: t("staff.usage.resolve") };
      case "escalate":
      case "reopen":
        return rest ? { ok: true, command: { type: name, reason: rest } } : { ok: false, text: t(`staff.usage.${name}`) };
      case "transfer": {
        // `@wang` (Slack: `<@U123|wang>`) names a colleague, and what follows is a note for them;
        // any other words name a department group.
        const person = parseMention(words[0] ?? "");
        if (person) return { ok: true, command: { type: "transfer", person, note: rest.slice(words[0]!.length).trim() } };
        if (!rest || looksLikeMention(rest)) return { ok: false, text: t("staff.usage.transfer") };
        return { ok: true, command: { type: "transfer", department: rest } };
      }
      case "callback": {
        const rating = RATING_WORDS.find(([re]) => re.test(words[0] ?? ""))?.[1];
        const { note, next } = splitNext(rest.slice((words[0] ?? "").length));
        return rating ? { ok: true, command: { type: "callback", rating, note, ...(next !== undefined ? { next } : {}) } } : { ok: false, text: t("staff.usage.callback") };
      }
      case "promise": {
        const when = parseWhen(words.join(" "), this.deps.clock.now(), this.deps.timeZone);
        return when.ok ? { ok: true, command: { type: "promise", due: when.at } } : { ok: false, text: t("staff.usage.promise") };
      }
      default:
        return { ok: false, text: t("staff.unknown_command", { command: truncate(name, 20) }) };
    }
  }

  private async join(inbound: StaffInbound, person: PersonRecord, code: string, locale: Locale): Promise<Text> {
    if (inbound.chat.kind !== "private") return t("staff.join_private_only");
    if (!code) return t("staff.usage.join");
    const redeemed = await this.deps.store.redeemInvite(code, "join", person.id, this.deps.clock.now());
    if (!redeemed.ok) return t(`staff.${redeemed.code}`);
    const grant = redeemed.invite.grant;
    if (grant.kind !== "join") return t("staff.invite_wrong_kind");
    await this.deps.store.grantStaffRole(person.id, { propertyId: redeemed.invite.propertyId, zoneId: grant.zoneId, role: grant.role });
    return t("staff.joined", { property: await this.propertyName(redeemed.invite.propertyId, locale), role: t(`role.${grant.role}`) });
  }

  /**
   * A group bound (and active) to another property is that property's: only one of its leads may
   * move it (issue 10 §4), and the property is told it lost the chat. The code is looked at
   * before it is spent, so a refused `/bind` leaves it for the right place.
   */
  private async bind(inbound: StaffInbound, person: PersonRecord, code: string, current: ChatBindingRecord | null): Promise<Text[]> {
    if (inbound.chat.kind !== "group") return [t("staff.bind_group_only")];
    if (!code) return [t("staff.usage.bind")];
    const { store } = this.deps;
    const now = this.deps.clock.now();
    const peeked = await store.findInvite(code);
    const taking = current?.active && peeked?.grant.kind === "bind" && peeked.propertyId !== current.propertyId ? current : null;
    if (taking && !isLeadOf(await store.staffRoles(person.id), taking.propertyId)) {
      return [t("authz.bind_taken", { property: await this.propertyName(taking.propertyId, this.deps.staffLocale), purpose: t(`purpose.${taking.purpose}`) })];
    }
    const redeemed = await store.redeemInvite(code, "bind", person.id, now);
    if (!redeemed.ok) return [t(`staff.${redeemed.code}`)];
    const grant = redeemed.invite.grant;
    if (grant.kind !== "bind") return [t("staff.invite_wrong_kind")];
    const to = await this.propertyName(redeemed.invite.propertyId, this.deps.staffLocale);
    const told = taking ? await chatLostNotices(store, taking, { by: nameOf(person), movedTo: to }, this.deps.staffLocale) : [];
    const binding = await store.bindChat(
      { platform: inbound.channel, chatId: inbound.chat.id, propertyId: redeemed.invite.propertyId, purpose: grant.purpose, department: grant.department, zoneId: grant.zoneId ?? null },
      now,
      told,
    );
    const said = this.where(inbound, binding, to);
    // A zone's group is told which tickets it gets (issue 13 §3).
    const zone = binding.zoneId ? (await store.properties()).flatMap((p) => p.zones).find((z) => z.id === binding.zoneId) : undefined;
    return zone ? [said[0]!, t("zone.bound_zone", { zone: zone.name }), ...said.slice(1)] : said;
  }

  /** `/unbind`: a lead of the group's property, in the group; the property is told it lost the chat. */
  private async unbind(inbound: StaffInbound, person: PersonRecord, binding: ChatBindingRecord | null): Promise<Text> {
    if (inbound.chat.kind !== "group") return t("authz.unbind_group_only");
    if (!binding?.active) return t("staff.group_not_bound");
    const property = await this.propertyName(binding.propertyId, this.deps.staffLocale);
    if (!isLeadOf(await this.deps.store.staffRoles(person.id), binding.propertyId)) return t("authz.unbind_not_lead", { property });
    const told = await chatLostNotices(this.deps.store, binding, { by: nameOf(person), movedTo: null }, this.deps.staffLocale);
    const done = await this.deps.store.unbindChat({ platform: inbound.channel, chatId: inbound.chat.id }, this.deps.clock.now(), told);
    return done ? t("authz.unbound", { property }) : t("staff.group_not_bound");
  }

  private where(inbound: Omit<StaffInbound, "body">, binding: ChatBindingRecord | null, propertyName?: string): Text[] {
    if (inbound.chat.kind !== "group") return [t("staff.help")];
    if (!binding || !binding.active) return [t("staff.group_not_bound")];
    const purpose = t(`purpose.${binding.purpose}`);
    return [
      binding.department
        ? t("staff.bound_department", { property: propertyName ?? "", purpose, department: binding.department })
        : t("staff.bound", { property: propertyName ?? "", purpose }),
      t("staff.help"),
    ];
  }

  /** Read in a group in the staff locale, in private in the person's: its English name in English. */
  private async propertyName(id: string, locale: Locale): Promise<string> {
    const property = (await this.deps.store.properties()).find((p) => p.id === id);
    return property ? propertyLabel(property, locale) : "?";
  }

  /**
   * The whole history; internal notes only for those who may read them (./staff/access.ts). In a
   * group, phone numbers typed into the owner's words are masked as on the card; the full text
   * is read in a private chat.
   */
  private async view(ticket: TicketRecord, person: PersonRecord, roles: readonly StaffRoleRecord[], where: "private" | "group"): Promise<Text[]> {
    const inGroup = where === "group";
    const events = (await this.deps.store.ticketEvents(ticket.id)).map((e) =>
      inGroup && typeof e.data.text === "string" ? { ...e, data: { ...e.data, text: maskPhonesIn(e.data.text) } } : e,
    );
    const lines = ticketTexts(inGroup ? masked(ticket) : ticket, events.filter((e) => e.type !== "note"));
    if (!maySeeNotes(roles, person.id, ticket)) return events.some((e) => e.type === "note") ? [...lines, t("authz.notes_hidden")] : lines;
    for (const e of events.filter((x) => x.type === "note")) {
      lines.push(t("staff.note_line", { at: time(e.at), text: truncate(String(e.data.text ?? ""), 200) }));
    }
    return lines;
  }
}

/** How staff type the owner's rating after a callback (回访). */
const RATING_WORDS: readonly [RegExp, Rating][] = [
  [/^(满意|1|satisfied)$/i, "satisfied"],
  [/^(较满意|基本满意|2|fairly)$/i, "fairly"],
  [/^(不满意|3|dissatisfied|unsatisfied)$/i, "dissatisfied"],
];

function doneParams(cmd: StaffCommand): Record<string, string | { time: string } | Text> {
  if (cmd.type === "promise") return { due: { time: cmd.due.toISOString() } };
  if (cmd.type === "transfer") return { department: "person" in cmd ? t("staff.transferred_to", { who: mentionText(cmd.person) }) : cmd.department };
  if (cmd.type === "callback") return { rating: t(`rating.${cmd.rating}`) };
  return {};
}


/** The staff help's button to the front desk (issue 12), where the front desk is installed and the chat is staff's. */
function deskButton(deps: StaffDeskDeps, binding: ChatBindingRecord | null): { choices?: Choice[] } {
  if (!deps.extensions?.some((e) => e.names.includes("fd")) || (binding && !binding.active)) return {};
  return { choices: [{ value: "fd:start", label: t("frontdesk.help_button") }] };
}

/** The steps an owner hears of (跟清楚), which an owner by phone is told by phone. */
const TOLD_OWNER: readonly StaffCommand["type"][] = ["reply", "promise", "resolve", "callback"];

/** Refusals of who the person is, not of the ticket's state ("already claimed by 王强" is news for the group). */
const NOT_YOURS: readonly WorkflowErrorCode[] = ["not_staff", "other_zone", "not_assignee", "not_lead"];

/** The commands that name a ticket: `/claim HG-0001`, and the card's `claim:` and `ticket:` buttons. */
const TICKET_COMMANDS = ["claim", "unclaim", "note", "reply", "promise", "resolve", "escalate", "transfer", "reopen", "callback", "ticket", "photos"] as const;
const isTicketCommand = (name: string): name is (typeof TICKET_COMMANDS)[number] => (TICKET_COMMANDS as readonly string[]).includes(name);

/** A ticket as a group may read it: phone numbers in the owner's words masked. */
const masked = (ticket: TicketRecord): TicketRecord => ({ ...ticket, description: maskPhonesIn(ticket.description) });

function claimButtons(tickets: TicketRecord[], command: string): Choice[] {
  const action = command === "unclaimed" ? "claim" : "ticket";
  return tickets.slice(0, 5).map((x) => ({ value: `${action}:${x.number}`, label: t("common.raw", { value: x.number }) }));
}
