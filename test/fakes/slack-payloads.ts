/**
 * What Slack sends to an app, built and signed the way Slack does: Events API envelopes as
 * JSON, slash commands as a form, interactions as a form with a JSON `payload` field, each
 * with `x-slack-signature`. `SlackOwner` plays one person in a DM with the bot.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { FakeSlack, PostedMessage } from "./slack.js";

export const TEAM = { id: "T0GUANJIA", domain: "guanjia-test", name: "Guanjia Test" } as const;
export const BOT = { userId: "U0BOT", botId: "B0BOT", appId: "A0GUANJIA" } as const;
export const OWNER = { user: "U0OWNER1", channel: "D0OWNER1" } as const;

/** The two headers Slack signs with: HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function signSlackRequest(
  secret: string,
  rawBody: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<"x-slack-signature" | "x-slack-request-timestamp", string> {
  const digest = createHmac("sha256", secret).update(`v0:${timestamp}:${rawBody}`).digest("hex");
  return { "x-slack-signature": `v0=${digest}`, "x-slack-request-timestamp": String(timestamp) };
}

export interface SlackFileShape {
  readonly id: string;
  readonly name: string;
  readonly mimetype: string;
  readonly filetype: string;
  readonly subtype?: string;
  readonly [more: string]: unknown;
}

export function imageFile(id = "F0PHOTO1", name = "ceiling.jpg"): SlackFileShape {
  return { id, name, title: name, mimetype: "image/jpeg", filetype: "jpg", mode: "hosted", url_private: `https://files.slack.com/${id}/${name}` };
}

/** A voice clip recorded in the Slack client. */
export function voiceClip(id = "F0VOICE1"): SlackFileShape {
  return { id, name: "audio_message.webm", mimetype: "audio/webm", filetype: "webm", subtype: "slack_audio", media_display_type: "audio" };
}

export function documentFile(id = "F0DOC1", name = "invoice.pdf"): SlackFileShape {
  return { id, name, mimetype: "application/pdf", filetype: "pdf", mode: "hosted" };
}

export interface MessageOptions {
  readonly text?: string;
  readonly user?: string;
  readonly channel?: string;
  readonly channelType?: "im" | "channel" | "group" | "mpim";
  readonly subtype?: string;
  readonly files?: readonly SlackFileShape[];
  readonly botId?: string;
  readonly eventId?: string;
  /** Written in the thread of the message with this ts (the owner answered that message). */
  readonly threadTs?: string;
}

/** An Events API `event_callback` carrying a `message` event; a DM from the owner by default. */
export function messageEvent(o: MessageOptions = {}): Record<string, unknown> {
  const ts = nextTs();
  const files = o.files ?? [];
  const subtype = o.subtype ?? (files.length > 0 ? "file_share" : undefined);
  const event = {
    type: "message",
    ...(subtype ? { subtype } : {}),
    channel: o.channel ?? OWNER.channel,
    channel_type: o.channelType ?? "im",
    user: o.user ?? OWNER.user,
    text: o.text ?? "",
    ts,
    ...(o.threadTs ? { thread_ts: o.threadTs, parent_user_id: BOT.userId } : {}),
    event_ts: ts,
    team: TEAM.id,
    ...(o.botId ? { bot_id: o.botId } : { client_msg_id: randomUUID() }),
    ...(files.length > 0 ? { files, upload: true, display_as_bot: false } : {}),
  };
  return envelope(event, o.eventId);
}

/** What Slack sends for `message_changed`: the edited message nested inside. */
export function editedMessageEvent(text: string): Record<string, unknown> {
  const ts = nextTs();
  return envelope({
    type: "message",
    subtype: "message_changed",
    channel: OWNER.channel,
    channel_type: "im",
    hidden: true,
    ts,
    event_ts: ts,
    message: { type: "message", user: OWNER.user, text, ts: nextTs(), edited: { user: OWNER.user, ts } },
  });
}

/** `@Guanjia claim HG-0001` in a channel: the text starts with the bot's mention, as Slack sends it. */
export function appMention(o: { text: string; user: string; channel: string; threadTs?: string; eventId?: string }): Record<string, unknown> {
  const ts = nextTs();
  return envelope(
    {
      type: "app_mention",
      user: o.user,
      text: `<@${BOT.userId}> ${o.text}`,
      ts,
      ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
      channel: o.channel,
      event_ts: ts,
      team: TEAM.id,
      client_msg_id: randomUUID(),
    },
    o.eventId,
  );
}

/** Someone (the bot, if `user` is BOT.userId) left or was removed from a channel. */
export function memberLeftChannel(o: { user: string; channel: string; eventId?: string }): Record<string, unknown> {
  return envelope({ type: "member_left_channel", user: o.user, channel: o.channel, channel_type: "C", team: TEAM.id, event_ts: nextTs() }, o.eventId);
}

