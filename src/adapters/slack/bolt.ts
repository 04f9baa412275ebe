/**
 * The owner desk on Slack, through Bolt: DMs, our buttons and the app's slash command go to the
 * desk, its replies come back as Block Kit messages. Slack's shapes end here; the desk sees only
 * `Inbound` and answers with an `Outcome`.
 */
// Named imports: Node and vitest disagree on what the default import of this CommonJS package is.
import { App, LogLevel, type AppOptions, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../core/intake/desk.js";
import type { Inbound, Outcome } from "../../core/messages.js";
import { KeyedLock } from "../../core/util/keyed-lock.js";
import type { Renderer } from "../../i18n/render.js";
import {
  fromBlockAction,
  fromCommand,
  fromMessage,
  isOwnerMessage,
  type SlackBlockAction,
  type SlackMessageEvent,
  type SlackProfile,
} from "./events.js";
import { answeredBlocks, CHOICE_ACTION, slackMessages } from "./render.js";

type WebClient = App["client"];

export interface SlackDesk {
  handle(inbound: Inbound): Promise<Outcome>;
}

export interface SlackOwnerAppOptions {
  readonly botToken: string;
  readonly signingSecret: string;
  readonly desk: SlackDesk;
  readonly renderer: Renderer;
  readonly logger: Logger;
  /** HTTP for the Events API behind a public URL; Socket Mode where no inbound port is open. */
  readonly mode: { kind: "http"; port: number; host?: string } | { kind: "socket"; appToken: string };
  /** Web API client settings: tests point `slackApiUrl` at a fake and shorten `retryConfig`. */
  readonly clientOptions?: AppOptions["clientOptions"];
}

export interface SlackOwnerApp {
  readonly app: App;
  /** Checks the token (auth.test) and starts listening; the port is the one bound in HTTP mode. */
  start(): Promise<{ port?: number }>;
  stop(): Promise<void>;
}

/** Enough for the owners active at once; an evicted one costs one users.info call. */
const PROFILE_CACHE_SIZE = 500;
/** Event ids and pressed messages remembered, so a Slack retry or a double click is one turn. */
const REMEMBERED = 1000;

export function createSlackOwnerApp(opts: SlackOwnerAppOptions): SlackOwnerApp {
  const { desk, renderer, logger, mode } = opts;
  const clientOptions = opts.clientOptions ?? {};
  const app = new App({
    token: opts.botToken,
    logger: boltLogger(logger),
    clientOptions,
    // auth.test runs in start(), where a bad token fails the start instead of an unhandled rejection.
    deferInitialization: true,
    // No Bolt conversation store: the desk keeps the owner's state.
    convoStore: false,
    ...(mode.kind === "http"
      ? // Listeners finish before Slack gets its 200, so a reply is sent before the event counts as delivered.
        { signingSecret: opts.signingSecret, processBeforeResponse: true }
      : { socketMode: true, appToken: mode.appToken, installerOptions: { clientOptions } }),
  });

  const profiles = new BoundedMap<string, SlackProfile>(PROFILE_CACHE_SIZE);
  const seenEvents = new BoundedMap<string, true>(REMEMBERED);
  const pressed = new BoundedMap<string, true>(REMEMBERED);
  // The desk orders turns per conversation; this also keeps their replies in order.
  const lock = new KeyedLock();

  async function profile(client: WebClient, user: string): Promise<SlackProfile> {
    const cached = profiles.get(user);
    if (cached) return cached;
    try {
      const { user: u } = await client.users.info({ user, include_locale: true });
      const found: SlackProfile = {
        ...(u?.locale ? { languageCode: u.locale } : {}),
        ...(u?.profile?.display_name || u?.real_name ? { displayName: u.profile?.display_name || u?.real_name } : {}),
      };
      profiles.set(user, found);
      return found;
    } catch (error) {
      // Not cached: the next message asks again. The desk falls back to the default language.
      logger.error(`slack: users.info failed for ${user}`, error);
      return {};
    }
  }

  /** Runs each inbound through the desk and posts its replies, one conversation at a time. */
  function converse(client: WebClient, channel: string, inbounds: readonly Inbound[]): Promise<void> {
    const key = inbounds[0]?.conversationKey;
    if (key === undefined) return Promise.resolve();
    return lock.run(key, async () => {
      for (const inbound of inbounds) {
        for (const message of slackMessages(await desk.handle(inbound), renderer)) {
          await client.chat.postMessage({ channel, text: message.text, blocks: [...message.blocks] });
        }
      }
    });
  }

  app.message(async ({ message, body, client }) => {
    // Slack delivers an event again when our 200 is late (over 3 s); the first delivery still runs.
    if (seenEvents.has(body.event_id)) return;
    seenEvents.set(body.event_id, true);
    const event = message as SlackMessageEvent;
    if (!isOwnerMessage(event)) return;
    const inbounds = fromMessage(event, body.team_id, await profile(client, event.user));
    await converse(client, event.channel, inbounds);
  });

  app.action(CHOICE_ACTION, async ({ ack, body, client }) => {
    await ack();
    const payload = body as SlackBlockAction & BlockActionMessage;
    const channel = payload.channel?.id ?? payload.container?.channel_id;
    const ts = payload.message?.ts ?? payload.container?.message_ts;
    // A double click arrives as two presses before our update lands; only the first counts.
    const pressKey = `${channel}:${ts}`;
    if (channel === undefined || ts === undefined || pressed.has(pressKey)) return;
    pressed.set(pressKey, true);
    const user = payload.user?.id;
    const inbound = user ? fromBlockAction(payload, await profile(client, user)) : null;
    if (!inbound) return;
    if (payload.message) {
      const label = payload.actions?.[0]?.text?.text ?? "";
      try {
        await client.chat.update({ channel, ts, text: payload.message.text ?? label, blocks: answeredBlocks(payload.message.blocks ?? [], label) });
      } catch (error) {
        // The choice still counts: the owner pressed it and is waiting for the next question.
        logger.error(`slack: could not mark the pressed message ${pressKey}`, error);
      }
    }
    await converse(client, channel, [inbound]);
  });

  // Whatever the command is named in the app's settings: Slack only sends an app its own.
  app.command(/^\/.+/, async ({ ack, command, client }) => {
    await ack();
    const inbound = fromCommand(command, await profile(client, command.user_id));
    // Outside our DM there is no conversation to answer into yet (channels come later).
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
      await app.init();
      if (mode.kind === "socket") {
        await app.start();
        started = true;
        return {};
      }
      const server = await app.start({ port: mode.port, host: mode.host });
      started = true;
      const address = server.address();
      return typeof address === "object" && address ? { port: address.port } : {};
    },
    async stop() {
      if (!started) return;
      started = false;
      await app.stop();
    },
  };
}

/** The parts of a block_actions body the action listener reads beyond the translation's. */
interface BlockActionMessage {
  readonly container?: { readonly channel_id?: string; readonly message_ts?: string };
  readonly message?: { readonly ts?: string; readonly text?: string; readonly blocks?: readonly unknown[] };
  readonly actions?: readonly { readonly action_id?: string; readonly value?: string; readonly text?: { readonly text?: string } }[];
}

/**
 * Bolt's warnings (bad signatures, unhandled requests) are worth an operator's eye, so they go
 * to the error log with its errors; the desk's logger has no other level.
 */
function boltLogger(logger: Logger): BoltLogger {
  const report = (msg: unknown[]) => {
    const error = msg.find((m) => m instanceof Error);
    logger.error(`slack: ${msg.filter((m) => m !== error).map(String).join(" ")}`, error);
  };
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg: unknown[]) => report(msg),
    error: (...msg: unknown[]) => report(msg),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}

/** A Map that forgets its oldest entries beyond `max`. */
class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
}
