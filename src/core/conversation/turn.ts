/**
 * One turn of a conversation: the state being changed and the replies being collected. The
 * engine mutates a copy; the desk saves it only after the whole turn succeeded.
 */
import type { Channel, Choice, Reply, ReplyReference } from "../messages.js";
import type { PolicyLookup } from "../sla/reply-promise.js";
import type { Clock } from "../time/clock.js";
import type { IdGenerator } from "../util/ids.js";
import type { OwnerRoomRecord, PersonRecord, PersonStore } from "../people/store.js";
import type { PropertyRecord, PropertyStore } from "../property/store.js";
import type { RosterLookup } from "../registry/store.js";
import type { ChatStore } from "../staff/chats.js";
import type { StaffStore } from "../staff/roles.js";
import type { TicketStore } from "../ticket/store.js";
import type { Locale, Text } from "../text.js";
import type { ConversationState } from "./state.js";
import type { OwnerTextModel } from "../classify/owner-text.js";
import type { HotlineDeps } from "../hotline/file.js";

/** What a turn reads and writes: the owner, the properties, their tickets, and who to tell of a new one. */
export type TurnStores = PersonStore & PropertyStore & TicketStore & StaffStore & ChatStore & RosterLookup;

export interface EngineEnv {
  readonly store: TurnStores;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly channel: Channel;
  readonly person: PersonRecord;
  /** The language of staff groups' messages, for what filing tells them. */
  readonly staffLocale?: Locale;
  /** The property's SLA policy, for the reply time promised at filing; the defaults without it. */
  readonly slaPolicy?: PolicyLookup;
  /** The bot's message the owner answered with this turn's message, if any (./follow-up.ts). */
  readonly replyTo?: ReplyReference;
  /** The optional LLM reading the owner's words at the hearing step (issue 15); keywords only without it. */
  readonly ownerText?: OwnerTextModel;
  /** The general manager's hotline (issue 14): `/hotline` and its button; absent, the owner is told it is not offered. */
  readonly hotline?: HotlineDeps;
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
    // Every question retires the buttons of the ones before, with or without buttons of its own.
    this.state.askSeq += 1;
    const stamped = choices.map((c) => ({ ...c, value: stampChoice(this.state.askSeq, c.value) }));
    this.replies.push(locale ? { text, choices: stamped, locale } : { text, choices: stamped });
    this.state.lastChoices = choices.map((c) => c.value);
  }
}

/**
 * Buttons that mean the same whenever they are pressed (a language, a ticket to view or rate,
 * the menu) are left as they are; every other button carries its question's number.
 */
const TIMELESS = /^(lang|view|add|rate|menu):/;

export function stampChoice(seq: number, value: string): string {
  return TIMELESS.test(value) ? value : `${seq}~${value}`;
}
