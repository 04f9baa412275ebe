/**
 * The HTTP half of the fake Telegram Bot API (see telegram-bot-api.ts for the user half):
 * real long polling, Telegram's error format, fault injection and a log of every call.
 * Only the methods the adapters use exist; any other answers 404 so a gap fails loudly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Chat, File, InlineKeyboardMarkup, Message, Update, UserFromGetMe } from "grammy/types";

export type Params = Record<string, unknown>;

export interface ApiCall {
  /** Position in `calls`, to wait for what comes after it. */
  readonly index: number;
  readonly method: string;
  readonly params: Params;
  /** The error code when the call was answered with an error. */
  readonly error?: number;
  readonly result?: unknown;
  /** When it was answered (Date.now()). */
  readonly at: number;
  /** When its request began to arrive (Date.now()). */
  readonly receivedAt?: number;
}

/** A call whose answer the fake holds back (`holdNext`). */
export interface HeldCall {
  readonly call: ApiCall;
  /** Sends the answer, to a connection that may be gone by then. */
  release(): void;
}

/** A file part of a multipart request. */
export interface Upload {
  readonly filename: string;
  readonly bytes: Buffer;
}

export interface Fault {
  readonly error_code: number;
  readonly description?: string;
  readonly retry_after?: number;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);
const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

type Method = (p: Params, res: ServerResponse) => unknown;
interface Waiter {
  readonly pred: (c: ApiCall) => boolean;
  resolve(c: ApiCall): void;
  reject(e: Error): void;
}

export class FakeBotApiServer {
  readonly botInfo: UserFromGetMe;
  readonly calls: ApiCall[] = [];
  /** Every message in every chat, the bot's and the users', as it is now (after edits). */
  readonly messages = new Map<string, Message>();
  readonly chats = new Map<number, Chat>();
  readonly files = new Map<string, File>();
  /** Files the bot uploaded (sendDocument), by file_id: the bytes as received, to open them again. */
  readonly uploads = new Map<string, Upload>();
  commands: unknown[] = [];
  /** Every update ever queued, in order, for `redeliver`. */
  readonly updates: Update[] = [];
  /** The update types the bot last asked for (`allowed_updates`); undefined: every type. */
  allowedUpdates: string[] | undefined;
  protected readonly openQueries = new Set<string>();
  /** Chats the bot was removed from, with the 403 a send there gets. */
  protected readonly removedFrom = new Map<number, string>();

  private server: Server | undefined;
  private stopped = false;
  private queue: Update[] = [];
  /** Set by setWebhook: updates are then POSTed to it instead of waiting for getUpdates. */
  private webhook: { url: string; secret: string | undefined } | null = null;
  /** Each webhook delivery: the update and the HTTP status the bot answered. */
  readonly webhookDeliveries: { updateId: number; status: number }[] = [];
  /** The POST of the latest update delivered to the webhook, settled with its HTTP status. */
  lastDelivery: Promise<number> = Promise.resolve(0);
  private nextUpdateId = 1;
  private readonly lastMessageId = new Map<number, number>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly callWaiters = new Set<Waiter>();
  private readonly holds = new Set<{ pred: (method: string, params: Params) => boolean; held(h: HeldCall): void }>();
  private readonly polls = new Set<() => void>();
  private readonly pollWatchers = new Set<() => void>();
  /** Telegram lets one getUpdates wait at a time; a second one ends the first with 409. */
  private endActivePoll: (() => void) | undefined;

