/**
 * A fake OpenAI-compatible chat-completions service on 127.0.0.1 (issue 15, item 5): it answers
 * what the test scripts, records what it was sent, and can be slow, refuse (429, 500), refuse
 * structured output (400, as a JSON-mode-only service does), or answer badly (not JSON, the
 * wrong schema). No network beyond this machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Behaviour =
  | { readonly type: "answer"; readonly content: string; readonly delayMs?: number; readonly tokens?: number }
  | { readonly type: "status"; readonly status: number; readonly message?: string }
  /** Never answers (until the client gives up or the server closes). */
  | { readonly type: "hang" };

export interface SentRequest {
  readonly body: {
    readonly model: string;
    readonly messages: readonly { role: string; content: string }[];
    readonly response_format?: { type: string };
  };
  readonly authorization: string | undefined;
}

export interface FakeOpenAi {
  /** Base URL for OPENAI_BASE_URL, ending in /v1. */
  readonly baseUrl: string;
  readonly requests: SentRequest[];
  /** What the next requests get; the last one given repeats. */
  respond(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

export const answer = (json: unknown, extra: { delayMs?: number; tokens?: number } = {}): Behaviour => ({
  type: "answer",
  content: typeof json === "string" ? json : JSON.stringify(json),
  ...extra,
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function completion(content: string, tokens: number) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 0,
    model: "fake",
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
    usage: { prompt_tokens: tokens - 20, completion_tokens: 20, total_tokens: tokens },
  };
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  let queue: Behaviour[] = [{ type: "status", status: 500 }];
  const requests: SentRequest[] = [];
  const open = new Set<ServerResponse>();
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) return send(res, 404, { error: { message: "not found" } });
    const body = JSON.parse(raw) as SentRequest["body"];
    requests.push({ body, authorization: req.headers.authorization });
    const b = queue.length > 1 ? queue.shift()! : queue[0]!;
    open.add(res);
    res.on("close", () => open.delete(res));
    switch (b.type) {
      case "hang":
        return;
      case "status":
        return send(res, b.status, { error: { message: b.message ?? `fake ${b.status}`, type: "fake_error" } });
      case "answer":
        if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
        if (!res.destroyed) send(res, 200, completion(b.content, b.tokens ?? 120));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    respond(...behaviours) {
      queue = behaviours;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
