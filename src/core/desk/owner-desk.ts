/**
 * The owner's front desk: takes one inbound message, runs the conversation engine over the
 * owner's persisted state, saves the new state and returns the replies. Adapters call only this.
 */
import { converse } from "../conversation/engine.js";
import { initialState, parseState, type ConversationState } from "../conversation/state.js";
import type { Logger } from "../logger.js";
import { UNWATCHED, watchIn, type SendWatch, type SentJournal } from "./journal.js";
import type { DeskOutcome, GroupHandoff, OwnerDeskPort, ReplyDelivery, ReplyRoute } from "./inbound.js";
import type { Inbound, Outcome, Reply } from "../messages.js";
import type { OutboxText } from "../outbox.js";
import type { ConversationStore, ReplyOutbox, SavedWithReplies } from "../conversation/store.js";
import type { Clock } from "../time/clock.js";
import type { IdGenerator } from "../util/ids.js";
import type { PersonRecord } from "../people/store.js";
import { localeFromLanguageCode, t, type Locale } from "../text.js";
import { KeyedLock } from "../util/keyed-lock.js";
import { PropertyCache } from "../property/cache.js";
import type { PolicyLookup } from "../sla/reply-promise.js";
import type { TurnStores } from "../conversation/turn.js";
import type { OwnerTextModel } from "../classify/owner-text.js";
import type { HotlineDeps } from "../hotline/file.js";

export interface DeskDeps {
  readonly store: TurnStores & ConversationStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  /** The property's SLA policy for the reply time promised at filing (SlaStore.policyOf). */
  readonly slaPolicy?: PolicyLookup;
  /** The language of staff chats, for what filing tells them (the major-matter report); zh-CN without it. */
  readonly staffLocale?: Locale;
  /**
   * The durable fast path (issue 3, item 8): with it, the replies of a turn whose adapter names
   * the chat (`ReplyRoute`) are queued in the conversation's own transaction, so an owner never
   * misses a question because a send failed or the process died after the save. Without it (the
   * console, which has no outbox delivery) replies live only in the adapter's send.
   */
  readonly replies?: ReplyOutbox;
  /** How long the outbox sender leaves queued replies to the adapter; 20 s unless given. */
  readonly replyHoldMs?: number;
  /** Notes each direct send the moment it succeeds, so a restart never sends it again (journal.ts). */
  readonly journal?: SentJournal;
  /**
   * Marks of delivered replies wait up to `ms` for the next turn's save to write them in its own
   * transaction, and only then on their own, so that a busy desk spends no commit on them (issue
   * 16, item 2: on SQLite a commit is a sync of the file). A turn then does not wait for its
   * replies' marks. Only with a `journal`, which keeps them meanwhile. For SQLite: on PostgreSQL a
   * save that carries marks is a transaction instead of its one statement.
   */
  readonly gatherMarks?: { readonly ms: number; sleep(ms: number): Promise<void> };
  /** The optional LLM (issue 15): it reads the owner's words within its own budget. */
  readonly ownerText?: OwnerTextModel;
  /** The general manager's hotline (issue 14): `/hotline` and the button after 不满意. */
  readonly hotline?: HotlineDeps;
}

/** A save that lost a race with another instance is retried on the fresh state this often. */
const SAVE_ATTEMPTS = 3;
/** Long enough for a direct send, short enough that a reply lost with the process comes soon after a restart. */
const REPLY_HOLD_MS = 20_000;

export class OwnerDesk implements OwnerDeskPort {
  private readonly lock = new KeyedLock();
  private readonly properties: PropertyCache;
  private readonly marks: DeliveredMarks | null;
  /** Marks of delivered replies wait for company (`gatherMarks`, with the journal keeping them meanwhile). */
  private readonly gathering: boolean;