  constructor(readonly token = "123456:TEST-fake-token", username = "guanjia_test_bot") {
    this.botInfo = {
      id: Number(token.split(":")[0]),
      is_bot: true,
      first_name: "管家",
      username,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
  }

  /** Listens on 127.0.0.1 at a random port; returns the apiRoot for the bot. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.serve(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Ends waiting polls and every connection at once, so teardown never waits on a 30 s poll. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.polls) wake();
    for (const w of this.callWaiters) w.reject(new Error("fake Bot API stopped"));
    this.callWaiters.clear();
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** The next `method` call (or the next few, if called again) fails with this error. */
  failNext(method: string, fault: Fault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  /**
   * The next call that matches is carried out (a message posted, the call logged) but its answer
   * is held back until `release`: a request that reached Telegram while its sender never heard
   * back, as when the bot is killed with it in flight. Resolves once that call is carried out.
   */
  holdNext(pred: (method: string, params: Params) => boolean, timeoutMs = 20_000): Promise<HeldCall> {
    return new Promise((resolve, reject) => {
      const hold = { pred, held: (h: HeldCall) => (clearTimeout(timer), resolve(h)) };
      const timer = setTimeout(() => {
        this.holds.delete(hold);
        reject(new Error(`no matching Bot API call to hold within ${timeoutMs} ms`));
      }, timeoutMs);
      this.holds.add(hold);
    });
  }

  /** The first call from index `since` on that matches; rejects after `timeoutMs` with what did happen. */
  waitForCall(pred: (c: ApiCall) => boolean, opts: { since?: number; timeoutMs?: number } = {}): Promise<ApiCall> {
    const found = this.calls.slice(opts.since ?? 0).find(pred);
    if (found) return Promise.resolve(found);
    if (this.stopped) return Promise.reject(new Error("fake Bot API stopped"));
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.callWaiters.delete(waiter);
        const seen = this.calls.slice(opts.since ?? 0).filter((c) => c.method !== "getUpdates");
        reject(new Error(`no matching Bot API call within ${timeoutMs} ms; saw: ${seen.map(describe).join(", ") || "nothing"}`));
      }, timeoutMs);
      const waiter: Waiter = {
        pred,
        resolve: (c) => (clearTimeout(timer), resolve(c)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.callWaiters.add(waiter);
    });
  }

  /** The documents the bot sent to a chat, oldest first, with the bytes it uploaded. */
  botDocuments(chatId: number): { message: Message; upload: Upload }[] {
    return this.botMessages(chatId).flatMap((message) => {
      const upload = message.document ? this.uploads.get(message.document.file_id) : undefined;
      return upload ? [{ message, upload }] : [];
    });
  }

