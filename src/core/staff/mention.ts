/**
 * A colleague named in a staff command (`/transfer HG-0042 @wang`), as the platforms deliver it.
 * Slack's message markup reaches the core as plain text, so its mention forms are read here too:
 * `<@U123ABC>` and `<@U123ABC|wang>` (a slash command with escaping on), and `@U123ABC`, which is
 * what the Slack adapter's plain-text conversion leaves of `<@U123ABC>` in an @mention.
 */
import type { Channel } from "../messages.js";
import type { PersonHandle } from "../people/store.js";

/** A platform user id (Slack markup), or a name typed after "@". */
export type Mention = { readonly id: string; readonly label: string } | { readonly name: string };

const SLACK_MARKUP = /^<@([UW][A-Z0-9]+)(?:\|([^<>|]*))?>$/;
/** Slack user ids: U or W and upper-case letters and digits (U024BE7LH). */
const SLACK_ID = /^[UW][A-Z0-9]{6,}$/;
/** Telegram usernames are letters, digits and "_"; Slack's old handles also allow "." and "-". */
const AT_NAME = /^@([A-Za-z0-9_.-]{1,64})$/;

/** The mention a word is, or null when it is not one (a department's name, say). */
export function parseMention(word: string): Mention | null {
  const markup = SLACK_MARKUP.exec(word);
  if (markup) return { id: markup[1]!, label: markup[2]?.trim() || markup[1]! };
  const at = AT_NAME.exec(word);
  return at ? { name: at[1]! } : null;
}

/** True for what was meant as a mention, parsable or not: such a word is never a department. */
export const looksLikeMention = (word: string): boolean => word.startsWith("@") || word.startsWith("<@");

/** What to look the mention up by: on Slack a bare user id is an id; anywhere else a name is a username. */
export function handleOf(mention: Mention, platform: Channel): PersonHandle {
  if ("id" in mention) return { platformUserId: mention.id };
  return platform === "slack" && SLACK_ID.test(mention.name) ? { platformUserId: mention.name } : { username: mention.name };
}

/** The mention as the person who typed it reads it back: "@wang". */
export const mentionText = (mention: Mention): string => `@${"id" in mention ? mention.label : mention.name}`;
