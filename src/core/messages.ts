/** The messages that cross the core's edge: what a person sent, what the bot answers, and where. */
import type { Locale, Text } from "./text.js";

/** The chat platform a message came through. `system` is for jobs and the admin tool. */
export const CHANNELS = ["console", "telegram", "slack", "system"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Media we cannot read as text; the owner is told so and nothing is lost. */
export type UnsupportedMedia = "voice" | "sticker" | "file" | "video" | "location" | "other";

/** What an owner sent, already translated from the platform's update by an adapter. */
export type InboundBody =
  /** `messageId`: the platform's id of the message, so a later edit of it can be recognised. */
  | { readonly type: "text"; readonly text: string; readonly messageId?: string }
  /** The owner edited a message they sent before: its new text, and the id it was sent with. */
  | { readonly type: "edit"; readonly text: string; readonly messageId: string }
  | { readonly type: "command"; readonly command: string; readonly args: string }
  | { readonly type: "choice"; readonly value: string }
  | { readonly type: "photo"; readonly fileRef: string; readonly caption?: string }
  | { readonly type: "unsupported"; readonly media: UnsupportedMedia };

export interface Sender {
  /** The platform's stable user id (Telegram user id, Slack user id, "local" on the console). */
  readonly platformUserId: string;
  readonly displayName?: string;
  /** The platform's language hint, e.g. Telegram's `language_code`. */
  readonly languageCode?: string;
  /** The platform handle without the @ (Telegram's `username`), so colleagues can name the person. */
  readonly username?: string;
}

/** A staff command or a card's button, in a private chat or a bound group. */
export interface StaffInbound {
  readonly channel: Channel;
  readonly chat: { readonly id: string; readonly kind: "private" | "group" };
  readonly sender: Sender;
  readonly body: { readonly type: "command"; readonly command: string; readonly args: string } | { readonly type: "choice"; readonly value: string };
}

export interface Inbound {
  readonly channel: Channel;
  /** One conversation per owner and chat, e.g. `telegram:<chat id>:<user id>`. */
  readonly conversationKey: string;
  readonly sender: Sender;
  readonly body: InboundBody;
  /** The bot's message the owner answered (Telegram's reply, Slack's thread), if they answered one. */
  readonly replyTo?: ReplyReference;
}

/**
 * A message of the bot's that an owner replied to. Every message the bot sends an owner about a
 * ticket names its number, so the quoted text says which matter the answer belongs to (跟清楚).
 */
export interface ReplyReference {
  /** The platform's id of that message: Telegram's message_id, Slack's thread_ts. */
  readonly messageId: string;
  /** Its text, as the platform quoted it (Telegram) or the adapter fetched it (Slack); absent when unknown. */
  readonly text?: string;
}

/** A button or numbered option. `value` is short (Telegram callback data is at most 64 bytes). */
export interface Choice {
  readonly value: string;
  readonly label: Text;
}

/** One message the bot sends back: paragraphs of text and, optionally, choices. */
export interface Reply {
  readonly text: readonly Text[];
  readonly choices?: readonly Choice[];
  /** Rendered in this locale instead of the owner's (an offer to switch language). */
  readonly locale?: Locale;
  /**
   * Photos sent after the text, as the platform references an owner's photo was stored with
   * (`tg:<file_id>`); a platform that cannot send a reference of its own kind leaves it out.
   */
  readonly photos?: readonly string[];
}

/** The replies to one inbound message, with the locale to render them in. */
export interface Outcome {
  readonly locale: Locale;
  readonly replies: readonly Reply[];
  /**
   * For the asker's eyes only (a refusal, a mistyped command): where the platform can, a group
   * does not see it: a pressed button's alert on Telegram, an ephemeral message on Slack.
   */
  readonly askerOnly?: true;
}

/** A chat on a platform: a Telegram chat id, a Slack channel id, or a user id for a DM. */
export interface ChatRef {
  readonly platform: Channel;
  readonly chatId: string;
}

/**
 * A person's private chat with the bot, where the bot can post unasked: only on Telegram and
 * Slack (a console person reads their answers inline and has no chat to push to).
 */
export function privateChatOf(person: { readonly platform: Channel; readonly platformUserId: string }): ChatRef | null {
  return person.platform === "telegram" || person.platform === "slack" ? { platform: person.platform, chatId: person.platformUserId } : null;
}
