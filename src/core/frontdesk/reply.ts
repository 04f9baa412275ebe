/**
 * Answering a letter in writing (seed 000 §2(2)B: "按投诉性质一般以书面回复用户") and the register's
 * export, as a staff extension beside the front desk:
 *
 * - `/resolve HG-0042 书面: <reply>` (or `written: <reply>`): a written complaint is resolved only
 *   with its written reply; the reply is kept (LetterReply) and sent back to the staff member as a
 *   printable document. A bare `/resolve HG-0042 …` of a written complaint is refused with a hint.
 * - `/letter HG-0042`: the printable reply again.
 * - `/export register 2026` (leads): 收文登记簿 as a workbook, one row per letter.
 *
 * Files go to the asker's private chat: they carry the owner's name, room and words.
 */
import { privateChatOf, type ChatRef, type Outcome } from "../messages.js";
import { propertyLabel, type PropertyRecord, type PropertyStore } from "../property/store.js";
import type { GuardVerdict, StaffContext, StaffExtension } from "../staff/extension.js";
import { LEAD_ROLES } from "../staff/roles.js";
import { t, type Text } from "../text.js";
import { parseTicketNumber } from "../ticket/number.js";
import type { TicketRecord, TicketStore } from "../ticket/store.js";
import { today, type LetterDeps, type LetterFile } from "./letters.js";
import { writtenReplyOf, type LetterEntry, type LetterReply } from "./register.js";

export interface LetterReplyDeps extends LetterDeps {
  readonly store: Pick<PropertyStore, "properties"> & Pick<TicketStore, "ticketByNumber">;
}

/** Platforms the outbox can upload a file to. */
const FILE_PLATFORMS: ReadonlySet<string> = new Set(["telegram", "slack"]);

export function letterReplyExtension(deps: LetterReplyDeps): StaffExtension {
  return {
    names: ["letter"],
    guards: ["resolve"],
    guard: (ctx, ticket) => guardResolve(deps, ctx, ticket),
    handle: (ctx) => printAgain(deps, ctx),
  };
}

/**
 * A written complaint with a register entry is resolved only with its written reply; one raised to
 * major since (`/escalate`) is still a letter of complaint and still answered in writing.
 */
async function guardResolve(deps: LetterReplyDeps, ctx: StaffContext, ticket: TicketRecord): Promise<GuardVerdict> {
  if (ticket.weight !== "written" && !(ticket.source === "letter" && ticket.kind === "complaint")) return { ok: true };
  const entry = await deps.register.letterOfTicket(ticket.id);
  if (!entry) return { ok: true };
  const text = writtenReplyOf(ctx.args);
  if (!text) return { ok: false, text: [t("letters.reply_required", { number: ticket.number, register: entry.number })] };
  return {
    ok: true,
    args: text,
    async after(resolved) {
      const reply = await deps.register.keepLetterReply({ entryId: entry.id, ticketId: resolved.id, text, at: ctx.now, byId: ctx.person.id });
      return [t("letters.reply_kept", { register: entry.number }), await sendReply(deps, ctx, resolved, entry, reply)];
    },
  };
}

/** `/letter HG-0042`: the latest written reply as a printable document, again. */
async function printAgain(deps: LetterReplyDeps, ctx: StaffContext): Promise<Outcome> {
  const say = (...text: Text[]): Outcome => ({ locale: ctx.locale, replies: [{ text }] });
  if (ctx.command === "export") return exportRegister(deps, ctx);
  const typed = ctx.args.split(/\s+/)[0] ?? "";
  if (!typed) return say(t("letters.usage"));
  const number = parseTicketNumber(typed);
  const ticket = number ? await deps.store.ticketByNumber(number) : null;
  // Another property's ticket is as good as none, whatever the number says.
  if (!ticket || !ctx.propertyIds.includes(ticket.propertyId)) return say(t("workflow.ticket_not_found", { number: typed.slice(0, 20) }));
  const entry = await deps.register.letterOfTicket(ticket.id);
  if (!entry) return say(t("letters.not_a_letter", { number: ticket.number }));
  const reply = (await deps.register.letterReplies(entry.id)).at(-1);
  if (!reply) return say(t("letters.no_reply_yet", { number: ticket.number, register: entry.number }));
  return say(await sendReply(deps, ctx, ticket, entry, reply));
}

