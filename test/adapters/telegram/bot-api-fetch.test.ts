/**
 * The Bot API's HTTP under grammY (bot-api-fetch.ts) against a plain local server: what it sends,
 * how it reads answers (JSON, an error status, gzip), and that an abort ends the request at once.
 * grammY over it against the fake Bot API is every other test in this folder.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { Api, HttpError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AbortError, botApiClient, botApiFetch } from "../../../src/adapters/telegram/bot-api-fetch.js";
import { watchedSend, watchedSends } from "../../../src/adapters/telegram/send-watch.js";
import type { SendWatch } from "../../../src/core/desk/journal.js";

describe("the Bot API fetch", () => {
  let server: Server;
  let root: string;
  let handle: (req: IncomingMessage, body: string, res: ServerResponse) => void;
  const closed: string[] = [];
  beforeEach(async () => {
    closed.length = 0;
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => handle(req, body, res));
      req.socket.on("close", () => closed.push(req.url ?? ""));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("posts the JSON grammY gives it and parses the answer, through grammY's Api", async () => {
    const seen: { url: string; type: string; length: string; body: string }[] = [];
    handle = (req, body, res) => {
      seen.push({ url: req.url!, type: String(req.headers["content-type"]), length: String(req.headers["content-length"]), body });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, result: { message_id: 7, date: 0, chat: { id: 1, type: "private", first_name: "业主" }, text: "收到" } }));
    };
    const api = new Api("123:abc", botApiClient(root));
    const sent = await api.sendMessage(1, "您好,房号是多少?");
    expect(sent.message_id).toBe(7);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe("/bot123:abc/sendMessage");
    expect(seen[0]!.type).toBe("application/json");
    // In bytes, not characters: the Chinese text is three bytes a character.
    expect(Number(seen[0]!.length)).toBe(Buffer.byteLength(seen[0]!.body));
    expect(JSON.parse(seen[0]!.body)).toEqual({ chat_id: 1, text: "您好,房号是多少?" });
  });

  it("hands an error status on as the Bot API's answer, which grammY turns into its error", async () => {
    handle = (_req, _body, res) => {
      res.statusCode = 400;
      res.end(JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: chat not found" }));
    };
    const answer = await botApiFetch(`${root}/bot1:x/sendMessage`, { method: "POST", body: "{}" });
    expect(answer.ok).toBe(false);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ description: "Bad Request: chat not found" });
    await expect(new Api("1:x", botApiClient(root)).sendMessage(1, "x")).rejects.toMatchObject({ error_code: 400 });
  });

  it("reads a gzip answer (a proxy may compress what Telegram did not)", async () => {
    handle = (_req, _body, res) => {
      res.setHeader("content-encoding", "gzip");
      res.end(gzipSync(JSON.stringify({ ok: true, result: "压缩" })));
    };
    expect(await (await botApiFetch(`${root}/x`, { method: "POST", body: "{}" })).json()).toEqual({ ok: true, result: "压缩" });
  });

  it("a connection cut in the middle of an answer fails the call instead of leaving it hanging", async () => {
    handle = (_req, _body, res) => {
      res.setHeader("content-length", "1000");
      res.write('{"ok":true,"result":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    await expect(botApiFetch(`${root}/x`, { method: "POST", body: "{}" })).rejects.toThrow();
  });

  it("an abort (grammY's timeout, the runner's stop) ends the request at once with an AbortError", async () => {
    handle = () => {}; // never answers, like a long poll with nothing to say
    const controller = new AbortController();
    const asked = botApiFetch(`${root}/getUpdates`, { method: "POST", body: "{}", signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await expect(asked).rejects.toBeInstanceOf(AbortError);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toContain("/getUpdates");
    // Aborted before it started: nothing is sent.
    await expect(botApiFetch(`${root}/never`, { method: "POST", body: "{}", signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(closed).not.toContain("/never");
  });

  it("tells a watched send's journal the moment its request is written, before any answer, and when it fails", async () => {
    const events: string[] = [];
    const watch = (name: string): SendWatch => ({ writing: () => events.push(`${name} writing`), failed: () => events.push(`${name} failed`) });
    let answer: (() => void) | null = null;
    let arrived: () => void = () => {};
    const bodies: string[] = [];
    handle = (_req, body, res) => {
      bodies.push(body);
      // What the journal had been told by the time Telegram had the request.
      events.push("received");
      answer = () => {
        res.statusCode = JSON.parse(body).text === "拒绝" ? 429 : 200;
        res.end(JSON.stringify(res.statusCode === 200 ? { ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: "private", first_name: "业主" }, text: "x" } } : { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } }));
      };
      arrived();
    };
    const api = new Api("1:x", botApiClient(root));
    api.config.use(watchedSends());
    const send = async (name: string, text: string) => {
      const got = new Promise<void>((r) => (arrived = r));
      const sent = watchedSend(1, text, watch(name), () => api.sendMessage(1, text));
      await got;
      const seen = [...events];
      answer!();
      await sent.catch(() => undefined);
      return seen;
    };
    // A new connection: noted once the request is written out, still before it is answered.
    expect(await send("first", "您好")).toEqual(["first writing", "received"]);
    events.length = 0;
    // The kept-alive connection: noted as the request goes onto it.
    expect(await send("second", "房号?")).toEqual(["second writing", "received"]);
    events.length = 0;
    expect(await send("refused", "拒绝")).toEqual(["refused writing", "received"]);
    expect(events).toEqual(["refused writing", "received", "refused failed"]);
    // The request is grammY's own, and an unwatched call tells nobody anything.
    expect(JSON.parse(bodies[1]!)).toEqual({ chat_id: 1, text: "房号?" });
    events.length = 0;
    const plain = new Promise<void>((r) => (arrived = r));
    const unwatched = api.sendMessage(1, "无人看");
    await plain;
    answer!();
    await unwatched;
    expect(events).toEqual(["received"]);
    // A port nobody listens on (and no kept-alive connection to it): never written, and failed.
    const vacant = createServer();
    await new Promise<void>((r) => vacant.listen(0, "127.0.0.1", r));
    const nobody = `http://127.0.0.1:${(vacant.address() as AddressInfo).port}`;
    await new Promise((r) => vacant.close(r));
    events.length = 0;
    const gone = new Api("1:x", botApiClient(nobody));
    gone.config.use(watchedSends());
    await expect(watchedSend(1, "x", watch("gone"), () => gone.sendMessage(1, "x"))).rejects.toBeInstanceOf(HttpError);
    expect(events).toEqual(["gone failed"]);
  });

  it("a watched send unanswered past the trust window is told failed, so a restart sends it again rather than never", async () => {
    const events: string[] = [];
    let answer: (() => void) | null = null;
    handle = (_req, _body, res) => {
      answer = () => res.end(JSON.stringify({ ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: "private", first_name: "业主" }, text: "x" } }));
    };
    const api = new Api("1:x", botApiClient(root, {}, 50));
    api.config.use(watchedSends());
    const sent = watchedSend(1, "卡住了", { writing: () => events.push("writing"), failed: () => events.push("failed") }, () => api.sendMessage(1, "卡住了"));
    await new Promise((r) => setTimeout(r, 150));
    expect(events).toEqual(["writing", "failed"]);
    answer!();
    await sent;
    expect(events).toEqual(["writing", "failed"]);
  });

  it("grammY's own timeout goes through the same abort, and a refused connection is grammY's HttpError", async () => {
    handle = () => {};
    await expect(new Api("1:x", botApiClient(root, { timeoutSeconds: 0.2 })).getMe()).rejects.toBeInstanceOf(HttpError);
    const nobody = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await expect(new Api("1:x", botApiClient(nobody)).getMe()).rejects.toBeInstanceOf(HttpError);
    server.listen(0, "127.0.0.1"); // for afterEach
  });
});
