/**
 * The hotline's staff commands, as a company-level StaffExtension: the quality office and the
 * general manager belong to no property, so the desk hands these to the hotline before its
 * property scope check and the hotline decides who may act (./access.ts, §4.8).
 *
 *   /join HL-…  /bind HL-…    company codes from `npm run admin -- hotline join|bind`
 *   /hlrecord HG-0042 …       an officer records a call about a handled ticket, found by number, room or phone (§4.2, §5.2)
 *   /cases, /case HL2026-0001 the case files the person may see; the `hl:case:` button
 *   /measures HL… @head 措施  the property head sets the measures and names the department head (§4.4)
 */
import { classify } from "../classify/keywords.js";
import type { ChatRef, Outcome } from "../messages.js";
import { nameOf } from "../people/name.js";
import type { StaffContext, StaffExtension } from "../staff/extension.js";
import { handleOf, parseMention } from "../staff/mention.js";
import { t, type Text } from "../text.js";
import type { TicketRecord, TicketStore } from "../ticket/store.js";
import { ticketLine } from "../ticket/views.js";
import { callerTickets, parseCall, type Call } from "./intake.js";
import { headedProperties, isQualityOffice, mayRecord, maySeeCase, maySetMeasures, type HotlineViewer } from "./access.js";
import { OPEN_HOTLINE_STATUSES, parseCaseNumber, type HotlineCaseRecord } from "./case.js";
import { fileHotlineCase, propertyName, setCaseMeasures, viewButton, type HotlineDeps } from "./file.js";
import { caseLine, caseTexts } from "./views.js";
import { toChats } from "./notify.js";
import { kpiTexts, type HotlineFiles } from "./forms.js";
import { monthOf } from "./month.js";
import type { OutboxStore } from "../outbox.js";
import { parseMonthArg } from "../reports/stats-extension.js";
import { mayTake, moveOf, parseStep, STEP_COMMANDS, type Step, type StepCommandName } from "./steps.js";

export const HOTLINE_COMMANDS = ["hlrecord", "cases", "case", "measures", ...STEP_COMMANDS] as const;
/** A company code: `/join` and `/bind` tell it from a property's without a lookup. */
export const isCompanyCode = (code: string): boolean => /^HL-/i.test(code.trim());

export interface HotlineExtensionDeps extends HotlineDeps {
  readonly store: HotlineDeps["store"] & Pick<TicketStore, "ticketByNumber">;
  /** `/export hotline 2026-11` (§7); absent, the hotline sends no files. */
  readonly exports?: { readonly files: HotlineFiles; readonly outbox: Pick<OutboxStore, "enqueue">; readonly timeZone: string };
}

const LISTED = 15;

export function hotlineExtension(deps: HotlineExtensionDeps): StaffExtension {
  return {
    names: [...HOTLINE_COMMANDS, "hl"],
    company: {
      async claims(command, args, chat) {
        if ((HOTLINE_COMMANDS as readonly string[]).includes(command) || command === "hl") return true;
        if ((command === "join" || command === "bind") && isCompanyCode(args)) return true;
        if (command === "export" && /^hotline\b/i.test(args.trim())) return true;
        // The hotline group is the company's: it says what it is, and no property may take it.
        return (command === "where" || command === "staff" || command === "bind") && chat.kind === "group" && (await deps.store.isCompanyChat(chat.ref));
      },
    },
    handle: (ctx) => new Hotline(deps, ctx).run(),
  };
}

class Hotline {
  constructor(
    private readonly deps: HotlineExtensionDeps,
    private readonly ctx: StaffContext,
  ) {}

  private say(text: readonly Text[], extra: { askerOnly?: boolean; choices?: ReturnType<typeof viewButton>[] } = {}): Outcome {
    return { locale: this.ctx.locale, replies: [{ text, ...(extra.choices ? { choices: extra.choices } : {}) }], ...(extra.askerOnly ? { askerOnly: true as const } : {}) };
  }
  private refuse(key: "hotline.not_allowed" | "hotline.not_here" = "hotline.not_allowed"): Outcome {
    return this.say([t(key)], { askerOnly: true });
  }

