/** Outbox messages to people in their private chats (each once, in their language) and to the hotline groups. */
import { privateChatOf, type ChatRef, type Choice } from "../messages.js";
import type { NewOutboxMessage } from "../outbox.js";
import type { PersonRecord } from "../people/store.js";
import type { Locale, Text } from "../text.js";

export function toPeople(people: readonly PersonRecord[], staffLocale: Locale, text: readonly Text[], choices?: readonly Choice[]): NewOutboxMessage[] {
  const seen = new Set<string>();
  return people.flatMap((p) => {
    const to = privateChatOf(p);
    if (!to || seen.has(p.id)) return [];
    seen.add(p.id);
    return [{ kind: "message" as const, to, body: { locale: p.locale ?? staffLocale, text, ...(choices ? { choices } : {}) } }];
  });
}

export const toChats = (chats: readonly ChatRef[], locale: Locale, text: readonly Text[]): NewOutboxMessage[] =>
  chats.map((to) => ({ kind: "message" as const, to, body: { locale, text } }));
