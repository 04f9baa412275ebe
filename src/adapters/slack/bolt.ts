/**
 * Guanjia on Slack, through Bolt. Owners talk to the owner desk in their DM with the app, or
 * address it in an owners' channel and are taken to their DM (group-owner.ts); staff reach the
 * staff desk with the slash command, an @mention in a channel or the card's buttons
 * (staff-listeners.ts). Slack's shapes end here: the desks see only `Inbound` / `StaffInbound`
 * and answer with an `Outcome`. What the desks queue for later (cards, notices) goes out through
 * the outbox sender and transport.ts, not through this app.
 */
// Named imports: Node and vitest disagree on what the default import of this CommonJS package is.
import { App, type AppOptions } from "@slack/bolt";
import { checkAppToken } from "./app-token.js";
import { deliverDirectly } from "../../core/desk/owner-desk.js";
import type { Logger } from "../../core/logger.js";
import type { ChatRef, Inbound, ReplyReference } from "../../core/messages.js";
import type { OutboxStore } from "../../core/outbox.js";
import type { Clock } from "../../core/time/clock.js";
import type { ChatStore } from "../../core/staff/chats.js";
import type { OwnerDeskPort, RedeliveryGuard, StaffDeskPort } from "../../core/desk/inbound.js";
import { KeyedLock } from "../../core/util/keyed-lock.js";
import type { Renderer } from "../../i18n/render.js";
import { fromBlockAction, fromCommand, fromMessage, isDm, ownerMessageOf, slackToPlain, threadOf, type OwnerMessage, type SlackBlockAction, type SlackMessageEvent } from "./events.js";
import { ownerChannels } from "./group-owner.js";
import { answeredBlocks, CHOICE_ACTION, LINK_ACTION, slackMessages } from "./render.js";
import { registerStaffListeners } from "./staff-listeners.js";
import { mentionCommand, staffChoiceOf, staffCommandOf, type SlackMentionEvent } from "./staff.js";
import { boltLogger, BoundedMap, profileLookup } from "./support.js";
import { slackIdentity } from "./start-up.js";
import type { TicketStore } from "../../core/ticket/store.js";

type WebClient = App["client"];

export interface SlackAppOptions {
  readonly botToken: string;
  readonly signingSecret: string;
  /** The owner desk: DMs, owner buttons, non-staff slash commands, and owners addressing the app in an owners' channel. */
  readonly desk: OwnerDeskPort;
  /** The staff desk: staff commands and card buttons. Without it, staff commands go to the owner desk as before. */
  readonly staffDesk?: StaffDeskPort;
  /**
   * Event ids (so a retried event has one effect, across restarts too), chats the bot was
   * removed from, the ticket lookup for replying in a card's thread, and the bindings that tell
   * owners' channels from staff ones. Without it, event ids are remembered in memory only,
   * removals are only reported to `onChatGone`, and owners are answered in their DM only.
   */
  readonly store?: RedeliveryGuard & Pick<ChatStore, "deactivateChat" | "chatBinding"> & Pick<TicketStore, "ticketByNumber">;
  /** Where each ticket's card is, so a staff reply about a ticket goes into the card's thread. */
  readonly outbox?: Pick<OutboxStore, "cardMessage">;
  readonly clock?: Clock;
  /** The bot was removed from a channel (after the binding was deactivated): someone should know. */
  onChatGone?(to: ChatRef, reason: string): Promise<void>;
  /** After each desk turn, which may have queued outbox messages: wire the outbox sender's `kick`. */
  onTurn?(): void;
  readonly renderer: Renderer;
  readonly logger: Logger;
  /** HTTP for the Events API behind a public URL; Socket Mode where no inbound port is open. */
  readonly mode: { kind: "http"; port: number; host?: string } | { kind: "socket"; appToken: string };
  /** Web API client settings: SLACK_API_URL (GovSlack, a proxy) and tests' fake go in `slackApiUrl`. */
  readonly clientOptions?: AppOptions["clientOptions"];
  /** The wait between start-up tries while auth.test fails (./start-up.ts); tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface SlackApp {
  readonly app: App;
  /**
   * Checks the token (auth.test, reported and retried until Slack answers) and starts listening;
   * the port is the one bound in HTTP mode, `user` the app's bot user for the start-up line.
   */
  start(): Promise<{ port?: number; user: string }>;
  stop(): Promise<void>;
}


/** Event ids and pressed messages remembered in memory, so a retry or a double click costs no query. */
const REMEMBERED = 1000;
const systemClock: Clock = { now: () => new Date() };

