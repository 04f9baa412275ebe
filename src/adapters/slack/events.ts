/**
 * Slack payloads to core `Inbound`s. Pure: the caller looks the owner's profile up and passes
 * it in, so this file can be tested with plain objects. Only direct messages with the app reach
 * the owner desk, and what owners address to the app in a channel (`channelRequest`), which is
 * carried to their DM; what staff send in channels is translated in staff.ts.
 */
import { hasWords } from "../../core/util/input.js";
import { OWNER_COMMANDS } from "../../core/conversation/input.js";
import type { Inbound, InboundBody, ReplyReference, Sender, UnsupportedMedia } from "../../core/messages.js";
import { CHOICE_ACTION } from "./render.js";

/** The fields of Slack's shapes we read; everything else Slack sends is ignored. */
export interface SlackFile {
  readonly id: string;
  readonly mimetype?: string;
  /** `slack_audio` / `slack_video` for clips recorded in the Slack client. */
  readonly subtype?: string;
}

export interface SlackMessageEvent {
  readonly type?: string;
  readonly subtype?: string;
  readonly channel?: string;
  readonly channel_type?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly hidden?: boolean;
  readonly text?: string;
  readonly files?: readonly SlackFile[];
  /** The message's id in its channel. */
  readonly ts?: string;
  /** In a thread: the ts of the message the thread hangs under (the owner answered that message). */
  readonly thread_ts?: string;
  /** `message_changed`: the message as it is now, and as it was. */
  readonly message?: SlackMessageEvent;
  readonly previous_message?: SlackMessageEvent;
}

/**
 * A message an owner wrote to us in a DM; see `isOwnerMessage`. `edited`: the owner changed a
 * message sent before (`ownerMessageOf` unwraps Slack's `message_changed`).
 */
export type OwnerMessage = SlackMessageEvent & { readonly user: string; readonly channel: string; readonly edited?: true };

export interface SlackBlockAction {
  readonly type?: string;
  readonly team?: { readonly id?: string } | null;
  readonly user?: { readonly id?: string };
  readonly channel?: { readonly id?: string };
  readonly container?: { readonly channel_id?: string; readonly message_ts?: string };
  /** The message the button is on; absent when it was ephemeral. */
  readonly message?: { readonly ts?: string; readonly thread_ts?: string; readonly text?: string; readonly blocks?: readonly unknown[] };
  readonly actions?: readonly { readonly action_id?: string; readonly value?: string; readonly text?: { readonly text?: string } }[];
}

export interface SlackCommand {
  readonly text?: string;
  readonly team_id?: string;
  readonly channel_id?: string;
  readonly user_id?: string;
}

/** What users.info told us about the owner, when it answered. */
export interface SlackProfile {
  readonly languageCode?: string;
  readonly displayName?: string;
}

export function conversationKey(team: string, channel: string, user: string): string {
  return `slack:${team}:${channel}:${user}`;
}

/**
 * Plain messages and file shares a person typed in a DM with us. Edits, deletions, joins and
 * bot posts (our own included) are not owner input; replaying an edit would file twice.
 */
export function isOwnerMessage(event: SlackMessageEvent): event is OwnerMessage {
  return (
    event.type === "message" &&
    event.channel_type === "im" &&
    (event.subtype === undefined || event.subtype === "file_share") &&
    !event.hidden &&
    !event.bot_id &&
    !!event.user &&
    !!event.channel
  );
}

/**
 * What the owner desk is given of a message event: a plain message as it is, an owner's edit of
 * their own DM message unwrapped and marked `edited`, anything else null. Slack also reports a
 * link preview added to a message as a change; the text did not change, so it is no edit.
 */
export function ownerMessageOf(event: SlackMessageEvent): OwnerMessage | null {
  if (isOwnerMessage(event)) return event;
  const now = event.message;
  if (event.type !== "message" || event.subtype !== "message_changed" || event.channel_type !== "im" || !now || !event.channel) return null;
  if (now.text === undefined || now.text === event.previous_message?.text) return null;
  const unwrapped = { ...now, type: "message", channel: event.channel, channel_type: "im", subtype: undefined };
  return isOwnerMessage(unwrapped) ? { ...unwrapped, edited: true } : null;
}

/**
 * One inbound per photo or file, since the core takes one item per message: a Slack message
 * may carry up to ten files and none may be lost. The text is the caption of the first photo,
 * as the owner meant it; without photos it goes first, as its own message.
 */
export function fromMessage(event: OwnerMessage, team: string, profile: SlackProfile = {}, replyTo?: ReplyReference): Inbound[] {
  const base = {
    channel: "slack",
    conversationKey: conversationKey(team, event.channel, event.user),
    sender: sender(event.user, profile),
    ...(replyTo ? { replyTo } : {}),
  } as const;
  const text = slackToPlain(event.text ?? "");
  if (event.edited) return event.ts ? [{ ...base, body: { type: "edit", text, messageId: event.ts } }] : [];
  const caption = text.trim() === "" ? undefined : text;
  const files = event.files ?? [];
  const firstPhoto = files.findIndex((f) => mediaOf(f) === "photo");
  const bodies: InboundBody[] = [];
  if (caption !== undefined && firstPhoto < 0) bodies.push({ type: "text", text: caption, ...(event.ts ? { messageId: event.ts } : {}) });
  files.forEach((file, i) => {
    const media = mediaOf(file);
    bodies.push(
      media === "photo"
        ? { type: "photo", fileRef: `slack:${file.id}`, ...(i === firstPhoto && caption !== undefined ? { caption } : {}) }
        : { type: "unsupported", media },
    );
  });
  if (bodies.length === 0) bodies.push({ type: "text", text, ...(event.ts ? { messageId: event.ts } : {}) });
  return bodies.map((body) => ({ ...base, body }));
}