  private get chatRef(): ChatRef {
    return { platform: this.ctx.inbound.channel, chatId: this.ctx.inbound.chat.id };
  }

  private async viewer(): Promise<HotlineViewer> {
    const { inbound, person, roles } = this.ctx;
    const companyRoles = await this.deps.store.companyRoles(person.id);
    const chat = inbound.chat.kind === "private" ? "private" : (await this.deps.store.isCompanyChat(this.chatRef)) ? "hotline_group" : "other_group";
    return { personId: person.id, companyRoles, staffRoles: roles, chat };
  }

  async run(): Promise<Outcome> {
    const { command, args } = this.ctx;
    if (command === "join") return this.join(args);
    if (command === "bind") return this.bind(args);
    if (command === "where" || command === "staff") return this.say([t("hotline.where")]);
    const v = await this.viewer();
    if (command === "hlrecord") return mayRecord(v) ? this.record(v, args) : this.refuse();
    if (command === "cases") return this.list(v);
    if (command === "export") return isQualityOffice(v) ? this.export(args.trim().slice("hotline".length)) : this.refuse();
    const [action = "", value = ""] = command === "hl" ? args.split(":") : [command, args];
    const [typed = "", ...rest] = value.trim().split(/\s+/);
    if (!isCaseAction(action)) return this.refuse();
    const step = action !== "case" && action !== "measures";
    const number = parseCaseNumber(typed);
    const found = number ? await this.deps.store.caseByNumber(number) : null;
    // A case the person may not see is answered as one that does not exist (§4.8).
    if (!found || !maySeeCase(v, found)) return number || typed ? this.refuse() : this.say([t(`hotline.usage.${action}`)]);
    if (action === "case") return this.view(found);
    if (step) return this.step(v, found, action, rest);
    return maySetMeasures(v, found) ? this.measures(found, rest) : this.refuse();
  }

  private async join(code: string): Promise<Outcome> {
    const { inbound, person, now } = this.ctx;
    if (inbound.chat.kind !== "private") return this.say([t("staff.join_private_only")], { askerOnly: true });
    const r = await this.deps.store.redeemCompanyInvite(code, "join", person.id, null, now);
    if (!r.ok) return this.say([t(`staff.${r.code}`)]);
    return r.grant.kind === "join" ? this.say([t("hotline.joined", { role: t(`hotline.role.${r.grant.role}`) })]) : this.say([t("staff.invite_wrong_kind")]);
  }

  private async bind(code: string): Promise<Outcome> {
    const { inbound, person, now } = this.ctx;
    if (inbound.chat.kind !== "group") return this.say([t("staff.bind_group_only")], { askerOnly: true });
    // A property's code in the hotline group would let that property's staff read every case.
    if (!isCompanyCode(code)) return this.say([t("hotline.bind_company_group")], { askerOnly: true });
    const r = await this.deps.store.redeemCompanyInvite(code, "bind", person.id, this.chatRef, now);
    return this.say([r.ok ? t("hotline.bound") : t(`staff.${r.code}`)]);
  }

  private async list(v: HotlineViewer): Promise<Outcome> {
    const { store } = this.deps;
    const office = isQualityOffice(v);
    if (!office && v.chat !== "private") return this.refuse();
    const heads = headedProperties(v);
    const found = office
      ? await store.cases({ statuses: OPEN_HOTLINE_STATUSES, limit: LISTED })
      : [
          ...(heads.length ? await store.cases({ propertyIds: heads, statuses: OPEN_HOTLINE_STATUSES, limit: LISTED }) : []),
          ...(await store.cases({ departmentHeadId: v.personId, statuses: OPEN_HOTLINE_STATUSES, limit: LISTED })),
        ];
    if (!office && heads.length === 0 && found.length === 0) return this.refuse();
    const unique = [...new Map(found.map((c) => [c.number, c])).values()];
    if (unique.length === 0) return this.say([t("hotline.cases_none")]);
    const lines = await Promise.all(unique.map(async (c) => caseLine(c, await propertyName(store, c.propertyId, this.ctx.locale))));
    return this.say([t("hotline.cases_title", { count: unique.length }), ...lines], { choices: unique.slice(0, 5).map((c) => viewButton(c.number)) });
  }

