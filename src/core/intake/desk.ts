/**
 * The owner's front desk: takes one inbound message, runs the conversation engine over the
 * owner's persisted state, saves the new state and returns the replies. Adapters call only this.
 */
import { converse } from "../conversation/engine.js";
import { initialState, parseState } from "../conversation/state.js";
import type { Inbound, Outcome, Reply } from "../messages.js";
import type { Clock, IdGenerator, OwnerRoomRecord, PropertyRecord, Store } from "../ports.js";
import { localeFromLanguageCode, t } from "../text.js";
import { KeyedLock } from "../util/keyed-lock.js";
import { PropertyCache } from "./property-cache.js";

export interface Logger {
  error(message: string, error: unknown): void;
}

export interface DeskDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
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
    return this.lock.run(inbound.conversationKey, () => this.turn(inbound));
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
    return this.lock.run(inbound.privateConversationKey, async () => {
      const { store, clock, logger } = this.deps;
      let locale = localeFromLanguageCode(inbound.sender.languageCode);
      try {
        const identity = { platform: inbound.channel, platformUserId: inbound.sender.platformUserId, displayName: inbound.sender.displayName, locale };
        for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
          const { person, conversation } = await store.beginTurn(identity, inbound.privateConversationKey);
          locale = person.locale ?? locale;
          const parsed = parseState(conversation?.state);
          const state = parsed.ok ? parsed.state : initialState();
          state.pending.push({ text: inbound.text, group: inbound.groupChatId });
          const saved = await store.saveConversation(inbound.privateConversationKey, person.id, state, conversation?.revision ?? 0, clock.now());
          if (saved.ok) return { locale, replies: [{ text: [t("group.moved_private")] }] };
        }
        throw new Error(`conversation ${inbound.privateConversationKey} kept changing`);
      } catch (error) {
        logger.error(`group handoff failed for ${inbound.privateConversationKey}`, error);
        return { locale, replies: [{ text: [t("error.internal")] }] };
      }
    });
  }

  private async turn(inbound: Inbound): Promise<Outcome> {
    const { store, clock, ids, logger } = this.deps;
    let locale = localeFromLanguageCode(inbound.sender.languageCode);
    try {
      for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt++) {
        const { person, conversation: stored } = await store.beginTurn(
          {
            platform: inbound.channel,
            platformUserId: inbound.sender.platformUserId,
            displayName: inbound.sender.displayName,
            locale,
          },
          inbound.conversationKey,
        );
        locale = person.locale ?? locale;
        const parsed = parseState(stored?.state);
        const notices: Reply[] = parsed.ok ? [] : [{ text: [t("notice.state_reset")] }];
        const state = parsed.ok ? parsed.state : initialState();
        const result = await converse(state, inbound.body, {
          store,
          clock,
          ids,
          channel: inbound.channel,
          person,
          properties: () => this.properties.get(),
          ownerRooms: once(() => store.ownerRooms(person.id)),
        });
        const saved = await store.saveConversation(
          inbound.conversationKey,
          person.id,
          result.state,
          stored?.revision ?? 0,
          clock.now(),
        );
        if (saved.ok) return { locale: result.person.locale ?? locale, replies: [...notices, ...result.replies] };
      }
      throw new Error(`conversation ${inbound.conversationKey} kept changing during ${SAVE_ATTEMPTS} attempts`);
    } catch (error) {
      // The owner's message is not lost on their side: they are asked to send it again.
      logger.error(`turn failed for ${inbound.conversationKey}`, error);
      return { locale, replies: [{ text: [t("error.internal")] }] };
    }
  }
}

/** Loads on first use within one turn, and only if a step needs it. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

export type { OwnerRoomRecord, PropertyRecord };
