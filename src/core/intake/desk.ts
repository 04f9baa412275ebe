/**
 * The owner's front desk: takes one inbound message, runs the conversation engine over the
 * owner's persisted state, saves the new state and returns the replies. Adapters call only this.
 */
import { converse } from "../conversation/engine.js";
import { initialState, parseState, type ConversationState } from "../conversation/state.js";
import type { Inbound, Outcome, Reply } from "../messages.js";
import type { Clock, IdGenerator, OwnerRoomRecord, PersonRecord, PropertyRecord, Store } from "../ports.js";
import { localeFromLanguageCode, t } from "../text.js";
import { KeyedLock } from "../util/keyed-lock.js";
import { PropertyCache } from "./property-cache.js";
import type { PolicyLookup } from "./reply-promise.js";

export interface Logger {
  error(message: string, error: unknown): void;
}

export interface DeskDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** The property's SLA policy for the reply time promised at filing (SlaStore.policyOf). */
  readonly slaPolicy?: PolicyLookup;
}

/** A save that lost a race with another instance is retried on the fresh state this often. */
const SAVE_ATTEMPTS = 3;

export class OwnerDesk {
  private readonly lock = new KeyedLock();
  private readonly properties: PropertyCache;

  constructor(private readonly deps: DeskDeps) {
    this.properties = new PropertyCache(deps.store, deps.clock);
  }

  handle(inbound: Inbound): Promise<Outcome> {
    return this.turn(inbound);
  }

  /**
   * An owner addressed the bot in an owners' group. Personal questions do not belong there: the
   * words are kept in the owner's private conversation (offered when they open it, e.g. through
   * the deep link the adapter adds), and the group is told only to continue privately.
   */
  handoffFromGroup(inbound: {
    channel: Inbound["channel"];
    sender: Inbound["sender"];
    /** The owner's private conversation with the bot. */
    privateConversationKey: string;
    groupChatId: string;
    text: string;
  }): Promise<Outcome> {
    // Said in a group: an unreadable private state is replaced without telling the group so.
    return this.update(inbound.channel, inbound.sender, inbound.privateConversationKey, false, async (state, person) => {
      state.pending.push({ text: inbound.text, group: inbound.groupChatId });
      return { state, person, replies: [{ text: [t("group.moved_private")] }] };
    });
  }

  private turn(inbound: Inbound): Promise<Outcome> {
    const { store, clock, ids } = this.deps;
    return this.update(inbound.channel, inbound.sender, inbound.conversationKey, true, (state, person) =>
      converse(state, inbound.body, {
        store,
        clock,
        ids,
        channel: inbound.channel,
        person,
        slaPolicy: this.deps.slaPolicy,
        properties: () => this.properties.get(),
        ownerRooms: once(() => store.ownerRooms(person.id)),
      }),
    );
  }

  /**
   * One change to a conversation, one at a time per key: read the person and the state, change
   * it, save it if nobody saved in between (else again, on the fresh state). A failure is logged
   * and the owner asked to send again; their message is not lost on their side.
   */
  private update(
    channel: Inbound["channel"],
    sender: Inbound["sender"],
    key: string,
    tellReset: boolean,
    change: (state: ConversationState, person: PersonRecord) => Promise<{ state: ConversationState; person: PersonRecord; replies: readonly Reply[] }>,
  ): Promise<Outcome> {
    return this.lock.run(key, async () => {
      const { store, clock, logger } = this.deps;
      let locale = localeFromLanguageCode(sender.languageCode);
      try {
        for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
          const identity = { platform: channel, platformUserId: sender.platformUserId, displayName: sender.displayName, username: sender.username, locale };
          const { person, conversation: stored } = await store.beginTurn(identity, key);
          locale = person.locale ?? locale;
          const parsed = parseState(stored?.state);
          const notices: Reply[] = parsed.ok || !tellReset ? [] : [{ text: [t("notice.state_reset")] }];
          const result = await change(parsed.ok ? parsed.state : initialState(), person);
          const saved = await store.saveConversation(key, person.id, result.state, stored?.revision ?? 0, clock.now());
          if (saved.ok) return { locale: result.person.locale ?? locale, replies: [...notices, ...result.replies] };
        }
        throw new Error(`conversation ${key} kept changing during ${SAVE_ATTEMPTS} attempts`);
      } catch (error) {
        logger.error(`turn failed for ${key}`, error);
        return { locale, replies: [{ text: [t("error.internal")] }] };
      }
    });
  }
}

/** Loads on first use within one turn, and only if a step needs it. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

export type { OwnerRoomRecord, PropertyRecord };