/** Sent to the bot itself when it is removed from a public (`channel_left`) or private (`group_left`) channel. */
export function leftEvent(type: "channel_left" | "group_left", channel: string, actor = "U0ADMIN"): Record<string, unknown> {
  return envelope({ type, channel, actor_id: actor, event_ts: nextTs() });
}

export function urlVerification(challenge: string): Record<string, unknown> {
  return { token: "legacy-verification-token", challenge, type: "url_verification" };
}

export interface CommandOptions {
  readonly text?: string;
  readonly command?: string;
  readonly user?: string;
  readonly channel?: string;
  readonly responseUrl?: string;
}

/** The form fields of a slash command invocation. */
export function slashCommand(o: CommandOptions = {}): Record<string, string> {
  const channel = o.channel ?? OWNER.channel;
  return {
    token: "legacy-verification-token",
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: channel,
    channel_name: channel.startsWith("D") ? "directmessage" : "general",
    user_id: o.user ?? OWNER.user,
    user_name: "owner",
    command: o.command ?? "/guanjia",
    text: o.text ?? "",
    api_app_id: BOT.appId,
    is_enterprise_install: "false",
    response_url: o.responseUrl ?? "https://hooks.slack.invalid/commands/1",
    trigger_id: `trigger-${nextTs()}`,
  };
}

export interface BlockActionOptions {
  readonly message: { readonly ts: string; readonly text: string; readonly blocks: readonly unknown[] };
  readonly actionId: string;
  readonly value: string;
  readonly label: string;
  readonly user?: string;
  readonly channel?: string;
  readonly responseUrl?: string;
}

/** A `block_actions` interaction: a button press on one of the bot's messages. */
export function blockAction(o: BlockActionOptions): Record<string, unknown> {
  const channel = o.channel ?? OWNER.channel;
  const user = o.user ?? OWNER.user;
  return {
    type: "block_actions",
    user: { id: user, username: "owner", name: "owner", team_id: TEAM.id },
    api_app_id: BOT.appId,
    token: "legacy-verification-token",
    container: { type: "message", message_ts: o.message.ts, channel_id: channel, is_ephemeral: false },
    trigger_id: `trigger-${nextTs()}`,
    team: { id: TEAM.id, domain: TEAM.domain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: "directmessage" },
    message: { type: "message", user: BOT.userId, bot_id: BOT.botId, ...o.message },
    state: { values: {} },
    response_url: o.responseUrl ?? "https://hooks.slack.invalid/actions/1",
    actions: [
      {
        action_id: o.actionId,
        block_id: "choices:0",
        text: { type: "plain_text", text: o.label, emoji: true },
        value: o.value,
        type: "button",
        action_ts: nextTs(),
      },
    ],
  };
}

/** The press of the button labelled `label` on a message the bot posted. */
export function pressButton(message: PostedMessage, label: string, o: { user?: string; value?: string } = {}): Record<string, unknown> {
  const button = buttonsOf(message).find((b) => b.text.text === label);
  if (!button) throw new Error(`no button "${label}" on the message; it has: ${buttonsOf(message).map((b) => b.text.text).join(", ")}`);
  // A forged press keeps the button's id and changes its value, which Slack would let through.
  return blockAction({ message, actionId: button.action_id, value: o.value ?? button.value, label, channel: message.channel, ...(o.user ? { user: o.user } : {}) });
}

interface ButtonShape {
  readonly action_id: string;
  readonly value: string;
  readonly text: { readonly text: string };
}

export function buttonsOf(message: PostedMessage): ButtonShape[] {
  return (message.blocks as { type?: string; elements?: ButtonShape[] }[])
    .filter((b) => b.type === "actions")
    .flatMap((b) => b.elements ?? []);
}

/** The text an owner reads in a bot message: its sections and context lines. */
export function textOf(message: PostedMessage): string {
  return (message.blocks as { type?: string; text?: { text?: string }; elements?: { text?: string }[] }[])
    .flatMap((b) => (b.type === "section" ? [b.text?.text ?? ""] : b.type === "context" ? (b.elements ?? []).map((e) => e.text ?? "") : []))
    .join("\n");
}

/** A request body as Slack encodes each kind. */
export interface Encoded {
  readonly body: string;
  readonly contentType: string;
}
export const encode = {
  event: (envelope: Record<string, unknown>): Encoded => ({ body: JSON.stringify(envelope), contentType: "application/json" }),
  command: (fields: Record<string, string>): Encoded => ({
    body: new URLSearchParams(fields).toString(),
    contentType: "application/x-www-form-urlencoded",
  }),
  interaction: (payload: Record<string, unknown>): Encoded => ({
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: "application/x-www-form-urlencoded",
  }),
};