  private async view(c: HotlineCaseRecord): Promise<Outcome> {
    const { store } = this.deps;
    const head = c.departmentHeadId ? await store.personById(c.departmentHeadId) : null;
    return this.say(caseTexts(c, await propertyName(store, c.propertyId, this.ctx.locale), head ? nameOf(head) : null));
  }

  /** `/export hotline 2026-11`: the four forms and the KPIs, to where it was asked (a private chat or the hotline group). */
  private async export(monthText: string): Promise<Outcome> {
    const exports = this.deps.exports;
    const { inbound, now, locale } = this.ctx;
    if (!exports || (inbound.channel !== "telegram" && inbound.channel !== "slack")) return this.say([t("export.no_files_here")]);
    const month = parseMonthArg(monthText, now, exports.timeZone);
    if (!month.ok) return this.say([t("hotline.usage.export")]);
    const { histories, kpis, names } = await monthOf(this.deps, month.from, month.to, now, locale);
    const file = await exports.files.forms({ month: month.month, histories, kpis, names, locale });
    const to = { platform: inbound.channel, chatId: inbound.chat.id };
    await exports.outbox.enqueue([{ kind: "document", to, body: { locale, text: [t("hotline.export.caption", { month: month.month })], filename: file.filename, mediaType: file.mediaType, base64: file.base64 } }], now);
    return this.say([...kpiTexts(month.month, kpis, names), t("hotline.export.queued", { month: month.month })]);
  }

  /** A callback, the 处理回访表 or the property's report that it is done (./steps.ts). */
  private async step(v: HotlineViewer, c: HotlineCaseRecord, command: StepCommandName, words: readonly string[]): Promise<Outcome> {
    const step = parseStep(command, words);
    if (!step) return this.say([t(`hotline.usage.${command}`)]);
    if (!mayTake(v, c, step)) return this.refuse();
    const move = moveOf(step);
    const { store, staffLocale } = this.deps;
    const property = await propertyName(store, c.propertyId, staffLocale);
    const log = [t("hotline.log.step", { number: c.number, property, step: stepText(step), by: nameOf(this.ctx.person), note: step.note || "-" })];
    const outbox = toChats(await store.hotlineChats(), staffLocale, log);
    const data = { ...step, kind: step.type === "callback" ? step.kind : undefined };
    const done = await store.recordEvent(c.id, { type: move.event, actorId: this.ctx.person.id, at: this.ctx.now, data }, { from: move.from, ...(move.to ? { to: move.to } : {}) }, outbox);
    if (!done) return this.say([t("hotline.step_wrong_status", { number: c.number, status: t(`hotline.status.${c.status}`) })]);
    return this.say([t("hotline.step_recorded", { number: c.number, step: stepText(step) }), ...(move.to ? [t("hotline.case.status", { status: t(`hotline.status.${move.to}`) })] : [])]);
  }

