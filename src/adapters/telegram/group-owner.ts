/**
 * An owner addressing the bot in an owners' group (业主群): the personal questions (name, phone,
 * room) belong in a private chat, so the words go to the owner's private conversation and the
 * group gets a short answer with a button that opens that chat. Shared by both runtimes.
 */
import { localeFromLanguageCode, t } from "../../core/text.js";
import { hasWords } from "../../core/util/input.js";
import type { Renderer } from "../../i18n/render.js";
import type { Route } from "./route.js";
import { conversationKey } from "./updates.js";
import type { ChatStore } from "../../core/staff/chats.js";
import type { OwnerDeskPort, StaffDeskPort } from "../../core/desk/inbound.js";

export interface GroupAnswer {
  readonly text: string;
  /** To the owner's private chat with the bot; none in a bound group. */
  readonly button?: { readonly label: string; readonly url: string };
}

export async function groupHandoff(
  route: Extract<Route, { to: "group_owner" }>,
  o: { desk: OwnerDeskPort; staffDesk?: StaffDeskPort; store: Pick<ChatStore, "chatBinding">; renderer: Renderer },
  botUsername: string,
): Promise<GroupAnswer | null> {
  // A bound group is a staff, department, director or hotline chat: owners do not report there,
  // but whoever addresses the bot there hears what it is for (a stranger: whose group, how to join).
  if ((await o.store.chatBinding({ platform: "telegram", chatId: String(route.chatId) }))?.active) {
    if (!o.staffDesk?.addressed) return null;
    const outcome = await o.staffDesk.addressed({ channel: "telegram", chat: { id: String(route.chatId), kind: "group" }, sender: route.sender });
    return { text: outcome.replies.map((r) => o.renderer.reply(r, outcome.locale).text).join("\n") };
  }
  if (!o.desk.handoffFromGroup) return null;
  const outcome = hasWords(route.text)
    ? await o.desk.handoffFromGroup({
        channel: "telegram",
        sender: route.sender,
        privateConversationKey: conversationKey(route.userId, route.userId),
        groupChatId: String(route.chatId),
        text: route.text,
      })
    : { locale: localeFromLanguageCode(route.sender.languageCode), replies: [{ text: [t("group.moved_private")] }] };
  const text = outcome.replies.map((r) => o.renderer.reply(r, outcome.locale).text).join("\n");
  return {
    text,
    button: { label: o.renderer.text(t("group.link"), outcome.locale), url: `https://t.me/${botUsername}?start=report` },
  };
}