/** POSTs to Bolt's endpoint, signed with `secret` (or with the headers given instead). */
export function postSigned(
  url: string,
  secret: string,
  { body, contentType }: Encoded,
  o: { timestamp?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": contentType, ...(o.headers ?? signSlackRequest(secret, body, o.timestamp)) },
  });
}

/** What the bot did in answer to one request. */
export interface Heard {
  readonly status: number;
  /** The messages the bot posted, oldest first. */
  readonly posted: PostedMessage[];
  /** Their text, one string. */
  readonly text: string;
  /** The button labels of the last posted message that has buttons. */
  readonly choices: string[];
}

/**
 * One person in a DM with the bot. Every method waits for Bolt's HTTP response, which with
 * processBeforeResponse comes after the listener finished, so the bot's answer is already in
 * the fake's log: no sleeps.
 */
export class SlackOwner {
  constructor(
    private readonly fake: FakeSlack,
    private readonly endpoint: { readonly url: string; readonly secret: string },
    readonly user: string = OWNER.user,
    readonly channel: string = OWNER.channel,
  ) {}

  say(text: string): Promise<Heard> {
    return this.deliver(encode.event(messageEvent({ text, user: this.user, channel: this.channel })));
  }

  message(o: MessageOptions): Promise<Heard> {
    return this.deliver(encode.event(messageEvent({ user: this.user, channel: this.channel, ...o })));
  }

  /** Presses `label` on the bot's latest message in this DM that has it. */
  press(label: string): Promise<Heard> {
    const message = this.fake
      .postedTo(this.channel)
      .reverse()
      .find((m) => buttonsOf(m).some((b) => b.text.text === label));
    if (!message) throw new Error(`no message in ${this.channel} has a button "${label}"`);
    return this.deliver(encode.interaction(pressButton(message, label, { user: this.user })));
  }

  command(text: string): Promise<Heard> {
    return this.deliver(encode.command(slashCommand({ text, user: this.user, channel: this.channel })));
  }

  deliver(encoded: Encoded): Promise<Heard> {
    return deliver(this.fake, this.endpoint, encoded);
  }
}

/** Signs and posts one request to Bolt and collects what the bot posted meanwhile (response_url posts included). */
export async function deliver(fake: FakeSlack, endpoint: { readonly url: string; readonly secret: string }, encoded: Encoded): Promise<Heard> {
  const before = new Set(fake.messages.keys());
  const res = await postSigned(endpoint.url, endpoint.secret, encoded);
  await res.arrayBuffer();
  const posted = [...fake.messages.entries()].filter(([k]) => !before.has(k)).map(([, m]) => m);
  const withButtons = [...posted].reverse().find((m) => buttonsOf(m).length > 0);
  return {
    status: res.status,
    posted,
    text: posted.map(textOf).join("\n"),
    choices: withButtons ? buttonsOf(withButtons).map((b) => b.text.text) : [],
  };
}

/**
 * A staff member: slash commands anywhere (answered through a response_url the fake keeps),
 * @mentions in channels, and presses on any of the bot's messages, cards included.
 */
export class SlackStaff {
  constructor(
    private readonly fake: FakeSlack,
    private readonly endpoint: { readonly url: string; readonly secret: string },
    readonly user: string,
    /** The app's DM with them. */
    readonly dm: string,
  ) {}

  /** `/guanjia <text>` typed in `channel` (their DM by default). */
  command(text: string, channel: string = this.dm): Promise<Heard> {
    return this.deliver(encode.command(slashCommand({ text, user: this.user, channel, responseUrl: this.fake.responseUrl(channel) })));
  }

  /** `@Guanjia <text>` in a channel, or in a thread of it. */
  mention(text: string, channel: string, o: { threadTs?: string; eventId?: string } = {}): Promise<Heard> {
    return this.deliver(encode.event(appMention({ text, user: this.user, channel, ...o })));
  }

  /** Presses `label` on `message`, as this person; `value` forges what the button carries. */
  press(message: PostedMessage, label: string, o: { value?: string } = {}): Promise<Heard> {
    return this.deliver(this.pressing(message, label, o));
  }

  /** The encoded press, to deliver later (or twice, or at once with someone else's). */
  pressing(message: PostedMessage, label: string, o: { value?: string } = {}): Encoded {
    return encode.interaction({ ...pressButton(message, label, { user: this.user, ...o }), response_url: this.fake.responseUrl(message.channel) });
  }

  deliver(encoded: Encoded): Promise<Heard> {
    return deliver(this.fake, this.endpoint, encoded);
  }
}

let tsSeq = 0;
function nextTs(): string {
  return `${1_763_100_000 + ++tsSeq}.${String(tsSeq).padStart(6, "0")}`;
}

function envelope(event: Record<string, unknown>, eventId = `Ev${randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`): Record<string, unknown> {
  return {
    token: "legacy-verification-token",
    team_id: TEAM.id,
    api_app_id: BOT.appId,
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: BOT.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
