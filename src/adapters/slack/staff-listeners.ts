/**
 * The staff side of the Slack app: staff commands (slash command or @mention) and card buttons,
 * once bolt.ts's listeners have told them from owners' words, go to the staff desk, and its
 * answer goes back where the person is looking: the card's thread when a command is about a
 * ticket whose card is in that channel, else the channel or the slash command's response_url;
 * a press on a card is answered to the presser alone, under the card. Also: the bot being
 * removed from a channel.
 */
import type { App, RespondFn, SlashCommand } from "@slack/bolt";
import type { Logger } from "../../core/logger.js";
import type { ChatRef, Outcome, StaffInbound } from "../../core/messages.js";
import type { StaffDeskPort } from "../../core/desk/inbound.js";
import type { OutboxStore } from "../../core/outbox.js";
import type { ChatStore } from "../../core/staff/chats.js";
import { localeFromLanguageCode, t } from "../../core/text.js";
import { parseTicketNumber } from "../../core/ticket/number.js";
import type { KeyedLock } from "../../core/util/keyed-lock.js";
import type { Renderer } from "../../i18n/render.js";
import { isDm, sender as slackSender, type SlackBlockAction, type SlackProfile } from "./events.js";
import { slackMessages, type SlackMessage } from "./render.js";
import { leftChannel, staffChat, staffFromBlockAction, staffFromCommand, staffFromMention, type SlackLeftEvent, type SlackMentionEvent, type StaffCommandText } from "./staff.js";
import type { TicketStore } from "../../core/ticket/store.js";


export interface StaffListenerDeps {
  readonly staffDesk?: Pick<StaffDeskPort, "handle" | "addressed">;
  readonly store?: Pick<ChatStore, "deactivateChat"> & Pick<TicketStore, "ticketByNumber">;
  readonly outbox?: Pick<OutboxStore, "cardMessage">;
  onChatGone?(to: ChatRef, reason: string): Promise<void>;
  onTurn?(): void;
  readonly renderer: Renderer;
  readonly logger: Logger;
  readonly lock: KeyedLock;
  profile(user: string): Promise<SlackProfile>;
  firstTime(eventId: string | undefined): Promise<boolean>;
}

/** What the mention, action and command listeners hand over once they know it is staff work. */
export interface StaffRoutes {
  /** `@Guanjia claim HG-0001`: answered in the channel, in the card's thread if the ticket has one there. */
  mention(event: SlackMentionEvent, typed: StaffCommandText, eventId: string | undefined): Promise<void>;
  press(payload: SlackBlockAction, respond: RespondFn | undefined): Promise<void>;
  command(command: SlashCommand, respond: RespondFn): Promise<void>;
  /**
   * `@Guanjia` with no command, or `/guanjia 你好`, in a channel that is not an owners' one: staff
   * are shown what works there, anyone else whose channel it is and how to join (issue 10, item
   * 6), to them alone, rather than nothing.
   */
  addressed(to: { channel: string; user: string; thread?: string }, eventId: string | undefined, respond?: RespondFn): Promise<void>;
}

/** One way of putting a reply in front of the person; the next is tried if it fails. */
type Send = (message: SlackMessage) => Promise<unknown>;

const LEFT_EVENTS = ["member_left_channel", "channel_left", "group_left"] as const;