export function createSlackApp(opts: SlackAppOptions): SlackApp {
  const { desk, renderer, logger, mode, store } = opts;
  const clock = opts.clock ?? systemClock;
  const clientOptions = opts.clientOptions ?? {};
  const app = new App({
    token: opts.botToken,
    logger: boltLogger(logger),
    // Copies: Bolt writes its logger into the object it is given, and the Socket Mode client its
    // own retry policy (100 retries, for apps.connections.open), which would otherwise leak into
    // the clients Bolt makes later for the listeners.
    clientOptions: { ...clientOptions },
    // auth.test runs in start(), where a bad token fails the start instead of an unhandled rejection.
    deferInitialization: true,
    // No Bolt conversation store: the desk keeps the owner's state.
    convoStore: false,
    ...(mode.kind === "http"
      ? // Listeners finish before Slack gets its 200, so a reply is sent before the event counts as delivered.
        { signingSecret: opts.signingSecret, processBeforeResponse: true }
      : { socketMode: true, appToken: mode.appToken, installerOptions: { clientOptions: { ...clientOptions } } }),
  });

  const profile = profileLookup(app.client, logger);
  /** true: being handled or handled; false: its handling failed, so a retry is handled again. */
  const seenEvents = new BoundedMap<string, boolean>(REMEMBERED);
  /** Events a listener took up and nothing marked handled yet: the middleware below does, after. */
  const takenUp = new Set<string>();
  const pressed = new BoundedMap<string, true>(REMEMBERED);
  // The desk orders turns per conversation; this also keeps their replies in order.
  const lock = new KeyedLock();

  /**
   * Slack delivers an event again when our 200 is late (over 3 s) or lost, while the first
   * delivery may still be running: in this process the memory skips it from the moment it is
   * first seen. In the store an event counts as handled only once its effect is: an owner turn
   * marks it with its save, anything else is marked once every listener is done (the middleware
   * below), so a crash mid-turn leaves Slack's retry to be handled as the first (issue 10, item 1).
   * In Socket Mode Bolt acknowledges an event before any listener runs, so Slack retries none.
   */
  async function firstTime(eventId: string | undefined): Promise<boolean> {
    if (!eventId) return true;
    if (seenEvents.get(eventId) === true) return false;
    seenEvents.set(eventId, true);
    if (store && (await store.processed("slack", eventId))) return false;
    takenUp.add(eventId);
    return true;
  }

  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId !== "string") return next();
    try {
      await next();
    } catch (error) {
      takenUp.delete(eventId);
      seenEvents.set(eventId, false);
      throw error;
    }
    if (takenUp.delete(eventId)) await store?.markProcessed("slack", eventId, clock.now());
  });

  /**
   * Runs each inbound through the owner desk and posts its replies, one conversation at a time.
   * The desk queues the replies with the conversation (its durable fast path); what is not
   * posted here, the outbox sender posts, and is woken for it.
   */
  function converse(client: WebClient, channel: string, inbounds: readonly Inbound[], eventId?: string): Promise<void> {
    const key = inbounds[0]?.conversationKey;
    if (key === undefined) return Promise.resolve();
    return lock.run(key, async () => {
      for (const [i, inbound] of inbounds.entries()) {
        // A message with files is several turns: each part is marked with its own save, the
        // last under the event's id, so a retry after a crash half-way does only what is left.
        const update = eventId === undefined ? {} : { update: i === inbounds.length - 1 ? eventId : `${eventId}:${i}` };
        const outcome = await desk.handle(inbound, { to: { platform: "slack", chatId: channel }, ...update });
        if (outcome.marked && i === inbounds.length - 1 && eventId !== undefined) takenUp.delete(eventId);
        opts.onTurn?.();
        let left = true;
        try {
          left = await deliverDirectly(outcome, slackMessages(outcome, renderer), (message) =>
            client.chat.postMessage({ channel, text: message.text, blocks: [...message.blocks] }),
          );
        } finally {
          if (left) opts.onTurn?.();
        }
      }
    });
  }

  app.message(async ({ message, body, client }) => {
    // Checked before the event id is stored: chatter in channels leaves no trace.
    const event = ownerMessageOf(message as SlackMessageEvent);
    if (!event || !(await firstTime(body.event_id))) return;
    const inbounds = fromMessage(event, body.team_id, await profile(event.user), await answered(client, event));
    await converse(client, event.channel, await notTakenByStaff(client, event.channel, inbounds), body.event_id);
  });

  /**
   * A staff member's photo in their DM may be a letter's scan at the front desk: the staff side
   * sees each photo first and answers what it takes; the rest is the owner desk's as before.
   */
  async function notTakenByStaff(client: WebClient, channel: string, inbounds: readonly Inbound[]): Promise<Inbound[]> {
    const attach = opts.staffDesk?.attach?.bind(opts.staffDesk);
    if (!attach) return [...inbounds];
    const left: Inbound[] = [];
    for (const inbound of inbounds) {
      const body = inbound.body;
      const taken = body.type === "photo" ? await attach({ channel: "slack", chat: { id: channel, kind: "private" }, sender: inbound.sender, fileRef: body.fileRef }) : null;
      if (!taken) {
        left.push(inbound);
        continue;
      }
      for (const m of slackMessages(taken, renderer)) await client.chat.postMessage({ channel, text: m.text, blocks: [...m.blocks] });
    }
    return left;
  }

  /** The bot's message an owner answered in its thread; its text names the ticket it was about. */
  async function answered(client: WebClient, event: OwnerMessage): Promise<ReplyReference | undefined> {
    const ts = threadOf(event);
    if (ts === null) return undefined;
    try {
      const found = await client.conversations.replies({ channel: event.channel, ts, limit: 1 });
      const parent = found.messages?.find((m) => m.ts === ts);
      if (!parent?.bot_id) return undefined;
      return parent.text ? { messageId: ts, text: slackToPlain(parent.text) } : { messageId: ts };
    } catch (error) {
      // Read as if written outside the thread: the owner is asked which matter when it is unclear.
      logger.warn(`slack: could not read the thread ${ts} an owner answered`, error);
      return undefined;
    }
  }

  const staff = registerStaffListeners(app, { ...opts, profile, firstTime, lock });
  const owners = ownerChannels({ ...opts, client: app.client, profile, firstTime, converse: (channel, inbounds) => converse(app.client, channel, inbounds) });

  app.event("app_mention", async ({ event, body, context }) => {
    const mention = event as SlackMentionEvent;
    const typed = mentionCommand(mention, context.botUserId);
    if (typed) {
      if (staff) await staff.mention(mention, typed, body.event_id);
      return;
    }
    // Words for us in an owners' channel; in a staff channel, who may do what there (to the
    // person alone), never silence.
    if (await owners?.mention(mention, body, context.botUserId)) return;
    if (staff && mention.user && mention.channel && !mention.bot_id) {
      await staff.addressed({ channel: mention.channel, user: mention.user, thread: mention.thread_ts }, body.event_id);
    }
  });

  app.action(CHOICE_ACTION, async ({ ack, body, client, respond }) => {
    await ack();
    const payload = body as SlackBlockAction;
    // A card button (claim, details) is staff work: several people may press the same card.
    if (staff && staffChoiceOf(payload) !== null) return staff.press(payload, respond);
    const channel = payload.channel?.id ?? payload.container?.channel_id;
    const ts = payload.message?.ts ?? payload.container?.message_ts;
    // A double click arrives as two presses before our update lands; only the first counts.
    const pressKey = `${channel}:${ts}`;
    if (channel === undefined || ts === undefined || pressed.has(pressKey)) return;
    pressed.set(pressKey, true);
    const user = payload.user?.id;
    const inbound = user ? fromBlockAction(payload, await profile(user)) : null;
    if (!inbound) return;
    if (payload.message) {
      const label = payload.actions?.[0]?.text?.text ?? "";
      try {
        await client.chat.update({ channel, ts, text: payload.message.text ?? label, blocks: answeredBlocks(payload.message.blocks ?? [], label) });
      } catch (error) {
        // The choice still counts: the owner pressed it and is waiting for the next question.
        logger.warn(`slack: could not mark the pressed message ${pressKey}`, error);
      }
    }
    await converse(client, channel, [inbound]);
  });

  // Slack sends the app the press of a link button too; the link opens without us.
  app.action(LINK_ACTION, async ({ ack }) => {
    await ack();
  });

  // Whatever the command is named in the app's settings: Slack only sends an app its own.
  app.command(/^\/.+/, async ({ ack, command, client, respond }) => {
    await ack();
    if (staff && staffCommandOf(command.text ?? "") !== null) return staff.command(command, respond);
    // Outside our DM only staff commands and owners' channels mean anything.
    if (!isDm(command.channel_id)) {
      if (await owners?.command(command, respond)) return;
      await staff?.addressed({ channel: command.channel_id, user: command.user_id }, undefined, respond);
      return;
    }
    const inbound = fromCommand(command, await profile(command.user_id));
    if (!inbound) return;
    await converse(client, command.channel_id, [inbound]);
  });

  app.error(async (error) => {
    // Logged, never rethrown: a rethrow makes Bolt answer 500 and Slack deliver the event again.
    logger.error(`slack: listener failed (${error.code ?? "no code"})`, error);
  });

  let started = false;
  return {
    app,
    async start() {
      const { user } = await slackIdentity(opts.botToken, clientOptions, { logger, sleep: opts.sleep });
      await app.init();
      if (mode.kind === "socket") {
        await checkAppToken(mode.appToken, clientOptions, logger);
        await app.start();
        started = true;
        return { user };
      }
      const server = await app.start({ port: mode.port, host: mode.host });
      started = true;
      const address = server.address();
      return typeof address === "object" && address ? { port: address.port, user } : { user };
    },
    async stop() {
      if (!started) return;
      started = false;
      await app.stop();
    },
  };
}
