/**
 * What every chat of the playground shows, as a chat client would: messages in order, edited in
 * place when the bot edits them (a card as its ticket moves), with buttons, photos and files.
 * Listeners (the page's live channel) hear each change.
 */

export interface ChatButton {
  readonly label: string;
  /** Sent back as the button's callback data. */
  readonly value?: string;
  /** A link button (the owners' group's "continue in private"). */
  readonly url?: string;
}

export interface ChatMessage {
  readonly id: number;
  readonly chatId: string;
  /** The person who sent it, or null for the bot. */
  readonly from: { readonly id: number; readonly name: string } | null;
  readonly text: string;
  readonly buttons: readonly (readonly ChatButton[])[];
  /** Where the page loads an attached photo or file from. */
  readonly photo?: string;
  readonly file?: { readonly name: string; readonly url: string };
  readonly replyTo?: number;
  readonly edited: boolean;
  /** The playground's time when it was sent, ISO. */
  readonly at: string;
}

export type ChatEvent =
  | { readonly type: "message"; readonly message: ChatMessage }
  | { readonly type: "edit"; readonly message: ChatMessage }
  | { readonly type: "changed"; readonly what: "clock" | "guide" | "owners" | "locale" };

export class ChatLog {
  private readonly byId = new Map<number, ChatMessage>();
  private readonly listeners = new Set<(e: ChatEvent) => void>();

  constructor(private nextId = 1, messages: readonly ChatMessage[] = []) {
    for (const m of messages) this.byId.set(m.id, m);
    this.nextId = Math.max(nextId, ...messages.map((m) => m.id + 1));
  }

  all(): ChatMessage[] {
    return [...this.byId.values()];
  }

  get(id: number): ChatMessage | undefined {
    return this.byId.get(id);
  }

  post(m: Omit<ChatMessage, "id" | "edited">): ChatMessage {
    const message = { ...m, id: this.nextId++, edited: false };
    this.byId.set(message.id, message);
    this.emit({ type: "message", message });
    return message;
  }

  /** Null when there is no such message in that chat. */
  edit(chatId: string, id: number, patch: Pick<ChatMessage, "text" | "buttons">): ChatMessage | null {
    const old = this.byId.get(id);
    if (!old || old.chatId !== chatId) return null;
    const message = { ...old, ...patch, edited: true };
    this.byId.set(id, message);
    this.emit({ type: "edit", message });
    return message;
  }

  emit(e: ChatEvent): void {
    for (const l of this.listeners) l(e);
  }

  subscribe(listener: (e: ChatEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
