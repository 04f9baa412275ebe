/**
 * One turn of a conversation: the state being changed and the replies being collected. The
 * engine mutates a copy; the desk saves it only after the whole turn succeeded.
 */
import type { Channel, Choice, Reply } from "../messages.js";
import type { Clock, IdGenerator, OwnerRoomRecord, PersonRecord, PropertyRecord, Store } from "../ports.js";
import type { Locale, Text } from "../text.js";
import type { ConversationState } from "./state.js";

export interface EngineEnv {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly channel: Channel;
  readonly person: PersonRecord;
  /** The language of staff groups' messages, for what filing tells them. */
  readonly staffLocale?: Locale;
  /** Loaded at most once a turn, and only when a step needs them. */
  properties(): Promise<readonly PropertyRecord[]>;
  ownerRooms(): Promise<readonly OwnerRoomRecord[]>;
}

export class Turn {
  readonly replies: Reply[] = [];
  state: ConversationState;
  person: PersonRecord;

  constructor(
    state: ConversationState,
    readonly env: EngineEnv,
  ) {
    this.state = structuredClone(state);
    this.person = env.person;
  }

  get locale(): Locale {
    return this.person.locale ?? "zh-CN";
  }

  say(...text: Text[]): void {
    this.replies.push({ text });
  }

  /** A message with choices; typed numbers then pick among these. */
  ask(text: Text[], choices: Choice[], locale?: Locale): void {
    this.replies.push(locale ? { text, choices, locale } : { text, choices });
    this.state.lastChoices = choices.map((c) => c.value);
  }
}
