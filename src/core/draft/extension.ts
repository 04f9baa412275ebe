/**
 * `/draft HG-0042 [gist]`: a suggested reply to the owner (issue 15, item 3), for whoever may work
 * the ticket. With a model (./port.ts) it is written from the ticket, what the owner was already
 * told and the gist typed after the number; without one, or when the model fails or is slow, a
 * template in the spirit of 复清楚 (seed 000 §2(2) C) is given instead, and the staff member is
 * told which. Never sent to the owner: it comes as a ready `/reply HG-0042 …` line to copy, edit
 * and send. In a group it goes to the staff member's private chat, as the group need not read it.
 */
import { privateChatOf, type Outcome, type Reply } from "../messages.js";
import type { NewOutboxMessage, OutboxStore } from "../outbox.js";
import { rolesFor } from "../staff/access.js";
import type { StaffContext, StaffExtension } from "../staff/extension.js";
import { t, type Text } from "../text.js";
import { parseTicketNumber } from "../ticket/number.js";
import type { TicketStore } from "../ticket/store.js";
import { draftFacts, templateDraft } from "./facts.js";
import type { DraftFailure, ReplyDrafter } from "./port.js";

export interface DraftExtensionDeps {
  readonly store: Pick<TicketStore, "ticketByNumber" | "ticketEvents">;
  readonly outbox: Pick<OutboxStore, "enqueue">;
  /** The optional model; the template alone without it. */
  readonly drafter?: ReplyDrafter;
}

const WHY: Record<DraftFailure, "draft.why.timeout" | "draft.why.unavailable" | "draft.why.invalid" | "draft.why.paused"> = {
  timeout: "draft.why.timeout",
  unavailable: "draft.why.unavailable",
  invalid: "draft.why.invalid",
  circuit_open: "draft.why.paused",
  daily_cap: "draft.why.paused",
};

export function draftExtension(deps: DraftExtensionDeps): StaffExtension {
  return {
    names: ["draft"],
    async handle(ctx: StaffContext): Promise<Outcome> {
      const refuse = (text: Text): Outcome => ({ locale: ctx.locale, replies: [{ text: [text] }], askerOnly: true });
      const [typed = "", ...rest] = ctx.args.trim().split(/\s+/);
      const number = parseTicketNumber(typed);
      if (!number) return refuse(t("draft.usage"));
      const ticket = await deps.store.ticketByNumber(number);
      // Another property's ticket is "not found" here, as elsewhere: its existence is not this chat's business.
      if (!ticket || !ctx.propertyIds.includes(ticket.propertyId)) return refuse(t("draft.not_found", { number }));
      if (rolesFor(ctx.roles, ticket).length === 0) return refuse(t("draft.not_yours", { number }));

      const facts = draftFacts(ticket, await deps.store.ticketEvents(ticket.id), rest.join(" "));
      const drafted = deps.drafter ? await deps.drafter.draft(facts) : null;
      const body: Text = drafted?.ok ? t("draft.reply_line", { number, text: drafted.text }) : t("draft.reply_line", { number, text: templateDraft(facts) });
      const header: Text[] = [
        drafted?.ok ? t("draft.header.model", { number }) : t("draft.header.template", { number }),
        ...(drafted && !drafted.ok ? [t(WHY[drafted.reason])] : []),
      ];
      const hint = t("draft.hint", { number });
      // The draft is in the owner's language; what is said about it, in the staff member's.
      const replies: Reply[] = [{ text: header }, { text: [body], locale: ticket.locale }, { text: [hint] }];

      const inGroup = ctx.inbound.chat.kind === "group";
      const privately = inGroup ? privateChatOf(ctx.person) : null;
      if (!privately) return { locale: ctx.locale, replies };
      const messages: NewOutboxMessage[] = replies.map((r) => ({ kind: "message", to: privately, body: { locale: r.locale ?? ctx.locale, text: r.text } }));
      await deps.outbox.enqueue(messages, ctx.now);
      return refuse(t("draft.sent_privately", { number }));
    },
  };
}