  constructor(private readonly deps: DeskDeps) {
    this.properties = new PropertyCache(deps.store, deps.clock);
    const replies = deps.replies;
    this.gathering = deps.journal !== undefined && deps.gatherMarks !== undefined;
    this.marks = replies
      ? new DeliveredMarks(
          (ids) => replies.markDelivered(ids, deps.clock.now()),
          (ids) => deps.journal?.settled(ids),
          deps.logger,
          this.gathering ? deps.gatherMarks : undefined,
        )
      : null;
  }

  /**
   * Resolves once the replies settled so far as delivered are marked sent: for a test, or a
   * shutdown that should not leave the sender anything to send a second time after a restart.
   */
  settled(): Promise<void> {
    return this.marks?.idle() ?? Promise.resolve();
  }

  /**
   * Once at start-up, before any turn: replies a previous process held for its own direct send
   * go to the outbox sender now instead of when their hold ends, so the owner's next answer is
   * not queued behind them for up to a hold (issue 10, item 2). Returns how many.
   *
   * `inFlightDelivered`: false where the journal may hold a live process's sends in flight (a
   * second instance on the host, sharing the file): those may yet fail and be released, and
   * marked here they would be lost. The sends the last process died with then go again.
   */
  async releaseOrphans(inFlightDelivered = true): Promise<number> {
    const { replies, journal, clock } = this.deps;
    if (!replies) return 0;
    // What the last process sent and died before marking was seen by its owners: marked, not sent again.
    const inFlight = new Set(journal?.inFlight());
    const noted = (journal?.noted() ?? []).filter((id) => inFlightDelivered || !inFlight.has(id));
    // Not sent again (journal.ts says why): said, so an operator who hears of a lost reply can tell.
    if (inFlight.size > 0 && inFlightDelivered) this.deps.logger.info(`start-up: ${inFlight.size} replies were being sent when the last process stopped; counted as delivered`);
    if (noted.length > 0) await replies.markDelivered(noted, clock.now());
    journal?.clear();
    return replies.releaseOrphans(clock.now(), this.deps.replyHoldMs ?? REPLY_HOLD_MS);
  }

  /** `route`: where the adapter sends the replies; given, they are queued with the save (see `DeskDeps.replies`). */
  handle(inbound: Inbound, route?: ReplyRoute): Promise<DeskOutcome> {
    return this.turn(inbound, route);
  }

  /**
   * An owner addressed the bot in an owners' group. Personal questions do not belong there: the
   * words are kept in the owner's private conversation (offered when they open it, e.g. through
   * the deep link the adapter adds), and the group is told only to continue privately.
   */
  handoffFromGroup(inbound: GroupHandoff): Promise<Outcome> {
    // Said in a group: an unreadable private state is replaced without telling the group so.
    // Its reply is a link to the private chat, in the group: for the adapter to send, not queued.
    return this.update(inbound.channel, inbound.sender, inbound.privateConversationKey, false, undefined, async (state, person) => {
      state.pending.push({ text: inbound.text, group: inbound.groupChatId });
      return { state, person, replies: [{ text: [t("group.moved_private")] }] };
    });
  }