  /** `/measures HL2026-0001 @wang 派工程部今天上门复查` (§4.4: 确定处理措施,指派责任部门负责人). */
  private async measures(c: HotlineCaseRecord, words: readonly string[]): Promise<Outcome> {
    const [who = "", ...rest] = words;
    const mention = parseMention(who);
    const measures = rest.join(" ").trim();
    if (!mention || !measures) return this.say([t("hotline.usage.measures")]);
    const { store } = this.deps;
    const channel = this.ctx.inbound.channel;
    // A Slack mention arrives as "@<user id>"; ids shorter than Slack's usual ones are tried as ids too.
    const head =
      (await store.findPerson(channel, handleOf(mention, channel))) ?? (channel === "slack" && "name" in mention ? await store.findPerson(channel, { platformUserId: mention.name }) : null);
    // The responsible department head is the property's own staff (§4.4 指派责任部门负责人).
    if (!head || !(await store.staffRoles(head.id)).some((r) => r.propertyId === c.propertyId)) return this.say([t("hotline.not_property_staff", { who: who.slice(0, 40) })]);
    const r = await setCaseMeasures(this.deps, c, head, measures, this.ctx.person, this.ctx.now);
    return r.ok ? this.say([t("hotline.measures_set", { number: c.number, head: nameOf(head) })]) : this.say([t("hotline.measures_already", { number: c.number })]);
  }

  /**
   * `/hlrecord HG-0042 13800001111 维修后还是漏水`, or the caller's room or phone instead of the
   * number (./intake.ts). The officer gives no answer on the substance (§4.2); a matter the
   * property never handled is no hotline case (§4.1): the officer is given what to tell the owner
   * instead, and the line the property's front desk records it with.
   */
  private async record(v: HotlineViewer, args: string): Promise<Outcome> {
    // §5.2: the script starts with the standard greeting.
    if (!args) return this.say([t("hotline.script.greeting"), t("hotline.script.ask"), t("hotline.usage.hlrecord")]);
    const call = parseCall(args);
    if (!call) return this.say([t("hotline.usage.hlrecord")]);
    const { store } = this.deps;
    const found = await callerTickets(store, call.key, this.ctx.now);
    if (found.kind === "pick") return this.say([t("hotline.intake.pick", { count: found.tickets.length }), ...found.tickets.slice(0, LISTED).map(ticketLine), t("hotline.usage.hlrecord")]);
    if (found.kind === "not_handled") return this.notHandled(call, found.open);
    const ticket = found.ticket;
    const major = ticket.weight === "major" || /重大/.test(call.matter) || classify(call.matter).major;
    const c = await fileHotlineCase(
      this.deps,
      {
        propertyId: ticket.propertyId,
        tickets: [ticket.number],
        ownerId: ticket.ownerId,
        roomLabel: ticket.roomLabel,
        contactName: ticket.contactName,
        contactPhone: call.phone ?? ticket.contactPhone,
        matter: call.matter,
        source: "phone",
        major,
        recordedById: v.personId,
      },
      this.ctx.now,
    );
    return this.say([t("hotline.recorded", { number: c.number }), ...caseTexts(c, await propertyName(store, c.propertyId, this.ctx.locale), null)]);
  }

  /** §4.1: guide the owner to the property; its front desk records the call with `/record` (issue 12). */
  private async notHandled(call: Call, open: readonly TicketRecord[]): Promise<Outcome> {
    const room = call.key.kind === "caller" ? call.key.roomLabel : null;
    const line = [room, call.phone, call.matter].filter((x): x is string => !!x).join(" ");
    const withProperty = open.length ? [t("hotline.intake.with_property", { count: open.length }), ...open.slice(0, LISTED).map(ticketLine)] : [];
    return this.say([t("hotline.scope.not_handled"), ...withProperty, t("hotline.intake.record_line", { line }), t("hotline.scope.what_for")]);
  }
}

const CASE_ACTIONS = ["case", "measures", ...STEP_COMMANDS] as const;
const isCaseAction = (a: string): a is (typeof CASE_ACTIONS)[number] => (CASE_ACTIONS as readonly string[]).includes(a);

/** "第一次回访(满意)", "处理回访表(较满意)", "处理完成". */
function stepText(step: Step): Text {
  if (step.type === "done") return t("hotline.step.done");
  const rating = t(`rating.${step.rating}`);
  return step.type === "feedback" ? t("hotline.step.feedback", { rating }) : t(`hotline.step.callback_${step.kind}`, { rating });
}
