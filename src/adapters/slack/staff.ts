/**
 * Slack payloads to the staff desk's `StaffInbound`s, and the events that mean the bot lost a
 * channel. Pure, like events.ts. Staff reach us three ways: the app's slash command
 * (`/guanjia claim HG-0001`), an @mention in a channel (`@Guanjia claim HG-0001`) and the card's
 * buttons. Only staff commands pass; everything else said in a channel is none of our business.
 */
import { isStaffChoice, isStaffCommandOrTypo } from "../../core/desk/staff-desk.js";
import { type StaffInbound } from "../../core/messages.js";
import { CHOICE_ACTION } from "./render.js";
import { isDm, sender, slackToPlain, splitCommand, withoutOurMention, type SlackBlockAction, type SlackCommand, type SlackProfile } from "./events.js";

export interface SlackMentionEvent {
  readonly type?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly text?: string;
  readonly channel?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
}

/** The events that tell an app it left a conversation. */
export interface SlackLeftEvent {
  readonly type?: string;
  readonly user?: string;
  readonly channel?: string;
}

/** A staff command typed after the slash command or the mention, before we know who typed it. */
export interface StaffCommandText {
  readonly command: string;
  readonly args: string;
}

type Chat = StaffInbound["chat"];

/** The app's DM is the staff member's private chat; channels, private ones and group DMs are groups. */
export function staffChat(channel: string): Chat {
  return { id: channel, kind: isDm(channel) ? "private" : "group" };
}

/** `claim HG-0001` (a leading slash tolerated) if the first word is a staff command, or a mistyped one (`clam`). */
export function staffCommandOf(text: string): StaffCommandText | null {
  // A person named in the command (`transfer HG-1 <@U123|wang>`) must stay an id the core can
  // find, not become the display name the label carries.
  const { word, args } = splitCommand(slackToPlain(text.replace(/<@([UW][A-Z0-9]+)\|[^>]*>/g, "<@$1>")));
  return word !== undefined && isStaffCommandOrTypo(word) ? { command: word.toLowerCase(), args } : null;
}

/** `/guanjia claim HG-0001`, wherever it was typed. */
export function staffFromCommand(command: SlackCommand, profile: SlackProfile = {}): StaffInbound | null {
  const { channel_id: channel, user_id: user } = command;
  const typed = staffCommandOf(command.text ?? "");
  if (!channel || !user || !typed) return null;
  return { channel: "slack", chat: staffChat(channel), sender: sender(user, profile), body: { type: "command", ...typed } };
}

/** The command in `@Guanjia claim HG-0001`: the text with our own mention taken out. */
export function mentionCommand(event: SlackMentionEvent, botUserId: string | undefined): StaffCommandText | null {
  if (event.type !== "app_mention" || event.bot_id || !event.user || !event.channel) return null;
  return staffCommandOf(withoutOurMention(event.text ?? "", botUserId));
}

export function staffFromMention(event: SlackMentionEvent, typed: StaffCommandText, profile: SlackProfile = {}): StaffInbound | null {
  if (!event.user || !event.channel) return null;
  return { channel: "slack", chat: staffChat(event.channel), sender: sender(event.user, profile), body: { type: "command", ...typed } };
}

/** The value of a staff card button (`claim:HG-0001`, `ticket:HG-0001`) pressed on one of our messages. */
export function staffChoiceOf(payload: SlackBlockAction): string | null {
  const action = payload.actions?.[0];
  if (payload.type !== "block_actions" || !action?.action_id || !CHOICE_ACTION.test(action.action_id)) return null;
  return action.value !== undefined && isStaffChoice(action.value) ? action.value : null;
}

export function staffFromBlockAction(payload: SlackBlockAction, profile: SlackProfile = {}): StaffInbound | null {
  const value = staffChoiceOf(payload);
  const user = payload.user?.id;
  const channel = payload.channel?.id ?? payload.container?.channel_id;
  if (value === null || !user || !channel) return null;
  return { channel: "slack", chat: staffChat(channel), sender: sender(user, profile), body: { type: "choice", value } };
}

/**
 * The channel the bot is no longer in: `channel_left` / `group_left` are sent to the bot itself,
 * `member_left_channel` to everyone in the channel, so only the bot's own counts.
 */
export function leftChannel(event: SlackLeftEvent, botUserId: string | undefined): string | null {
  if (!event.channel) return null;
  if (event.type === "channel_left" || event.type === "group_left") return event.channel;
  if (event.type === "member_left_channel" && botUserId !== undefined && event.user === botUserId) return event.channel;
  return null;
}