  /** Resolves once a getUpdates is waiting for updates (at once if one is). */
  waitForPoll(timeoutMs = 5000): Promise<void> {
    if (this.endActivePoll) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pollWatchers.delete(arrived);
        reject(new Error(`no getUpdates waited within ${timeoutMs} ms`));
      }, timeoutMs);
      const arrived = () => (clearTimeout(timer), resolve());
      this.pollWatchers.add(arrived);
    });
  }

  /** The bot's messages in a chat, oldest first, as they are now. */
  botMessages(chatId: number): Message[] {
    return [...this.messages.values()].filter((m) => m.chat.id === chatId && m.from?.id === this.botInfo.id);
  }

  /**
   * Queues an update again, with its update_id, as Telegram does for one the bot never confirmed
   * (it stopped before its next getUpdates). A bot polling past it will not see it; a new one will.
   */
  redeliver(updateId: number): void {
    const update = this.updates.find((u) => u.update_id === updateId);
    if (!update) throw new Error(`no update ${updateId} was ever queued`);
    if (this.queue.some((u) => u.update_id === updateId)) return;
    this.queue.push(structuredClone(update));
    this.queue.sort((a, b) => a.update_id - b.update_id);
    for (const wake of this.polls) wake();
  }

  protected pushUpdate(update: Omit<Update, "update_id">): Update {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    this.updates.push(structuredClone(full));
    if (this.webhook) {
      this.lastDelivery = this.post(full);
      return full;
    }
    this.queue.push(full);
    for (const wake of this.polls) wake();
    return full;
  }

  /** Telegram's webhook delivery: a JSON POST with the secret token header; the answer is kept. */
  private async post(update: Update): Promise<number> {
    const hook = this.webhook!;
    let status = 0;
    try {
      const res = await fetch(hook.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(hook.secret ? { "x-telegram-bot-api-secret-token": hook.secret } : {}) },
        body: JSON.stringify(update),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = -1;
    }
    this.webhookDeliveries.push({ updateId: update.update_id, status });
    return status;
  }

  /** Delivers an update again to the webhook, as Telegram does when the bot did not answer 200. */
  redeliverToWebhook(updateId: number): Promise<number> {
    const update = this.updates.find((u) => u.update_id === updateId);
    if (!update || !this.webhook) throw new Error(`cannot redeliver ${updateId} to a webhook`);
    return this.post(structuredClone(update));
  }

  protected storeMessage(chat: Chat, fields: Omit<Message, "message_id" | "date" | "chat">): Message {
    this.chats.set(chat.id, chat);
    const id = (this.lastMessageId.get(chat.id) ?? 0) + 1;
    this.lastMessageId.set(chat.id, id);
    const message = { message_id: id, date: Math.floor(Date.now() / 1000), chat, ...fields } as Message;
    this.messages.set(key(chat.id, id), message);
    return structuredClone(message);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = new URL(req.url ?? "/", "http://fake");
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    let params: Params = {};
    let method = route?.[2] ?? "";
    try {
      params = { ...Object.fromEntries(url.searchParams), ...(await readBody(req)) };
      if (!route) throw new ApiError(404, "Not Found");
      if (route[1] !== this.token) throw new ApiError(401, "Unauthorized");
      method = this.methodNames.get(method.toLowerCase()) ?? method;
      const handler = this.methods[method];
      if (!handler) throw new ApiError(404, "Not Found");
      const fault = this.faults.get(method)?.shift();
      if (fault) throw new ApiError(fault.error_code, fault.description ?? defaultDescription(fault), fault.retry_after);
      const result = await handler(params, res);
      const call = this.record({ method, params, result, receivedAt });
      const hold = [...this.holds].find((h) => h.pred(method, params));
      if (hold) {
        this.holds.delete(hold);
        await new Promise<void>((release) => hold.held({ call, release }));
      }
      send(res, 200, { ok: true, result });
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, `Internal Server Error: ${String(e)}`);
      this.record({ method, params, error: err.code, receivedAt });
      send(res, err.code, {
        ok: false,
        error_code: err.code,
        description: err.description,
        ...(err.retryAfter !== undefined ? { parameters: { retry_after: err.retryAfter } } : {}),
      });
    }
  }

  private record(c: Omit<ApiCall, "index" | "at">): ApiCall {
    const call = { index: this.calls.length, at: Date.now(), ...c };
    this.calls.push(call);
    for (const w of this.callWaiters) {
      if (w.pred(call)) {
        this.callWaiters.delete(w);
        w.resolve(call);
      }
    }
    return call;
  }

  private readonly methods: Record<string, Method> = {
    getMe: () => this.botInfo,
    deleteWebhook: () => {
      this.webhook = null;
      return true;
    },
    setWebhook: (p) => {
      this.webhook = { url: String(p.url), secret: p.secret_token === undefined ? undefined : String(p.secret_token) };
      return true;
    },
    getUpdates: (p, res) => this.getUpdates(p, res),
    sendMessage: (p) => {
      const chat = this.writableChat(p.chat_id);
      const markup = inlineKeyboard(p.reply_markup);
      const replyTo = this.replyTarget(chat, p.reply_parameters);
      return this.storeMessage(chat, {
        from: this.botInfo,
        text: checkedText(p.text),
        ...(markup ? { reply_markup: markup } : {}),
        ...(replyTo ? { reply_to_message: replyTo } : {}),
      });
    },
    // By file_id only, as the bot re-sends an owner's photo: Telegram keeps the file, the bot never downloads it.
    sendPhoto: (p) => {
      const chat = this.writableChat(p.chat_id);
      const file = this.files.get(String(p.photo ?? ""));
      if (!file) throw badRequest("wrong file identifier/HTTP URL specified");
      const replyTo = this.replyTarget(chat, p.reply_parameters);
      const photo = [{ file_id: file.file_id, file_unique_id: file.file_unique_id, width: 1280, height: 960, ...(file.file_size ? { file_size: file.file_size } : {}) }];
      return this.storeMessage(chat, { from: this.botInfo, photo, ...(replyTo ? { reply_to_message: replyTo } : {}) });
    },
    sendDocument: (p) => {
      const chat = this.writableChat(p.chat_id);
      // Only an upload in the same request (attach://<part>) is implemented; file ids and URLs are not.
      const part = /^attach:\/\/(.+)$/.exec(String(p.document ?? ""))?.[1];
      const upload = part === undefined ? undefined : p[part];
      if (!isUpload(upload)) throw badRequest("there is no document in the request");
      if (upload.bytes.length === 0) throw badRequest("file must be non-empty");
      const caption = p.caption === undefined ? undefined : String(p.caption);
      if (caption !== undefined && caption.length > 1024) throw badRequest("message caption is too long");
      const fileId = `BQACupload${this.uploads.size + 1}`;
      this.uploads.set(fileId, upload);
      const document = { file_id: fileId, file_unique_id: `u${fileId}`, file_name: upload.filename, file_size: upload.bytes.length, mime_type: mediaTypeOf(upload.filename) };
      return this.storeMessage(chat, { from: this.botInfo, document, ...(caption ? { caption } : {}) });
    },
    editMessageText: (p) => this.edit(p, { text: checkedText(p.text), reply_markup: inlineKeyboard(p.reply_markup) }),
    editMessageReplyMarkup: (p) => this.edit(p, { reply_markup: inlineKeyboard(p.reply_markup) }),
    answerCallbackQuery: (p) => {
      if (!this.openQueries.delete(String(p.callback_query_id))) {
        throw badRequest("query is too old and response timeout expired or query ID is invalid");
      }
      return true;
    },
    sendChatAction: (p) => (this.chat(p.chat_id), true),
    setMyCommands: (p) => {
      this.commands = Array.isArray(p.commands) ? p.commands : [];
      return true;
    },
    getFile: (p) => {
      const file = this.files.get(String(p.file_id));
      if (!file) throw badRequest("invalid file_id");
      return file;
    },
  };
  /** Telegram's method names are case-insensitive. */
  private readonly methodNames = new Map(Object.keys(this.methods).map((m) => [m.toLowerCase(), m]));

  private async getUpdates(p: Params, res: ServerResponse): Promise<Update[]> {
    if (this.webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = Number(p.offset ?? 0);
    const limit = Math.min(Math.max(Number(p.limit ?? 100), 1), 100);
    const timeout = Number(p.timeout ?? 0);
    // Telegram remembers the last list given; an empty one means every type again.
    if (p.allowed_updates !== undefined) {
      const allowed = (typeof p.allowed_updates === "string" ? JSON.parse(p.allowed_updates) : p.allowed_updates) as string[];
      this.allowedUpdates = allowed.length > 0 ? allowed : undefined;
    }
    // Updates of types the bot did not ask for are never delivered.
    const allowed = this.allowedUpdates;
    if (allowed) this.queue = this.queue.filter((u) => Object.keys(u).some((k) => k !== "update_id" && allowed.includes(k)));
    // An offset confirms every update before it; Telegram then forgets them.
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    this.endActivePoll?.();
    if (this.queue.length === 0 && timeout > 0 && !this.stopped) {
      let conflict = false;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.polls.delete(done);
          res.off("close", done);
          if (this.endActivePoll === end) this.endActivePoll = undefined;
          resolve();
        };
        const end = () => ((conflict = true), done());
        const timer = setTimeout(done, timeout * 1000);
        this.polls.add(done);
        this.endActivePoll = end;
        res.once("close", done); // the bot aborted the poll (runner stopped)
        for (const watcher of this.pollWatchers) watcher();
        this.pollWatchers.clear();
      });
      if (conflict) {
        throw new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
      }
    }
    return structuredClone(this.queue.slice(0, limit));
  }

  private chat(id: unknown): Chat {
    const chat = this.chats.get(Number(id));
    // A bot cannot write first: the chat exists once the user has written to it.
    if (!chat) throw badRequest("chat not found");
    return chat;
  }

  /** A chat the bot may still post in. */
  private writableChat(id: unknown): Chat {
    const chat = this.chat(id);
    const removed = this.removedFrom.get(chat.id);
    if (removed) throw new ApiError(403, removed);
    return chat;
  }

  /** The message a send replies to; a missing one is an error unless the bot allowed sending without it. */
  protected replyTarget(chat: Chat, raw: unknown): Message["reply_to_message"] {
    if (raw === undefined) return undefined;
    const p = (typeof raw === "string" ? JSON.parse(raw) : raw) as { message_id?: number; allow_sending_without_reply?: boolean };
    const target = this.messages.get(key(chat.id, Number(p.message_id)));
    if (!target && !p.allow_sending_without_reply) throw badRequest("message to be replied not found");
    if (!target) return undefined;
    // Telegram nests only one level: the replied-to message carries no reply of its own.
    const { reply_to_message: _nested, ...flat } = target;
    return structuredClone(flat) as Message["reply_to_message"];
  }

  private edit(p: Params, change: { text?: string; reply_markup: InlineKeyboardMarkup | undefined }): Message {
    if (p.inline_message_id !== undefined) throw badRequest("the fake has no inline messages");
    const chat = this.writableChat(p.chat_id);
    const message = this.messages.get(key(chat.id, Number(p.message_id)));
    if (!message) throw badRequest("message to edit not found");
    if (message.from?.id !== this.botInfo.id) throw badRequest("message can't be edited");
    const text = change.text ?? message.text;
    if (text === message.text && sameMarkup(change.reply_markup, message.reply_markup)) throw badRequest(NOT_MODIFIED);
    const edited = { ...message, text, edit_date: Math.floor(Date.now() / 1000) } as Message;
    if (change.reply_markup) edited.reply_markup = change.reply_markup;
    else delete edited.reply_markup;
    this.messages.set(key(chat.id, message.message_id), edited);
    return structuredClone(edited);
  }
}