  private turn(inbound: Inbound, route: ReplyRoute | undefined): Promise<DeskOutcome> {
    const { store, clock, ids } = this.deps;
    return this.update(inbound.channel, inbound.sender, inbound.conversationKey, true, route, (state, person) =>
      converse(state, inbound.body, {
        store,
        clock,
        ids,
        channel: inbound.channel,
        person,
        slaPolicy: this.deps.slaPolicy,
        ...(this.deps.staffLocale ? { staffLocale: this.deps.staffLocale } : {}),
        ...(this.deps.ownerText ? { ownerText: this.deps.ownerText } : {}),
        ...(this.deps.hotline ? { hotline: this.deps.hotline } : {}),
        ...(inbound.replyTo ? { replyTo: inbound.replyTo } : {}),
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
    route: ReplyRoute | undefined,
    change: (state: ConversationState, person: PersonRecord) => Promise<{ state: ConversationState; person: PersonRecord; replies: readonly Reply[] }>,
  ): Promise<DeskOutcome> {
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
          const outcome = { locale: result.person.locale ?? locale, replies: [...notices, ...result.replies] };
          const revision = stored?.revision ?? 0;
          const replies = this.deps.replies;
          if (route && replies && (outcome.replies.length > 0 || route.update !== undefined)) {
            const at = clock.now();
            const holdUntil = new Date(at.getTime() + (this.deps.replyHoldMs ?? REPLY_HOLD_MS));
            const bodies = outcome.replies.map((r) => outboxText(r, outcome.locale));
            const update = route.update === undefined ? {} : { update: route.update };
            // Earlier turns' marks ride along when they wait for company (gatherMarks), not otherwise.
            const carried = this.gathering ? this.marks?.take() : undefined;
            const delivered = carried ? { delivered: carried.ids } : {};
            let saved: SavedWithReplies;
            try {
              saved = await replies.saveConversation(key, person.id, result.state, revision, at, { to: route.to, bodies, holdUntil, ...update, ...delivered });
            } catch (error) {
              carried?.settle(false);
              throw error;
            }
            carried?.settle(saved.ok && saved.delivered === true);
            const marked = route.update === undefined ? {} : { marked: true as const };
            // Handled already: this delivery's turn is dropped whole and says nothing.
            if (!saved.ok && saved.code === "processed") return { locale: outcome.locale, replies: [], ...marked };
            if (saved.ok) return { ...outcome, delivery: this.delivery(replies, saved, holdUntil), ...marked };
          } else if ((await store.saveConversation(key, person.id, result.state, revision, clock.now())).ok) {
            return outcome;
          }
        }
        throw new Error(`conversation ${key} kept changing during ${SAVE_ATTEMPTS} attempts`);
      } catch (error) {
        logger.error(`turn failed for ${key}`, error);
        return { locale, replies: [{ text: [t("error.internal")] }] };
      }
    });
  }

  private delivery(replies: ReplyOutbox, saved: Extract<SavedWithReplies, { ok: true }>, holdUntil: Date): ReplyDelivery {
    const { clock, logger } = this.deps;
    const holdMs = this.deps.replyHoldMs ?? REPLY_HOLD_MS;
    // A send started this close to the hold's end could still be in flight when the sender takes over.
    const sendBefore = holdUntil.getTime() - holdMs / 4;
    let settled = !saved.held;
    /** How many of the replies, from the first, are marked sent already. */
    let marked = 0;
    const markUpTo = async (delivered: number) => {
      const n = Math.max(marked, Math.min(delivered, saved.ids.length));
      const sent = saved.ids.slice(marked, n);
      marked = n;
      if (sent.length === 0) return;
      // Before anything else runs: the send's answer has just come (see journal.ts).
      this.deps.journal?.note(sent);
      const written = this.marks!.add(sent);
      // Waited for (issue 10, item 2) unless gathered: until the mark is written, only the
      // journal's note stops a restart from sending them again.
      if (!this.gathering) await written;
    };
    const journal = this.deps.journal;
    return {
      direct: saved.held,
      inTime: () => clock.now().getTime() < sendBefore,
      watch: (from, through) => {
        const ids = saved.ids.slice(Math.max(from, marked), through);
        if (!journal || ids.length === 0) return UNWATCHED;
        return watchIn(journal, ids);
      },
      progress: async (delivered) => {
        if (!settled) await markUpTo(delivered);
      },
      settle: async (delivered) => {
        if (settled) return;
        settled = true;
        await markUpTo(delivered);
        const rest = saved.ids.slice(marked);
        if (rest.length === 0) return;
        try {
          await replies.release(rest, holdUntil, clock.now());
        } catch (error) {
          // Left held: the sender sends them when the hold ends rather than now.
          logger.warn(`releasing ${rest.length} queued replies failed`, error);
        }
      },
    };
  }
}

