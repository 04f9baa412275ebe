/**
 * An owner addressing the app in an owners' channel (业主群): a channel bound to no property. The
 * personal questions (name, phone, room) belong in private, so the words go to the owner's DM
 * with the app, which the app opens itself (Slack's counterpart of Telegram's deep link) and
 * where the owner finds the next question waiting. In the channel only the owner is answered,
 * ephemerally ("only visible to you"), with a button that opens the DM: the others in the
 * channel see nothing of it until the masked confirmation the desk queues once the matter is
 * filed. Slack users know that shape from every app that answers one person in a channel, and it
 * keeps the channel's history free of the bot's asides.
 *
 * Only mentions (app_mention) and the slash command reach this: the app subscribes to no channel
 * messages, so other chatter is never sent to it, let alone stored. A bound channel (staff,
 * department, director, hotline) is left as it was: owners do not report there.
 */
import type { App, RespondFn, SlashCommand } from "@slack/bolt";
import { hasWords } from "../../core/util/input.js";
import type { Logger } from "../../core/logger.js";
import type { OwnerDesk } from "../../core/desk/owner-desk.js";
import type { Inbound, Outcome } from "../../core/messages.js";
import { localeFromLanguageCode, t } from "../../core/text.js";
import type { Renderer } from "../../i18n/render.js";
import { channelRequest, conversationKey, isDm, sender, withoutOurMention, type ChannelRequest, type SlackProfile } from "./events.js";
import { linkMessage, slackMessage, type SlackLinkMessage } from "./render.js";
import type { SlackMentionEvent } from "./staff.js";
import type { ChatStore } from "../../core/staff/chats.js";

type WebClient = App["client"];

export interface OwnerChannelDeps {
  readonly desk: { handle(inbound: Inbound): Promise<Outcome>; handoffFromGroup?: OwnerDesk["handoffFromGroup"] };
  readonly store?: Pick<ChatStore, "chatBinding">;
  readonly client: WebClient;
  readonly renderer: Renderer;
  readonly logger: Logger;
  profile(user: string): Promise<SlackProfile>;
  firstTime(eventId: string | undefined): Promise<boolean>;
  /** One owner-desk turn in `channel` (the DM), its replies posted there. */
  converse(channel: string, inbounds: readonly Inbound[]): Promise<void>;
}

/** The envelope fields of an app_mention that say which workspace and app it is for. */
export interface MentionEnvelope {
  readonly event_id?: string;
  readonly team_id?: string;
  readonly api_app_id?: string;
}

export interface OwnerChannels {
  /** `@管家 电梯坏了` in a channel; false if it was not an owner's to take (a bound channel, a DM). */
  mention(event: SlackMentionEvent, envelope: MentionEnvelope, botUserId: string | undefined): Promise<boolean>;
  /** `/guanjia 电梯坏了` in a channel; false if it was not an owner's to take. */
  command(command: SlashCommand, respond: RespondFn): Promise<boolean>;
}

interface Addressed {
  readonly team: string;
  readonly appId: string | undefined;
  readonly channel: string;
  readonly user: string;
  readonly request: ChannelRequest;
}

/** Null without what a handoff needs: the desk's handoff and the bindings to tell owners' channels from staff ones. */
export function ownerChannels(deps: OwnerChannelDeps): OwnerChannels | null {
  const { desk, store, client, renderer, logger } = deps;
  if (!store || !desk.handoffFromGroup) return null;
  const bindings = store;
  const handoffFromGroup = desk.handoffFromGroup.bind(desk);

  async function isOwners(channel: string): Promise<boolean> {
    return !isDm(channel) && !(await bindings.chatBinding({ platform: "slack", chatId: channel }))?.active;
  }

  /**
   * The matter into the owner's DM, then the DM's next question, then the pointer to the DM
   * (so the link never leads to an empty chat). A DM that cannot be opened is said to the owner.
   */
  async function handoff(a: Addressed, answer: (m: SlackLinkMessage) => Promise<unknown>): Promise<void> {
    const profile = await deps.profile(a.user);
    const who = sender(a.user, profile);
    let dm: string | undefined;
    try {
      dm = (await client.conversations.open({ users: a.user })).channel?.id;
    } catch (error) {
      logger.error(`slack: could not open a DM with ${a.user}`, error);
    }
    if (!dm) {
      await answer(slackMessage(renderer.reply({ text: [t("error.internal")] }, localeFromLanguageCode(profile.languageCode))));
      return;
    }
    const key = conversationKey(a.team, dm, a.user);
    const { request } = a;
    const outcome =
      request.type === "matter" && hasWords(request.text)
        ? await handoffFromGroup({ channel: "slack", sender: who, privateConversationKey: key, groupChatId: a.channel, text: request.text })
        : { locale: localeFromLanguageCode(profile.languageCode), replies: [{ text: [t("group.moved_private")] }] };
    // Opened from a channel: the greeting and what was heard there come first, as after a deep link.
    const [command, args] = request.type === "command" ? [request.command, request.args] : ["start", ""];
    await deps.converse(dm, [{ channel: "slack", conversationKey: key, sender: who, body: { type: "command", command, args } }]);
    const text = outcome.replies.map((r) => renderer.reply(r, outcome.locale).text).join("\n");
    const url = a.appId ? `https://slack.com/app_redirect?app=${a.appId}&team=${a.team}` : `https://slack.com/app_redirect?channel=${dm}&team=${a.team}`;
    await answer(linkMessage(text, { label: renderer.text(t("group.link"), outcome.locale), url }));
  }

  return {
    async mention(event, envelope, botUserId) {
      const { user, channel } = event;
      const team = envelope.team_id;
      if (!user || !channel || !team || event.bot_id || !(await isOwners(channel))) return false;
      // Counted only once it is ours: a mention in a bound channel leaves no trace.
      if (!(await deps.firstTime(envelope.event_id))) return true;
      const request = channelRequest(withoutOurMention(event.text ?? "", botUserId));
      await handoff({ team, appId: envelope.api_app_id, channel, user, request }, async (m) => {
        const thread = event.thread_ts ? { thread_ts: event.thread_ts } : {};
        try {
          await client.chat.postEphemeral({ channel, user, text: m.text, blocks: [...m.blocks], ...thread });
        } catch (error) {
          // Seen by all, but seen: a reply under their message is better than silence.
          logger.warn(`slack: could not answer ${user} ephemerally in ${channel}; replying in the thread`, error);
          await client.chat.postMessage({ channel, text: m.text, blocks: [...m.blocks], thread_ts: event.thread_ts ?? event.ts });
        }
      });
      return true;
    },
    async command(command, respond) {
      const { team_id: team, channel_id: channel, user_id: user } = command;
      if (!team || !channel || !user || !(await isOwners(channel))) return false;
      const request = channelRequest(command.text ?? "");
      // The invocation itself is shown to no one; its answer goes through the response_url, which
      // works even in a channel the app was not invited to.
      await handoff({ team, appId: command.api_app_id, channel, user, request }, (m) =>
        respond({ response_type: "ephemeral", replace_original: false, text: m.text, blocks: [...m.blocks] }),
      );
      return true;
    },
  };
}
