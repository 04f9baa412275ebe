/**
 * The playground's HTTP server: the page, its state, a live channel (Server-Sent Events) and the
 * few actions a person takes in it. Bound to 127.0.0.1 only, and it answers only requests
 * addressed to that name (a page elsewhere cannot reach it through DNS rebinding) and only JSON
 * or image bodies (a form on another site cannot post here without the browser asking first).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { z } from "zod";
import type { Logger } from "../../core/logger.js";
import type { Clock } from "../../core/time/clock.js";
import { LOCALES, type Locale } from "../../core/text.js";
import { PAGE_FILES, pageFile, type PagePath } from "./assets.js";
import { GROUPS, STAFF } from "./cast.js";
import type { ChatLog } from "./chat-log.js";
import type { FileShelf } from "./files.js";
import type { GuideStep } from "./guide.js";
import { ClockRequest, EditRequest, LocaleRequest, MAX_JSON_BYTES, MAX_PHOTO_BYTES, OwnerRequest, PHOTO_TYPES, PhotoQuery, PressRequest, SendRequest } from "./requests.js";
import type { ActionResult, Room } from "./room.js";

export interface ServerDeps {
  readonly room: Room;
  readonly log: ChatLog;
  readonly files: FileShelf;
  readonly clock: Clock;
  readonly timeZone: string;
  staffLocale(): Locale;
  guide(): Promise<{ ticket: string | null; done: GuideStep[] }>;
  /** The page's own texts (locales/<locale>.playground.json). */
  texts(locale: Locale): Record<string, string>;
  readonly logger: Logger;
}

export interface PlaygroundServer {
  readonly url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function startServer(deps: ServerDeps, port: number): Promise<PlaygroundServer> {
  const streams = new Set<ServerResponse>();
  const unsubscribe = deps.log.subscribe((e) => {
    for (const res of streams) res.write(`data: ${JSON.stringify(e)}\n\n`);
  });
  let bound = port;
  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) deps.logger.error("playground: request failed", e);
      if (!res.headersSent) json(res, status, { error: e instanceof HttpError ? e.message : "internal error" });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const host = req.headers.host ?? "";
    if (host !== `127.0.0.1:${bound}` && host !== `localhost:${bound}`) throw new HttpError(421, "the playground answers only at 127.0.0.1");
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) throw new HttpError(403, "not from the playground's page");
    const path = url.pathname;
    if (req.method === "GET") {
      if (path in PAGE_FILES) {
        const { body, type } = pageFile(path as PagePath);
        res.writeHead(200, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
        return void res.end(body);
      }
      if (path === "/api/state") return json(res, 200, await state());
      if (path === "/api/texts") {
        const locale = (LOCALES as readonly string[]).includes(url.searchParams.get("locale") ?? "") ? (url.searchParams.get("locale") as Locale) : deps.staffLocale();
        return json(res, 200, deps.texts(locale));
      }
      if (path === "/api/events") return events(req, res);
      const file = /^\/files\/([0-9a-f-]{36})$/.exec(path);
      const stored = file ? deps.files.get(file[1]!) : undefined;
      if (stored) {
        const download = !stored.mediaType.startsWith("image/");
        res.writeHead(200, {
          "content-type": stored.mediaType,
          "x-content-type-options": "nosniff",
          ...(download ? { "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(stored.name)}` } : {}),
        });
        return void res.end(stored.bytes);
      }
      throw new HttpError(404, "not found");
    }
    if (req.method !== "POST") throw new HttpError(405, "method not allowed");
    if (path === "/api/photo") return photo(req, res, url);
    const body = async <S extends z.ZodType>(schema: S): Promise<z.infer<S>> => {
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) throw new HttpError(415, "send JSON");
      const text = (await read(req, MAX_JSON_BYTES)).toString("utf8");
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new HttpError(400, "the body is not JSON");
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      return parsed.data;
    };
    switch (path) {
      case "/api/send": {
        const b = await body(SendRequest);
        return result(res, await deps.room.send(b.chatId, b.fromId, b.text, b.replyTo));
      }
      case "/api/edit": {
        const b = await body(EditRequest);
        return result(res, await deps.room.edit(b.chatId, b.fromId, b.messageId, b.text));
      }
      case "/api/press": {
        const b = await body(PressRequest);
        return result(res, await deps.room.press(b.chatId, b.fromId, b.messageId, b.value));
      }
      case "/api/owners": {
        const b = await body(OwnerRequest);
        const owner = deps.room.addOwner(b.name, b.locale);
        return owner ? json(res, 200, owner) : json(res, 400, { error: "too many owners" });
      }
      case "/api/locale": {
        const b = await body(LocaleRequest);
        return result(res, await deps.room.setStaffLocale(b.locale));
      }
      case "/api/clock": {
        const b = await body(ClockRequest);
        return result(res, await deps.room.advance(b.step));
      }
    }
    throw new HttpError(404, "not found");
  }

  async function photo(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
    if (!(PHOTO_TYPES as readonly string[]).includes(type)) throw new HttpError(415, `send one of ${PHOTO_TYPES.join(", ")}`);
    const q = PhotoQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!q.success) throw new HttpError(400, q.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const bytes = await read(req, MAX_PHOTO_BYTES);
    return result(res, await deps.room.photo(q.data.chatId, q.data.fromId, new Uint8Array(bytes), type, q.data.caption));
  }

  async function state() {
    return {
      now: deps.clock.now().toISOString(),
      timeZone: deps.timeZone,
      staffLocale: deps.staffLocale(),
      staff: STAFF,
      groups: GROUPS,
      owners: deps.room.ownerList(),
      messages: deps.log.all(),
      guide: await deps.guide(),
    };
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    res.write(": connected\n\n");
    streams.add(res);
    req.on("close", () => streams.delete(res));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    async close() {
      unsubscribe();
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function result(res: ServerResponse, r: ActionResult): void {
  json(res, r.ok ? 200 : 400, r);
}

function read(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new HttpError(413, `at most ${max} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