function key(chatId: number, messageId: number): string {
  return `${chatId}/${messageId}`;
}

function describe(c: ApiCall): string {
  return c.error ? `${c.method}→${c.error}` : c.method;
}

function defaultDescription(f: Fault): string {
  if (f.error_code === 429) return `Too Many Requests: retry after ${f.retry_after ?? 1}`;
  if (f.error_code >= 500) return "Internal Server Error";
  return "Bad Request";
}

function checkedText(text: unknown): string {
  if (typeof text !== "string" || text.trim() === "") throw badRequest("message text is empty");
  if (text.length > 4096) throw badRequest("message is too long");
  return text;
}

/** Only inline keyboards appear on the sent Message; an empty one means none. */
function inlineKeyboard(markup: unknown): InlineKeyboardMarkup | undefined {
  const m = (typeof markup === "string" ? JSON.parse(markup) : markup) as Partial<InlineKeyboardMarkup> | undefined;
  const rows = m?.inline_keyboard;
  if (!rows || rows.flat().length === 0) return undefined;
  for (const b of rows.flat()) {
    if ("callback_data" in b && Buffer.byteLength(b.callback_data, "utf8") > 64) throw badRequest("BUTTON_DATA_INVALID");
  }
  return { inline_keyboard: rows.map((r) => [...r]) };
}