async function sendReply(deps: LetterReplyDeps, ctx: StaffContext, ticket: TicketRecord, entry: LetterEntry, reply: LetterReply): Promise<Text> {
  const to = fileChat(ctx);
  if (!to) return t("letters.no_files_here", { number: ticket.number });
  const property = await propertyOf(deps, ticket.propertyId);
  const file = await deps.files.reply({ property, entry, ticket, reply, locale: ctx.locale });
  await send(deps, ctx, to, file, t("letters.caption.reply", { register: entry.number, number: ticket.number }));
  return t(ctx.inbound.chat.kind === "group" ? "letters.reply_sent_private" : "letters.reply_sent", { register: entry.number });
}

/** `/export register 2026`: the leads' properties' registers of the year (this year without one). */
async function exportRegister(deps: LetterReplyDeps, ctx: StaffContext): Promise<Outcome> {
  const say = (...text: Text[]): Outcome => ({ locale: ctx.locale, replies: [{ text }] });
  const leadOf = new Set(ctx.roles.filter((r) => LEAD_ROLES.includes(r.role)).map((r) => r.propertyId));
  const allowed = ctx.propertyIds.filter((id) => leadOf.has(id));
  if (allowed.length === 0) return say(t("export.not_allowed"));
  const typed = ctx.args.replace(/^(register|登记簿|收文)\s*/i, "").trim();
  if (typed && !/^\d{4}$/.test(typed)) return say(t("letters.register_usage"));
  const year = typed ? Number(typed) : Number(today(deps, ctx.now).slice(0, 4));
  const to = fileChat(ctx);
  if (!to) return say(t("export.no_files_here"));
  const lines: Text[] = [];
  for (const property of (await deps.store.properties()).filter((p) => allowed.includes(p.id))) {
    const rows = await deps.register.registerOfYear(property.id, year);
    const file = await deps.files.register({ property, year, rows, locale: ctx.locale });
    const label = propertyLabel(property, ctx.locale);
    await send(deps, ctx, to, file, t("letters.caption.register", { property: label, year, count: rows.length }));
    lines.push(t(ctx.inbound.chat.kind === "group" ? "letters.register_sent_private" : "letters.register_sent", { property: label, year, count: rows.length }));
  }
  return say(...lines);
}

/** Is `/export …` the register's? The rest of `/export` stays the monthly statistics'. */
export const isRegisterExport = (args: string): boolean => /^(register|登记簿|收文)(\s|$)/i.test(args.trim());

/**
 * The monthly statistics' `/export` with the register's beside it: `/export register 2026` is
 * answered here, every other `/export` and `/stats` by `inner` as before.
 */
export function withRegisterExport(inner: StaffExtension, letters: StaffExtension): StaffExtension {
  return {
    ...inner,
    handle: (ctx) => (ctx.command === "export" && isRegisterExport(ctx.args) ? letters.handle(ctx) : inner.handle(ctx)),
  };
}

/** In private, this chat; in a group, the asker's private chat. */
function fileChat(ctx: StaffContext): ChatRef | null {
  if (!FILE_PLATFORMS.has(ctx.inbound.channel)) return null;
  return ctx.inbound.chat.kind === "group" ? privateChatOf(ctx.person) : { platform: ctx.inbound.channel, chatId: ctx.inbound.chat.id };
}

async function send(deps: LetterReplyDeps, ctx: StaffContext, to: ChatRef, file: LetterFile, caption: Text): Promise<void> {
  await deps.outbox.enqueue([{ kind: "document", to, body: { locale: ctx.locale, text: [caption], ...file } }], ctx.now);
}

async function propertyOf(deps: LetterReplyDeps, id: string): Promise<PropertyRecord> {
  const found = (await deps.store.properties()).find((p) => p.id === id);
  if (!found) throw new Error(`no property ${id}`);
  return found;
}