/**
 * The ts of the message an owner answered by writing in its thread, if they did: Slack sends
 * only that, so the adapter fetches the message (`ReplyReference.text`) to learn its ticket.
 */
export function threadOf(event: OwnerMessage): string | null {
  return event.thread_ts !== undefined && event.thread_ts !== event.ts ? event.thread_ts : null;
}

/** A press on one of our buttons; buttons are only ever posted in DMs. */
export function fromBlockAction(payload: SlackBlockAction, profile: SlackProfile = {}): Inbound | null {
  const action = payload.actions?.[0];
  const team = payload.team?.id;
  const user = payload.user?.id;
  const channel = payload.channel?.id ?? payload.container?.channel_id;
  if (payload.type !== "block_actions" || !action?.action_id || !CHOICE_ACTION.test(action.action_id)) return null;
  if (action.value === undefined || !team || !user || !channel || !isDm(channel)) return null;
  return {
    channel: "slack",
    conversationKey: conversationKey(team, channel, user),
    sender: sender(user, profile),
    body: { type: "choice", value: action.value },
  };
}

/**
 * `/guanjia status HG-0001`: the app has one slash command and its first word is our command,
 * because Slack reserves names like /status. A bare `/guanjia` is like opening the chat.
 * Only from the DM with us: replies there keep the conversation in one place.
 */
export function fromCommand(command: SlackCommand, profile: SlackProfile = {}): Inbound | null {
  const { team_id: team, channel_id: channel, user_id: user } = command;
  if (!team || !channel || !user || !isDm(channel)) return null;
  const { word = "start", args } = splitCommand(slackToPlain(command.text ?? ""));
  return {
    channel: "slack",
    conversationKey: conversationKey(team, channel, user),
    sender: sender(user, profile),
    body: { type: "command", command: word, args },
  };
}

/**
 * What an owner asked for by addressing us in a channel: a matter to report (its words, maybe
 * none) or one of the owner commands, which is then run in their DM (`status HG-0001` read out in
 * a channel would show their ticket to everyone). `new 电梯坏了` and the like are a matter.
 */
export type ChannelRequest =
  | { readonly type: "matter"; readonly text: string }
  | { readonly type: "command"; readonly command: string; readonly args: string };

const STARTS_A_MATTER = new Set(["start", "new", "complaint", "repair"]);

export function channelRequest(text: string): ChannelRequest {
  const plain = slackToPlain(text).trim();
  const { word, args } = splitCommand(plain);
  const command = word?.toLowerCase();
  if (command === undefined || !(OWNER_COMMANDS as readonly string[]).includes(command)) return { type: "matter", text: plain };
  return STARTS_A_MATTER.has(command) && hasWords(args) ? { type: "matter", text: args } : { type: "command", command, args };
}

/** The text of an @mention without our own mention (every one of them), as Slack sent it. */
export function withoutOurMention(text: string, botUserId: string | undefined): string {
  // Without our id (auth.test not answered yet) only a leading mention is taken to be ours.
  const ours = botUserId ? new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, "g") : /^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>/;
  return text.replace(ours, " ");
}

/** `claim HG-0001` → the first word and the rest; a leading slash is tolerated. */
export function splitCommand(text: string): { word?: string; args: string } {
  const [, word, args = ""] = /^\s*\/?(\S+)?\s*([\s\S]*?)\s*$/.exec(text) ?? [];
  return word === undefined ? { args } : { word, args };
}

/**
 * Slack's message markup back to what the owner typed: `<https://x|label>` links, `<@U1>`
 * mentions and the three escaped characters. Angle brackets in the raw text are always Slack's
 * own, because a typed `<` arrives as `&lt;`.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_whole, target: string, label: string | undefined) => label ?? linkTarget(target))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function linkTarget(target: string): string {
  if (target.startsWith("!")) return `@${target.slice(1).split("^")[0]}`;
  return target.replace(/^(mailto|tel):/, "");
}

function mediaOf(file: SlackFile): "photo" | UnsupportedMedia {
  const type = file.mimetype?.toLowerCase() ?? "";
  if (file.subtype === "slack_audio" || type.startsWith("audio/")) return "voice";
  if (file.subtype === "slack_video" || type.startsWith("video/")) return "video";
  if (type.startsWith("image/")) return "photo";
  return "file";
}

/** DM ids start with D; channels with C, private channels and group DMs with C or G. */
export function isDm(channel: string): boolean {
  return channel.startsWith("D");
}

export function sender(user: string, profile: SlackProfile): Sender {
  return {
    platformUserId: user,
    ...(profile.displayName ? { displayName: profile.displayName } : {}),
    ...(profile.languageCode ? { languageCode: profile.languageCode } : {}),
  };
}
