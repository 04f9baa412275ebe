/**
 * `/digest [2026-11-22]`: the director's digest on demand, for the leads of the chat's property
 * (in a private chat, of each property they lead); and the 已阅 button `digest:sign:<property>:<date>`,
 * which records the sign-off of a posted digest (only a director, property head or admin of that
 * property; seed 000 §3 item 4).
 */
import { propertyLabel } from "../property/store.js";
import type { JobLedger } from "../scheduled/ledger.js";
import type { Outcome, Reply } from "../messages.js";
import type { SlaStore } from "../sla/store.js";
import type { StaffContext, StaffExtension } from "../staff/extension.js";
import { t } from "../text.js";
import {
  digestDay,
  digestKey,
  digestTexts,
  isFuture,
  maySign,
  parseDate,
  parseSignArgs,
  propertyTimeZone,
  signature,
  signChoice,
  signDeadline,
  signDigest,
  yesterday,
} from "./digest.js";
import type { ReportStore } from "./figures.js";
import { digestSummary } from "./director-digest.js";
import type { PropertyStore } from "../property/store.js";
import type { PersonStore } from "../people/store.js";
import { isLeadOf } from "../staff/access.js";

export interface DigestExtensionDeps {
  readonly store: PropertyStore & PersonStore;
  readonly reports: ReportStore;
  readonly ledger: JobLedger;
  readonly sla: Pick<SlaStore, "overridesOf" | "policyOf">;
  /** The company's time zone (TIMEZONE); a property's SLA policy may name its own. */
  readonly timeZone: string;
}

/** A person leading many properties reads them one message each, up to this many. */
const MAX_PROPERTIES = 10;

export function createDigestExtension(deps: DigestExtensionDeps): StaffExtension {
  const zoneOf = (propertyId: string) => propertyTimeZone(deps.sla, deps.timeZone, propertyId);

  async function sign(ctx: StaffContext): Promise<Outcome> {
    const target = parseSignArgs(ctx.args);
    // A group may only sign its own property's digest, whatever a button's data says.
    if (!target || !ctx.propertyIds.includes(target.propertyId)) return say(ctx, [t("digest.sign_not_allowed")]);
    const timeZone = await zoneOf(target.propertyId);
    if (target.date === yesterday(ctx.now, timeZone) && maySign(ctx.roles, target.propertyId)) await recordDue(target.propertyId, target.date, timeZone, ctx.now);
    return say(ctx, [await signDigest(deps, ctx.person, ctx.roles, { ...target, timeZone }, ctx.now)]);
  }

  /**
   * The digest due this morning, signed from `/digest` before the scheduled post was made (read at
   * 08:00, or the bot started late): its ledger row is made now, with nothing to send, since the
   * signer has it in front of them; the scheduled run then finds it made and posts nothing twice.
   */
  async function recordDue(propertyId: string, date: string, timeZone: string, now: Date): Promise<void> {
    const key = digestKey(propertyId, date);
    if (await deps.ledger.find(key)) return;
    const day = digestDay(date, timeZone);
    const figures = await deps.reports.digest(propertyId, day.from, day.to, now);
    await deps.ledger.post(key, { scheduledFor: now, at: now, late: false, data: digestSummary(date, figures), outbox: [] });
  }

  async function read(ctx: StaffContext): Promise<Outcome> {
    const properties = (await deps.store.properties()).filter((p) => ctx.propertyIds.includes(p.id) && isLeadOf(ctx.roles, p.id)); // the leads read the digest
    if (properties.length === 0) return say(ctx, [t("digest.not_allowed")]);
    const typed = ctx.args.trim();
    const date = typed ? parseDate(typed) : null;
    if (typed && !date) return say(ctx, [t("digest.usage")]);
    const replies: Reply[] = [];
    for (const property of properties.slice(0, MAX_PROPERTIES)) {
      const timeZone = await zoneOf(property.id);
      const day = digestDay(date ?? yesterday(ctx.now, timeZone), timeZone);
      if (isFuture(day.key, ctx.now, timeZone)) {
        replies.push({ text: [t("digest.future", { date: day.key })] });
        continue;
      }
      const [figures, post, sources, written] = await Promise.all([
        deps.reports.digest(property.id, day.from, day.to, ctx.now),
        deps.ledger.find(digestKey(property.id, day.key)),
        deps.reports.breakdown(property.id, day.from, day.to),
        deps.reports.openWrittenComplaints(property.id, day.to),
      ]);
      const signed = await signature(deps.store, post);
      const text = digestTexts({
        property: propertyLabel(property, ctx.locale),
        date: day.key,
        figures,
        signBy: signDeadline(day.key, timeZone),
        signed,
        sources,
        written,
      });
      // The digest due this morning carries 已阅 as the scheduled post does, posted or not yet
      // (recordDue); an older one only once posted, since the ledger row is what is signed.
      const due = day.key === yesterday(ctx.now, timeZone);
      const canSign = (post !== null || due) && !signed && maySign(ctx.roles, property.id);
      replies.push(canSign ? { text, choices: [signChoice(property.id, day.key)] } : { text });
    }
    return { locale: ctx.locale, replies };
  }

  return {
    names: ["digest"],
    handle: (ctx) => (ctx.inbound.body.type === "choice" ? sign(ctx) : read(ctx)),
  };
}

const say = (ctx: StaffContext, text: Reply["text"]): Outcome => ({ locale: ctx.locale, replies: [{ text }] });