/**
 * Sends an owner turn's messages the adapter's way and settles what was queued on the durable
 * fast path. `through`: how many of the outcome's replies are wholly sent once that message is
 * (a platform may join replies into one message or split a long one). A failed send is thrown
 * after the rest is handed to the outbox sender. Returns true when something was left to the
 * sender, which an adapter that can should then wake.
 */
export async function deliverDirectly<M extends { readonly through: number }>(
  outcome: DeskOutcome,
  messages: readonly M[],
  send: (message: M, watch: SendWatch) => Promise<unknown>,
): Promise<boolean> {
  const delivery = outcome.delivery;
  if (delivery && !delivery.direct) return true;
  let delivered = 0;
  try {
    for (const [i, m] of messages.entries()) {
      if (delivery && !delivery.inTime()) return true;
      await send(m, delivery?.watch(delivered, m.through) ?? UNWATCHED);
      delivered = m.through;
      // Marked before the next is sent: a crash during that send must not repeat this one.
      if (i < messages.length - 1) await delivery?.progress(delivered);
    }
    // Replies a platform renders to nothing were not sent, and need not be.
    delivered = outcome.replies.length;
    return false;
  } finally {
    await delivery?.settle(delivered);
  }
}

function outboxText(reply: Reply, locale: Locale): OutboxText {
  const base = { locale: reply.locale ?? locale, text: reply.text };
  return reply.choices ? { ...base, choices: reply.choices } : base;
}

/**
 * Marks delivered replies sent, many turns' at a time: while one UPDATE waits for the store and
 * runs (and, with `gather`, for that long before it), the turns that finish meanwhile gather for
 * the next one. `add` resolves once its ids are written (or the write failed, which is logged).
 */
class DeliveredMarks {
  private waiting: string[] = [];
  private next: Deferred | null = null;
  private running: Promise<void> | null = null;
  /** `idle` was asked for: no more gathering until everything is written. */
  private hurried = false;
  private hurry: (() => void) | null = null;

  constructor(
    private readonly write: (ids: readonly string[]) => Promise<void>,
    /** After the ids are in the database, by `write` or by a save that carried them. */
    private readonly written: (ids: readonly string[]) => void,
    private readonly logger: Logger,
    private readonly gather?: DeskDeps["gatherMarks"],
  ) {}

  /**
   * What waits now, for a save to write in its own transaction; `settle(true)` once it did, or
   * `settle(false)` to have them written here as before.
   */
  take(): { readonly ids: readonly string[]; settle(written: boolean): void } | undefined {
    if (this.waiting.length === 0) return undefined;
    const ids = this.waiting;
    const done = this.next!;
    this.waiting = [];
    this.next = null;
    return {
      ids,
      settle: (written) => {
        if (written) {
          this.written(ids);
          return done.resolve();
        }
        void this.add(ids).then(done.resolve);
      },
    };
  }

  add(ids: readonly string[]): Promise<void> {
    this.waiting.push(...ids);
    const written = (this.next ??= deferred()).promise;
    this.running ??= this.run();
    return written;
  }

  /** Writes what is gathered now, and resolves once every mark added so far is written. */
  idle(): Promise<void> {
    this.hurried = true;
    this.hurry?.();
    return this.running ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    while (this.waiting.length > 0) {
      const gather = this.gather;
      if (gather && !this.hurried) {
        await new Promise<void>((resolve) => {
          this.hurry = resolve;
          gather.sleep(gather.ms).then(resolve, resolve);
        });
        this.hurry = null;
      }
      // A turn's save may have carried them off meanwhile.
      const batch = this.waiting;
      const done = this.next;
      this.waiting = [];
      this.next = null;
      try {
        if (batch.length > 0) {
          await this.write(batch);
          this.written(batch);
        }
      } catch (error) {
        // Left held: the sender sends them when the hold ends, a second time.
        this.logger.warn(`marking ${batch.length} delivered replies sent failed`, error);
      }
      done?.resolve();
    }
    this.running = null;
    this.hurried = false;
  }
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Loads on first use within one turn, and only if a step needs it. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}
