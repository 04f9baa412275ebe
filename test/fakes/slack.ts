/**
 * A fake Slack Web API on 127.0.0.1 for Bolt's WebClient (`clientOptions.slackApiUrl`), plus
 * `/response/<channel>/<id>` for response_url posts and a Socket Mode WebSocket. It answers in
 * Slack's shapes (`{ok, error}`, 429 with Retry-After), logs every call, and keeps the bot's
 * messages (response_url ones too) so a test can press their buttons, and the files it uploads
 * (files.uploadV2's three steps) with their bytes. Like Slack, a post to a
 * user id lands in the app's DM with them, and a channel the bot left answers `not_in_channel`.
 * Payload builders and request signing are in slack-payloads.ts.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { BOT, TEAM } from "./slack-payloads.js";

export * from "./slack-payloads.js";

export interface SlackCall {
  /** A Web API method such as `chat.postMessage`, or `response_url`. */
  readonly method: string;
  /** Form or JSON fields; `blocks` and other JSON-valued fields decoded. */
  readonly params: Record<string, unknown>;
  /** The Authorization header, e.g. `Bearer xoxb-test`. */
  readonly auth: string | undefined;
  /** Set when the call was answered by an injected fault: `429` or the error code. */
  readonly failed?: string;
}

export type SlackFault = { readonly status: 429; readonly retryAfter: number } | { readonly error: string };

export interface FakeUser {
  readonly id: string;
  readonly name?: string;
  /** As Slack reports it with `include_locale`, e.g. `zh-CN` or `en-US`. */
  readonly locale?: string;
  /** The app's DM with them (D…): where a chat.postMessage to their user id lands. */
  readonly dm?: string;
}

export interface FakeFile {
  readonly id: string;
  readonly name: string;
  readonly mimetype: string;
}

/** A file the bot uploaded with files.uploadV2, once files.completeUploadExternal shared it. */
export interface UploadedFile {
  readonly id: string;
  readonly filename: string;
  readonly title: string;
  /** The conversation it was shared in (C…, G…, D…). */
  readonly channel: string;
  readonly initialComment?: string;
  readonly threadTs?: string;
  /** The bytes POSTed to the upload URL, to open the file again. */
  readonly bytes: Buffer;
}

/** A message the bot posted, as chat.update left it. */
export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
  /** The parent's ts for a reply in a thread. */
  readonly thread_ts?: string;
  /** Posted through a response_url rather than the Web API. */
  readonly viaResponseUrl?: boolean;
  /** Seen only by one person (chat.postEphemeral, or a response_url's default). */
  readonly ephemeral?: boolean;
  /** Whom a chat.postEphemeral was for. */
  readonly to?: string;
  text: string;
  blocks: unknown[];
}

type Result = Record<string, unknown>;
type Handler = (params: Record<string, unknown>) => Result;