function sameMarkup(a: InlineKeyboardMarkup | undefined, b: InlineKeyboardMarkup | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** grammY sends JSON, or multipart/form-data when it uploads a file. */
async function readBody(req: IncomingMessage): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (body.length === 0) return {};
  const type = req.headers["content-type"] ?? "";
  if (type.startsWith("application/json")) return JSON.parse(body.toString("utf8")) as Params;
  if (type.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
  const boundary = /^multipart\/form-data;\s*boundary=("?)([^";]+)\1/i.exec(type)?.[2];
  if (boundary) return readMultipart(body, boundary);
  throw badRequest(`the fake does not read ${type.split(";")[0]} bodies`);
}

/**
 * multipart/form-data as grammY writes it, which the WHATWG parser in Node refuses: header names
 * in lower case without a space, the filename unquoted and in raw UTF-8. Fields become text
 * (JSON-valued ones stay strings, as in a urlencoded body); file parts become Uploads.
 */
export function readMultipart(body: Buffer, boundary: string): Params {
  const params: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw badRequest("multipart body without its closing boundary");
    // Each part sits between "\r\n" after one delimiter and "\r\n" before the next.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, split).toString("utf8");
    const content = part.subarray(split + 4);
    const disposition = head.split("\r\n").find((l) => /^content-disposition\s*:/i.test(l)) ?? "";
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /;\s*filename=(?:"([^"]*)"|([^;]*))/i.exec(disposition);
    if (name === undefined) throw badRequest("multipart part without a name");
    params[name] = filename ? ({ filename: (filename[1] ?? filename[2] ?? "").trim(), bytes: Buffer.from(content) } satisfies Upload) : content.toString("utf8");
    at = next;
  }
  return params;
}

function isUpload(v: unknown): v is Upload {
  return typeof v === "object" && v !== null && "bytes" in v && Buffer.isBuffer((v as Upload).bytes);
}

/** What Telegram reports as a document's mime_type, from its name. */
function mediaTypeOf(filename: string): string {
  const ext = filename.slice(filename.lastIndexOf(".") + 1).toLowerCase();
  return { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", csv: "text/csv", pdf: "application/pdf" }[ext] ?? "application/octet-stream";
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
