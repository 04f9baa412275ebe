/**
 * Slack's front door as an app sees it, on 127.0.0.1, standing in front of a FakeSlack:
 *
 * - Socket Mode, as @slack/socket-mode reads it (SocketModeClient.ts, SlackWebSocket.ts) and
 *   Slack documents it: `apps.connections.open` takes an app-level token (xapp-…) in the
 *   Authorization header only and answers a one-time `ws://…/link/?ticket=…&app_id=…`; on
 *   connecting, the app gets `hello`; each event, command or interaction comes in an envelope
 *   `{envelope_id, type, payload, accepts_response_payload, retry_attempt, retry_reason}` that the
 *   app acknowledges with `{envelope_id, payload}` within 3 s; `disconnect` asks it to reconnect.
 * - `conversations.open`, which the app uses to open its DM with an owner and FakeSlack lacks.
 *
 * Every other Web API call is passed on to the FakeSlack unchanged, which logs and answers it,
 * so a test reads the bot's posts in one place whichever door they came through.
 *
 * `openSlackWorld` starts the real app (either mode) behind both fakes, over a real store, with
 * both desks and the outbox sender: what the owners'-channel and Socket Mode tests share.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterEach } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { createSlackApp, type SlackApp, type SlackAppOptions } from "../../src/adapters/slack/bolt.js";
import { slackSenderClient, slackTransport } from "../../src/adapters/slack/transport.js";
import { OwnerDesk } from "../../src/core/desk/owner-desk.js";
import type { OutboxStore } from "../../src/core/outbox.js";
import { StaffDesk } from "../../src/core/desk/staff-desk.js";
import type { Renderer } from "../../src/i18n/render.js";
import { DEMO_PROPERTY } from "../../src/infra/demo-property.js";
import { outboxRenderer } from "../../src/infra/outbox/render.js";
import { createOutboxSender } from "../../src/infra/outbox/sender.js";
import { sequentialIds, TestClock } from "../support/chat.js";
import type { TestStore } from "../support/db.js";
import { lineLogger } from "../support/logger.js";
import { BOT, FakeSlack, OWNER } from "./slack.js";
import type { Stores } from "../../src/infra/prisma/store.js";

export type EnvelopeType = "events_api" | "slash_commands" | "interactive";

/** What the app sent back for one envelope. */
export interface Ack {
  readonly envelope_id: string;
  /** A slash command's or an interaction's response; `{}` for a bare ack. */
  readonly payload?: Record<string, unknown>;
}

/** A call answered here rather than passed on. */
export interface FrontCall {
  readonly method: string;
  readonly auth: string | undefined;
  readonly params: Record<string, string>;
}

/** Slack retries an envelope that is not acknowledged within this time. */
export const ACK_WITHIN_MS = 3_000;

export class FakeSlackSocket {
  /** For `clientOptions.slackApiUrl`. */
  apiUrl = "";
  readonly calls: FrontCall[] = [];
  /** Set: apps.connections.open answers this error (e.g. "missing_scope") to any token. */
  refuseAppToken: string | undefined;
  /** Errors apps.connections.open answers to its next calls, one each (e.g. "internal_error"). */
  readonly failNextOpens: string[] = [];
  /** WebSocket connections the app made, in order (the open ones and the closed). */
  readonly connections: { readonly ticket: string; open: boolean }[] = [];
  private url = "";
  private server: Server | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly dms = new Map<string, string>();
  private socket: WebSocket | undefined;
  private readonly pending = new Map<string, (ack: Ack) => void>();
  private readonly connectWaiters: (() => boolean)[] = [];