/** Fields the WebClient sends as JSON strings inside a form. */
const JSON_FIELDS = new Set(["blocks", "attachments", "metadata", "files"]);

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  /** Bot messages by `channel/ts`. */
  readonly messages = new Map<string, PostedMessage>();
  url = "";
  /** For `clientOptions.slackApiUrl`. */
  apiUrl = "";
  private server: Server | undefined;
  private readonly users = new Map<string, FakeUser>();
  private readonly files = new Map<string, FakeFile>();
  /** Uploads in progress: files.getUploadURLExternal's declared name and length, then the bytes. */
  private readonly pending = new Map<string, { filename: string; length: number; bytes?: Buffer }>();
  /** Files the bot shared, oldest first. */
  readonly uploads: UploadedFile[] = [];
  private readonly faults = new Map<string, SlackFault[]>();
  /** Channels the bot was removed from. */
  private readonly left = new Set<string>();
  private responses = 0;
  private readonly waiters = new Set<{ check(): boolean; fail(e: Error): void }>();
  private seq = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly acks = new Map<string, (payload: unknown) => void>();

  private readonly methods: Record<string, Handler> = {
    "apps.connections.open": () => ({ url: `${this.url.replace(/^http/, "ws")}/socket-mode?ticket=${randomUUID()}` }),
    "auth.test": () => ({
      url: `https://${TEAM.domain}.slack.com/`,
      team: TEAM.name,
      team_id: TEAM.id,
      user: "guanjia",
      user_id: BOT.userId,
      bot_id: BOT.botId,
      is_enterprise_install: false,
    }),
    "chat.postMessage": (p) => {
      const named = str(p.channel);
      const channel = this.users.get(named)?.dm ?? named;
      if (!channel) return { ok: false, error: "channel_not_found" };
      if (this.left.has(channel)) return { ok: false, error: "not_in_channel" };
      if (!p.text && !p.blocks) return { ok: false, error: "no_text" };
      const ts = this.nextTs();
      const thread = str(p.thread_ts);
      const message: PostedMessage = { channel, ts, ...(thread ? { thread_ts: thread } : {}), text: str(p.text), blocks: arr(p.blocks) };
      this.messages.set(`${channel}/${ts}`, message);
      return { channel, ts, message: { type: "message", user: BOT.userId, bot_id: BOT.botId, ts, text: message.text, blocks: message.blocks } };
    },
    "chat.update": (p) => {
      if (this.left.has(str(p.channel))) return { ok: false, error: "not_in_channel" };
      const message = this.messages.get(`${str(p.channel)}/${str(p.ts)}`);
      if (!message) return { ok: false, error: "message_not_found" };
      if (p.text !== undefined) message.text = str(p.text);
      if (p.blocks !== undefined) message.blocks = arr(p.blocks);
      return { channel: message.channel, ts: message.ts, text: message.text, message: { text: message.text, blocks: message.blocks } };
    },
    "chat.postEphemeral": (p) => {
      const channel = str(p.channel);
      if (!channel || !p.user) return { ok: false, error: "channel_not_found" };
      if (this.left.has(channel)) return { ok: false, error: "not_in_channel" };
      const ts = this.nextTs();
      const thread = str(p.thread_ts);
      this.messages.set(`${channel}/${ts}`, { channel, ts, ...(thread ? { thread_ts: thread } : {}), ephemeral: true, to: str(p.user), text: str(p.text), blocks: arr(p.blocks) });
      return { message_ts: ts };
    },
    "users.info": (p) => {
      const user = this.users.get(str(p.user));
      if (!user) return { ok: false, error: "user_not_found" };
      const name = user.name ?? user.id;
      return {
        user: {
          id: user.id,
          team_id: TEAM.id,
          name,
          real_name: name,
          is_bot: false,
          profile: { display_name: name, real_name: name },
          // Slack sends the locale only when asked for it.
          ...(user.locale && (p.include_locale === true || p.include_locale === "true") ? { locale: user.locale } : {}),
        },
      };
    },
    "conversations.info": (p) => {
      const id = str(p.channel);
      if (!/^[CDG]/.test(id)) return { ok: false, error: "channel_not_found" };
      return { channel: { id, is_im: id.startsWith("D"), is_channel: id.startsWith("C"), is_private: !id.startsWith("C") } };
    },
    // The thread under `ts`, its parent first: the bot's own messages only (owners' are not kept).
    "conversations.replies": (p) => {
      const channel = str(p.channel);
      const parent = this.messages.get(`${channel}/${str(p.ts)}`);
      if (!parent) return { ok: false, error: "thread_not_found" };
      const asSlack = (m: PostedMessage) => ({ type: "message", user: BOT.userId, bot_id: BOT.botId, ts: m.ts, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}), text: m.text, blocks: m.blocks });
      const limit = Number(p.limit ?? 1000);
      return { messages: [parent, ...this.thread(channel, parent.ts)].slice(0, limit).map(asSlack), has_more: false };
    },
    "conversations.open": (p) => {
      const user = this.users.get(str(p.users));
      if (!user) return { ok: false, error: "user_not_found" };
      return { channel: { id: user.dm ?? `D${user.id.slice(1)}` } };
    },
    "files.getUploadURLExternal": (p) => {
      const length = Number(p.length);
      if (!p.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: "invalid_arguments" };
      const id = `F${String(this.uploads.length + this.pending.size + 1).padStart(9, "0")}`;
      this.pending.set(id, { filename: str(p.filename), length });
      return { upload_url: `${this.url}/upload/${id}`, file_id: id };
    },
    "files.completeUploadExternal": (p) => {
      // Like Slack: a conversation id only; a user id is refused (conversations.open gives the DM).
      const channel = str(p.channel_id);
      if (!/^[CGDZ]/.test(channel)) return { ok: false, error: "invalid_arguments" };
      if (this.left.has(channel)) return { ok: false, error: "not_in_channel" };
      const files = arr(p.files) as { id?: string; title?: string }[];
      const shared: UploadedFile[] = [];
      for (const f of files) {
        const upload = this.pending.get(str(f.id));
        if (!upload?.bytes) return { ok: false, error: "file_not_found" };
        const comment = str(p.initial_comment);
        const thread = str(p.thread_ts);
        shared.push({ id: str(f.id), filename: upload.filename, title: str(f.title) || upload.filename, channel, ...(comment ? { initialComment: comment } : {}), ...(thread ? { threadTs: thread } : {}), bytes: upload.bytes });
      }
      for (const f of shared) this.pending.delete(f.id);
      this.uploads.push(...shared);
      return { files: shared.map((f) => ({ id: f.id, name: f.filename, title: f.title })) };
    },
    "files.info": (p) => {
      const file = this.files.get(str(p.file));
      return file ? { file: { ...file, url_private: `${this.url}/files/${file.id}` } } : { ok: false, error: "file_not_found" };
    },
  };

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.serve(req, res).catch((e: unknown) => send(res, 500, { ok: false, error: `fake_failed: ${String(e)}` }));
    });
    server.on("upgrade", (req, socket, head) => this.wss.handleUpgrade(req, socket, head, (ws) => this.connect(ws)));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.apiUrl = `${this.url}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters) w.fail(new Error("FakeSlack stopped"));
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    // Keep-alive sockets from the WebClient's fetch would hold close() open.
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  }

  addUser(user: FakeUser): this {
    this.users.set(user.id, user);
    return this;
  }

  addFile(file: FakeFile): this {
    this.files.set(file.id, file);
    return this;
  }

  /** The bot is no longer in `channel`: posts and updates there answer `not_in_channel`. */
  leave(channel: string): void {
    this.left.add(channel);
  }

  /** A response_url for a command or a press in `channel`; what is posted to it is kept as a message there. */
  responseUrl(channel: string): string {
    return `${this.url}/response/${channel}/${++this.responses}`;
  }

  /** The bot's replies in the thread under `ts`, oldest first. */
  thread(channel: string, ts: string): PostedMessage[] {
    return this.postedTo(channel).filter((m) => m.thread_ts === ts);
  }

  /** The next call of `method` fails this way; several queued faults apply in order. */
  failNext(method: string, fault: SlackFault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  /** The first call at index `since` or later that matches, waiting for it if need be. */
  waitForCall(pred: (c: SlackCall) => boolean, opts: { since?: number; timeoutMs?: number } = {}): Promise<SlackCall> {
    const { since = 0, timeoutMs = 2000 } = opts;
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          const found = this.calls.slice(since).find(pred);
          if (found) done(() => resolve(found));
          return !!found;
        },
        fail: (e: Error) => done(() => reject(e)),
      };
      const timer = setTimeout(() => {
        const seen = this.calls.slice(since).map((c) => c.method).join(", ") || "none";
        waiter.fail(new Error(`FakeSlack: no matching call within ${timeoutMs} ms (calls since ${since}: ${seen})`));
      }, timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        settle();
      };
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  /**
   * Pushes a Socket Mode envelope to the connected app and resolves with its ack's payload.
   * Bolt acks events before its listeners run: wait for their Web API calls with waitForCall.
   */
  pushSocket(type: "events_api" | "slash_commands" | "interactive", payload: Record<string, unknown>): Promise<unknown> {
    const [ws] = this.sockets;
    if (!ws) return Promise.reject(new Error("FakeSlack: no Socket Mode connection"));
    const envelopeId = randomUUID();
    return new Promise((resolve) => {
      this.acks.set(envelopeId, resolve);
      ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== "events_api", retry_attempt: 0, retry_reason: "" }));
    });
  }

  /** The calls of one method from index `since`, without those answered by a fault. */
  callsOf(method: string, since = 0): SlackCall[] {
    return this.calls.slice(since).filter((c) => c.method === method && !c.failed);
  }

  /** The bot's messages in `channel`, oldest first. */
  postedTo(channel: string): PostedMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? "/", this.url).pathname;
    const upload = path.match(/^\/upload\/(F\w+)$/);
    if (upload) return this.receiveUpload(upload[1]!, body, req.headers["content-type"], res);
    const raw = body.toString("utf8");
    const params = parseParams(raw, req.headers["content-type"]);
    const auth = req.headers.authorization;
    const response = path.match(/^\/response\/(?:([^/]+)\/)?([^/]+)$/);
    if (response) {
      const [, channel, id] = response;
      this.record({ method: "response_url", params: { ...params, id, ...(channel ? { channel } : {}) }, auth });
      if (channel && (params.text || params.blocks)) {
        const ts = this.nextTs();
        const ephemeral = params.response_type !== "in_channel";
        this.messages.set(`${channel}/${ts}`, { channel, ts, viaResponseUrl: true, ...(ephemeral ? { ephemeral } : {}), text: str(params.text), blocks: arr(params.blocks) });
      }
      return send(res, 200, { ok: true });
    }
    const method = path.match(/^\/api\/([\w.]+)$/)?.[1];
    if (!method) return send(res, 404, { ok: false, error: "not_found" });
    const fault = this.faults.get(method)?.shift();
    if (fault && "status" in fault) {
      this.record({ method, params, auth, failed: "429" });
      return send(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(fault.retryAfter) });
    }
    if (fault) {
      this.record({ method, params, auth, failed: fault.error });
      return send(res, 200, { ok: false, error: fault.error });
    }
    this.record({ method, params, auth });
    if (!auth && !params.token) return send(res, 200, { ok: false, error: "not_authed" });
    const handler = this.methods[method];
    const result = handler ? handler(params) : { ok: false, error: "unknown_method" };
    send(res, 200, { ok: true, ...result });
  }

  /**
   * The upload URL files.getUploadURLExternal handed out: the WebClient POSTs the bytes as the
   * multipart field `body`; a length other than the one declared is refused as Slack does.
   */
  private async receiveUpload(id: string, body: Buffer, contentType: string | undefined, res: ServerResponse): Promise<void> {
    const pending = this.pending.get(id);
    let bytes: Buffer | undefined;
    if (contentType?.startsWith("multipart/form-data")) {
      const form = await new Request("http://fake/upload", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(body) }).formData();
      const part = form.get("body") ?? form.get("file");
      if (part instanceof Blob) bytes = Buffer.from(await part.arrayBuffer());
    } else {
      bytes = body;
    }
    this.record({ method: "upload", params: { file_id: id, length: bytes?.length ?? 0 }, auth: undefined });
    if (!pending || !bytes || bytes.length !== pending.length) {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("upload refused");
      return;
    }
    pending.bytes = bytes;
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`OK - ${bytes.length}`);
  }

  private connect(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      const resolve = ack.envelope_id === undefined ? undefined : this.acks.get(ack.envelope_id);
      if (!resolve) return;
      this.acks.delete(ack.envelope_id!);
      resolve(ack.payload);
    });
    ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: BOT.appId }, debug_info: { host: "fake-slack", approximate_connection_time: 3600 } }));
  }

  private nextTs(): string {
    return `${1_763_000_000 + ++this.seq}.000100`;
  }

  private record(call: SlackCall): void {
    this.calls.push(call);
    for (const w of [...this.waiters]) w.check();
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseParams(raw: string, contentType = ""): Record<string, unknown> {
  if (raw === "") return {};
  if (contentType.startsWith("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) out[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  return out;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

function str(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
