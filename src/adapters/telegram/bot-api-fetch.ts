/**
 * The Bot API's HTTP for grammY (its `client.fetch` option): one request on Node's own http or
 * https, through the keep-alive agent grammY passes in, the answer read whole and parsed as JSON.
 *
 * Why not grammY's default, node-fetch: every call built a WHATWG Request, Headers, a body stream
 * and an abort-controller shim's events around the same http.request, and in the Telegram bench
 * (issue 16 item 2) that wrapping was about a sixth of the bot's main-thread CPU a message.
 * grammY uses little of fetch: POST, a JSON string or a multipart stream (an upload), headers, an
 * AbortSignal (its timeout, the runner's stop) and `json()` of the answer. That is all this does;
 * redirects are not followed (the Bot API sends none).
 */
import type { ApiClientOptions } from "grammy";
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import { takeSendWatch } from "./send-watch.js";

/** The abort signal grammY hands over: the abort-controller package's or Node's own. */
interface Signal {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export interface BotApiInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Readable;
  readonly signal?: Signal | null;
  /** grammY's keep-alive agent for the API root (its baseFetchConfig). */
  readonly agent?: http.Agent;
}

/** What grammY reads of an answer. */
export interface BotApiResponse {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
}

/** As fetch names an aborted request, so callers that tell aborts apart still can. */
export class AbortError extends Error {
  override readonly name = "AbortError";
  readonly type = "aborted";
}

const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

/**
 * A watched send unanswered this long is told failed: the journal then no longer counts it
 * delivered should the process die (src/core/desk/journal.ts). Telegram answers in well under a
 * second; a request hanging longer may be stuck on a dead connection rather than with Telegram,
 * and a restart then sends it again rather than never.
 */
export const IN_FLIGHT_TRUST_MS = 5_000;

export function botApiFetch(url: string | URL, init: BotApiInit = {}, inFlightTrustMs = IN_FLIGHT_TRUST_MS): Promise<BotApiResponse> {
  // First, while grammY's call is still on the stack (send-watch.ts).
  const watch = takeSendWatch();
  return new Promise((resolve, reject) => {
    const target = typeof url === "string" ? new URL(url) : url;
    const secure = target.protocol === "https:";
    if (!secure && target.protocol !== "http:") return reject(new TypeError(`bot API fetch: only http and https, not ${target.protocol}`));
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return reject(new AbortError("the request was aborted"));
    const body = init.body;
    const headers: Record<string, string | number> = { ...init.headers };
    if (typeof body === "string") headers["content-length"] = Buffer.byteLength(body);
    const request = (secure ? https : http).request(target, {
      method: init.method ?? "GET",
      headers,
      agent: init.agent ?? agents[secure ? "https:" : "http:"],
    });
    let settled = false;
    let doubt: NodeJS.Timeout | undefined;
    /** True for the first outcome only: an answer, a failure or an abort, whichever comes first. */
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(doubt);
      signal?.removeEventListener("abort", onAbort);
      return true;
    };
    const fail = (e: unknown) => {
      if (!settle()) return;
      watch?.failed();
      reject(e);
    };
    const onAbort = () => {
      const e = new AbortError("the request was aborted");
      request.destroy(e);
      fail(e);
    };
    signal?.addEventListener("abort", onAbort);
    request.on("error", fail);
    request.on("response", (response) => {
      const encoding = String(response.headers["content-encoding"] ?? "").toLowerCase();
      const decoded: Readable =
        encoding === "gzip" ? response.pipe(zlib.createGunzip()) : encoding === "deflate" ? response.pipe(zlib.createInflate()) : encoding === "br" ? response.pipe(zlib.createBrotliDecompress()) : response;
      const chunks: Buffer[] = [];
      decoded.on("data", (chunk: Buffer) => chunks.push(chunk));
      decoded.on("error", fail);
      response.on("error", fail);
      // Node reports a connection cut mid-answer as an error on most paths; this covers the rest.
      response.on("close", () => {
        if (!response.complete) fail(new Error("the connection closed before the Bot API's answer was complete"));
      });
      decoded.on("end", () => {
        if (!settle()) return;
        const text = Buffer.concat(chunks).toString("utf8");
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        // Telegram answers a refusal (400, 403, 429, 5xx) with its status: the message was not posted.
        if (!ok) watch?.failed();
        resolve({ ok, status, json: async () => JSON.parse(text) as unknown });
      });
    });
    if (watch) {
      // 'socket' comes just before the request is written to it: a kept-alive connection takes
      // the bytes at once. A new one holds them until it is connected ('secureConnect' on https,
      // once the handshake is done), and this listener, added before Node's own, runs first.
      const writing = () => {
        watch.writing();
        doubt = setTimeout(() => watch.failed(), inFlightTrustMs).unref();
      };
      request.once("socket", (socket) => {
        if (!socket.connecting) return writing();
        socket.once(secure ? "secureConnect" : "connect", writing);
      });
    }
    if (body === undefined) request.end();
    else if (typeof body === "string") request.end(body);
    else {
      body.on("error", (e) => request.destroy(e));
      body.pipe(request);
    }
  });
}

/**
 * grammY's client options for every Bot API client of ours (the bot, the outbox sender's, the
 * start-up probe): `apiRoot` when not Telegram's own, and this fetch. grammY types its option as
 * node-fetch's function; ours takes and returns the part of it grammY uses.
 */
export function botApiClient(apiRoot: string | undefined, more: Omit<ApiClientOptions, "apiRoot" | "fetch"> = {}, inFlightTrustMs = IN_FLIGHT_TRUST_MS): ApiClientOptions {
  const fetch = inFlightTrustMs === IN_FLIGHT_TRUST_MS ? botApiFetch : (url: string | URL, init?: BotApiInit) => botApiFetch(url, init, inFlightTrustMs);
  return { ...more, ...(apiRoot ? { apiRoot } : {}), fetch: fetch as unknown as NonNullable<ApiClientOptions["fetch"]> };
}
