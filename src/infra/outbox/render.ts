/**
 * Turns an outbox row into what a transport sends, at send time: a message from its locale keys,
 * a card from the ticket as it is now (so a card edited late still shows the latest state), a
 * document's caption.
 */
import type { NewOutboxMessage } from "../../core/outbox.js";
import type { PersonStore } from "../../core/people/store.js";
import type { PropertyStore } from "../../core/property/store.js";
import type { TicketStore } from "../../core/ticket/store.js";
import { staffCard } from "../../core/staff/card.js";
import type { Locale } from "../../core/text.js";
import type { RenderedReply, Renderer } from "../../i18n/render.js";

export function outboxRenderer(deps: { store: PersonStore & PropertyStore & TicketStore; renderer: Renderer; staffLocale: Locale }) {
  return async (message: NewOutboxMessage): Promise<RenderedReply | null> => {
    if (message.kind === "message") {
      const { text, choices, locale } = message.body;
      return deps.renderer.reply(choices ? { text, choices } : { text }, locale);
    }
    // A document's rendered text is its caption.
    if (message.kind === "document") return deps.renderer.reply({ text: message.body.text }, message.body.locale);
    const card = await staffCard(deps.store, message.ticketId, deps.staffLocale);
    return card ? deps.renderer.reply(card.choices ? { text: card.text, choices: card.choices } : { text: card.text }, card.locale) : null;
  };
}