/** Registers the staff listeners; null without a staff desk (the removal events are handled anyway). */
export function registerStaffListeners(app: App, deps: StaffListenerDeps): StaffRoutes | null {
  const { staffDesk, store, outbox, renderer, logger } = deps;

  for (const type of LEFT_EVENTS) {
    app.event(type, async ({ event, body, context }) => {
      const channel = leftChannel(event as SlackLeftEvent, context.botUserId);
      if (channel === null || !(await deps.firstTime(body.event_id))) return;
      const to: ChatRef = { platform: "slack", chatId: channel };
      // Nothing more is queued for it; what is queued already comes back "gone" to the sender.
      await store?.deactivateChat(to);
      try {
        await deps.onChatGone?.(to, type);
      } catch (error) {
        logger.error(`slack: reporting the loss of ${channel} failed`, error);
      }
    });
  }
  if (!staffDesk) return null;
  const desk = staffDesk;

  const post =
    (channel: string, thread?: string): Send =>
    (m) =>
      app.client.chat.postMessage({ channel, text: m.text, blocks: [...m.blocks], ...(thread ? { thread_ts: thread } : {}) });
  /** Seen only by `user`, under the card in a channel. */
  const whisper =
    (channel: string, user: string, thread?: string): Send =>
    (m) =>
      app.client.chat.postEphemeral({ channel, user, text: m.text, blocks: [...m.blocks], ...(thread ? { thread_ts: thread } : {}) });
  /** A response_url also works where the bot is not a member. */
  const respondWith =
    (respond: RespondFn, type: "in_channel" | "ephemeral" = "in_channel"): Send =>
    (m) =>
      respond({ response_type: type, replace_original: false, text: m.text, blocks: [...m.blocks] });
  /** To the person alone, under `thread` in the channel; through the response_url when that fails. */
  const toAsker = (channel: string, user: string, thread: string | undefined, respond?: RespondFn): Send[] => [
    whisper(channel, user, thread),
    ...(respond ? [respondWith(respond, "ephemeral")] : []),
  ];

  /** The ts of the ticket's card in this channel, if the command names a ticket that has one there. */
  async function cardThread(channel: string, args: string): Promise<string | undefined> {
    const number = parseTicketNumber(args.split(/\s+/)[0] ?? "");
    if (!store || !outbox || !number) return undefined;
    const ticket = await store.ticketByNumber(number);
    const card = ticket ? await outbox.cardMessage(ticket.id, { platform: "slack", chatId: channel }) : null;
    return card === null ? undefined : card.slice(card.indexOf(":") + 1);
  }

  /**
   * One staff turn: the desk, then its replies; one person's turns in one chat in order. An answer
   * for the asker alone (a refusal, a mistyped command) goes the `privately` ways when given.
   */
  function turn(inbound: StaffInbound, sends: readonly Send[], privately?: readonly Send[], eventId?: string): Promise<void> {
    return deps.lock.run(`slack-staff:${inbound.chat.id}:${inbound.sender.platformUserId}`, async () => {
      let outcome: Outcome;
      try {
        outcome = await desk.handle(inbound, eventId);
      } catch (error) {
        // Unlike the owner desk, the staff desk lets errors through; the person still hears something.
        logger.error(`slack: the staff desk failed for ${inbound.sender.platformUserId} in ${inbound.chat.id}`, error);
        outcome = { locale: localeFromLanguageCode(inbound.sender.languageCode), replies: [{ text: [t("error.internal")] }] };
      }
      deps.onTurn?.();
      await sayAll(slackMessages(outcome, renderer), outcome.askerOnly && privately ? privately : sends);
    });
  }

  async function sayAll(messages: readonly SlackMessage[], sends: readonly Send[]): Promise<void> {
    let way = 0;
    for (const message of messages) {
      for (;;) {
        try {
          await sends[way]!(message);
          break;
        } catch (error) {
          if (way + 1 >= sends.length) throw error;
          logger.warn("slack: a staff reply could not be posted; answering through the response_url", error);
          way++;
        }
      }
    }
  }

  return {
    async mention(mention, typed, eventId) {
      if (!mention.user || !mention.channel || !(await deps.firstTime(eventId))) return;
      const inbound = staffFromMention(mention, typed, await deps.profile(mention.user));
      if (!inbound) return;
      const thread = mention.thread_ts ?? (await cardThread(mention.channel, typed.args));
      const privately = inbound.chat.kind === "group" ? [whisper(mention.channel, mention.user, thread)] : undefined;
      await turn(inbound, [post(mention.channel, thread)], privately, eventId);
    },
    async press(payload, respond) {
      const user = payload.user?.id;
      const inbound = user ? staffFromBlockAction(payload, await deps.profile(user)) : null;
      if (!user || !inbound) return;
      if (inbound.chat.kind === "private") return turn(inbound, [post(inbound.chat.id), ...(respond ? [respondWith(respond)] : [])]);
      // In a channel a press is answered to the presser alone, under the card: the edited card
      // shows everyone what changed, and "already claimed by 王磊" or the details are theirs only.
      const thread = payload.message?.thread_ts ?? payload.message?.ts ?? payload.container?.message_ts;
      await turn(inbound, toAsker(inbound.chat.id, user, thread, respond));
    },
    async addressed(to, eventId, respond) {
      if (isDm(to.channel) || !desk.addressed || !(await deps.firstTime(eventId))) return;
      const inbound = { channel: "slack" as const, chat: staffChat(to.channel), sender: slackSender(to.user, await deps.profile(to.user)) };
      const outcome = await desk.addressed(inbound);
      deps.onTurn?.();
      await sayAll(slackMessages(outcome, renderer), toAsker(to.channel, to.user, to.thread, respond));
    },
    async command(command, respond) {
      const inbound = staffFromCommand(command, await deps.profile(command.user_id));
      if (!inbound) return;
      const sends: Send[] = [];
      if (inbound.chat.kind === "group" && inbound.body.type === "command") {
        const thread = await cardThread(inbound.chat.id, inbound.body.args);
        if (thread) sends.push(post(inbound.chat.id, thread));
      }
      sends.push(respondWith(respond));
      await turn(inbound, sends, inbound.chat.kind === "group" ? [respondWith(respond, "ephemeral")] : undefined);
    },
  };
}