  constructor(private readonly web: FakeSlack) {}

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.serve(req, res).catch((e: unknown) => reply(res, 500, { ok: false, error: `fake_failed: ${String(e)}` }));
    });
    server.on("upgrade", (req, socket, head) => {
      const ticket = new URL(req.url ?? "/", this.url).searchParams.get("ticket") ?? "";
      // A ticket is good for one connection, as Slack's are.
      if (!this.tickets.delete(ticket)) {
        socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.connect(ws, ticket));
    });
    this.server = server.listen(0, "127.0.0.1");
    await once(server, "listening");
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.apiUrl = `${this.url}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.server?.closeAllConnections();
    await (this.server && promisify(this.server.close.bind(this.server))());
    this.server = undefined;
  }

  /** `conversations.open` with `user` answers `dm`. */
  addDm(user: string, dm: string): this {
    this.dms.set(user, dm);
    return this;
  }

  /** Resolves once the app holds `count` connections in all (1: the first one is up). */
  connected(count = 1): Promise<void> {
    if (this.connections.length >= count && this.socket) return Promise.resolve();
    return new Promise((resolve) =>
      this.connectWaiters.push(() => {
        if (this.connections.length < count) return false;
        resolve();
        return true;
      }),
    );
  }

  /**
   * Sends one envelope on the open connection; resolves with the app's ack, and fails as Slack
   * would give up on it (and retry) if none comes within 3 s. `retryAttempt` marks a redelivery.
   */
  send(type: EnvelopeType, payload: Record<string, unknown>, o: { envelopeId?: string; retryAttempt?: number } = {}): Promise<Ack> {
    const ws = this.socket;
    if (!ws) return Promise.reject(new Error("FakeSlackSocket: the app is not connected"));
    const envelopeId = o.envelopeId ?? randomUUID();
    const retry = o.retryAttempt ?? 0;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`FakeSlackSocket: ${type} envelope ${envelopeId} was not acknowledged within ${ACK_WITHIN_MS} ms`));
      }, ACK_WITHIN_MS);
      this.pending.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      ws.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          // Slack takes a response in the ack for commands and interactions, never for events.
          accepts_response_payload: type !== "events_api",
          retry_attempt: retry,
          retry_reason: retry > 0 ? "timeout" : "",
        }),
      );
    });
  }

  /** Slack recycling the connection: the app is asked to open a new one. */
  disconnect(reason: "refresh_requested" | "warning" | "link_disabled" = "refresh_requested"): void {
    this.socket?.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake-applink" } }));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await body(req);
    const method = new URL(req.url ?? "/", this.url).pathname.match(/^\/api\/([\w.]+)$/)?.[1];
    const auth = req.headers.authorization;
    if (method === "apps.connections.open") {
      const params = formOrJson(raw, req.headers["content-type"]);
      this.calls.push({ method, auth, params });
      if (!auth) return reply(res, 200, { ok: false, error: params.token ? "invalid_arguments" : "not_authed" });
      if (!/^Bearer xapp-/.test(auth)) return reply(res, 200, { ok: false, error: "not_allowed_token_type" });
      if (this.refuseAppToken) return reply(res, 200, { ok: false, error: this.refuseAppToken });
      const failure = this.failNextOpens.shift();
      if (failure) return reply(res, 200, { ok: false, error: failure });
      const ticket = randomUUID();
      this.tickets.add(ticket);
      return reply(res, 200, { ok: true, url: `${this.url.replace(/^http/, "ws")}/link/?ticket=${ticket}&app_id=${BOT.appId}` });
    }
    if (method === "conversations.open") {
      const params = formOrJson(raw, req.headers["content-type"]);
      this.calls.push({ method, auth, params });
      if (!auth) return reply(res, 200, { ok: false, error: "not_authed" });
      const dm = this.dms.get(params.users ?? "");
      return reply(res, 200, dm ? { ok: true, channel: { id: dm } } : { ok: false, error: "user_not_found" });
    }
    const forwarded = await fetch(`${this.web.apiUrl}${method ?? ""}`, {
      method: req.method ?? "POST",
      headers: Object.fromEntries(
        (["content-type", "authorization"] as const).flatMap((h) => (req.headers[h] ? [[h, String(req.headers[h])]] : [])),
      ),
      ...(req.method === "GET" || req.method === "HEAD" ? {} : { body: raw }),
    });
    const retryAfter = forwarded.headers.get("retry-after");
    res.writeHead(forwarded.status, {
      "content-type": forwarded.headers.get("content-type") ?? "application/json",
      ...(retryAfter ? { "retry-after": retryAfter } : {}),
    });
    res.end(Buffer.from(await forwarded.arrayBuffer()));
  }

  private connect(ws: WebSocket, ticket: string): void {
    const connection = { ticket, open: true };
    this.connections.push(connection);
    this.socket = ws;
    ws.on("close", () => {
      connection.open = false;
      if (this.socket === ws) this.socket = undefined;
    });
    ws.on("message", (data) => {
      const ack = JSON.parse(String(data)) as Ack;
      const settle = this.pending.get(ack.envelope_id);
      this.pending.delete(ack.envelope_id);
      settle?.(ack);
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.connections.filter((c) => c.open).length,
        debug_info: { host: "fake-applink", approximate_connection_time: 18_060 },
        connection_info: { app_id: BOT.appId },
      }),
    );
    for (const waiter of [...this.connectWaiters]) if (waiter()) this.connectWaiters.splice(this.connectWaiters.indexOf(waiter), 1);
  }
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function formOrJson(raw: string, contentType = ""): Record<string, string> {
  if (raw === "") return {};
  if (contentType.startsWith("application/json")) return JSON.parse(raw) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(raw));
}

function reply(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(payload));
}

export const SIGNING_SECRET = "test-signing-secret";
export const BOT_TOKEN = "xoxb-test";

/** The real Slack app behind the fakes, with both desks, a store and the outbox sender. */
export interface SlackWorld {
  readonly slack: FakeSlack;
  readonly front: FakeSlackSocket;
  readonly app: SlackApp;
  readonly store: Stores;
  readonly outbox: OutboxStore;
  readonly clock: TestClock;
  /** Everything logged through the app's and the sender's logger, each line led by its level (lineLogger). */
  readonly logged: string[];
  /** In HTTP mode, where Slack posts events; null in Socket Mode. */
  readonly endpoint: { readonly url: string; readonly secret: string } | null;
  /** Someone Slack knows, with the app's DM with them (conversations.open answers it). */
  addPerson(p: { readonly user: string; readonly dm: string; readonly name: string; readonly locale?: string }): void;
  /** Runs the outbox sender until nothing is due, moving the clock past backoffs. */
  deliverAll(): Promise<void>;
  close(): Promise<void>;
}

export interface SlackWorldOptions {
  readonly open: () => Promise<TestStore>;
  readonly renderer: Renderer;
  readonly mode: SlackAppOptions["mode"];
  /** Runs before the app starts, e.g. to add a Bolt middleware of the test's own. */
  readonly prepare?: (app: SlackApp) => void;
}

/** For a describe block: opens worlds for its tests and closes each after its test. */
export function slackWorlds(): (o: SlackWorldOptions) => Promise<SlackWorld> {
  let opened: SlackWorld[] = [];
  afterEach(async () => {
    for (const w of opened) await w.close();
    opened = [];
  });
  return async (o) => {
    const world = await openSlackWorld(o);
    opened.push(world);
    return world;
  };
}

/** Starts the fakes and the app; the demo property exists and the owner 王大明 is known. */
export async function openSlackWorld(o: SlackWorldOptions): Promise<SlackWorld> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const slack = await new FakeSlack().start();
    closers.push(() => slack.stop());
    const front = await new FakeSlackSocket(slack).start();
    closers.push(() => front.stop());
    const { store, outbox, close: closeStore } = await o.open();
    closers.push(closeStore);
    await store.createProperty(DEMO_PROPERTY);
    const clock = new TestClock();
    const logged: string[] = [];
    const logger = lineLogger(logged);
    const app = createSlackApp({
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      desk: new OwnerDesk({ store, clock, ids: sequentialIds(), logger }),
      staffDesk: new StaffDesk({ store, clock, timeZone: "Asia/Shanghai", staffLocale: "zh-CN" }),
      store,
      outbox,
      clock,
      renderer: o.renderer,
      logger,
      mode: o.mode,
      clientOptions: { slackApiUrl: front.apiUrl, retryConfig: { retries: 0 } },
    });
    o.prepare?.(app);
    const { port } = await app.start();
    closers.push(() => app.stop());
    const sender = createOutboxSender({
      outbox,
      store,
      transports: [slackTransport(slackSenderClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl }, logger))],
      render: outboxRenderer({ store, renderer: o.renderer, staffLocale: "zh-CN" }),
      clock,
      sleep: async (ms) => clock.advance(ms),
      logger,
    });
    const world: SlackWorld = {
      slack,
      front,
      app,
      store,
      outbox,
      clock,
      logged,
      endpoint: port === undefined ? null : { url: `http://127.0.0.1:${port}/slack/events`, secret: SIGNING_SECRET },
      addPerson(p) {
        slack.addUser({ id: p.user, name: p.name, locale: p.locale ?? "zh-CN", dm: p.dm });
        front.addDm(p.user, p.dm);
      },
      async deliverAll() {
        for (let round = 0; round < 20; round++) {
          await sender.drainOnce();
          if ((await outbox.due(new Date("3000-01-01T00:00:00Z"), 1)).length === 0) return;
          clock.advance(1_000);
        }
        throw new Error("the outbox was not empty after 20 rounds");
      },
      close,
    };
    world.addPerson({ user: OWNER.user, dm: OWNER.channel, name: "王大明" });
    return world;
  } catch (error) {
    await close();
    throw error;
  }
}
