/**
 * The pace of a platform's outgoing messages (发送节流), as the adapters see it: before each
 * message the bot sends straight into a chat (an owner's reply, a staff command's answer) the
 * adapter takes a slot here. The outbox sender takes its slots from the same budget, so a card
 * and a reply to one group, or the bot's 30 a second on Telegram, never add up past a limit
 * (issue 16, item 2). The composition root hands the adapters the sender's pace.
 */
import type { Channel } from "./messages.js";

/** Chats of each kind have their own limits (Telegram: 1/s in a private chat, 20/min in a group too). */
export type ChatKind = "private" | "group";

export interface SendPace {
  /**
   * Takes the earliest slot for one message to `chatId` and resolves when it has come: send then.
   * Never fails; a slot taken and not used only leaves the chat a little quieter.
   */
  slot(platform: Channel, chatId: string, kind: ChatKind): Promise<void>;
}
