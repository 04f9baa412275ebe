/**
 * One call to an OpenAI-compatible chat-completions service through the `openai` package (issue
 * 15, item 3): OpenAI itself, DeepSeek, Qwen, a local vLLM or Ollama. Structured output
 * (`json_schema`) first; a service that refuses it (HTTP 400) is asked again in JSON mode, and
 * from then on only in JSON mode. Either way the answer is validated by zod.
 */
import OpenAI from "openai";
import type { OwnerTextReading } from "../../core/classify/owner-text.js";
import { readingJsonSchema, ReadingSchema, systemPrompt, toReading } from "./reading.js";
import { DEFAULT_LOCALE, type Locale } from "../../core/text.js";

export interface ChatSettings {
  readonly apiKey: string;
  /** null: the package's default (api.openai.com). */
  readonly baseUrl: string | null;
  readonly model: string;
  /** The staff's language, for the card's summary line; DEFAULT_LOCALE if not given. */
  readonly staffLocale?: Locale;
}

export type CallResult =
  | { readonly ok: true; readonly reading: OwnerTextReading; readonly tokens: number }
  | { readonly ok: false; readonly reason: "unavailable" | "invalid" | "aborted"; readonly tokens: number; readonly detail: string };

export type ResponseMode = "json_schema" | "json_object";

/** The text sent and how to put its placeholders back (./pii.ts). */
export interface Prepared {
  readonly text: string;
  restore(value: string): string;
}

export interface ChatReader {
  read(prepared: Prepared, signal: AbortSignal): Promise<CallResult>;
  /** Which response format the service is asked for now. */
  readonly mode: ResponseMode;
}

/** When a service reports no usage, about one token per two characters (Chinese is denser). */
export function estimateTokens(...texts: string[]): number {
  return Math.ceil(texts.reduce((n, s) => n + s.length, 0) / 2);
}

export function chatReader(settings: ChatSettings): ChatReader {
  // Retries and timeouts are the guard's (./guard.ts): a retry inside the budget would only delay the owner.
  const client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl ?? undefined, maxRetries: 0 });
  let mode: ResponseMode = "json_schema";
  const SYSTEM_PROMPT = systemPrompt(settings.staffLocale ?? DEFAULT_LOCALE);

  async function call(prepared: Prepared, signal: AbortSignal, asMode: ResponseMode): Promise<CallResult> {
    const response_format =
      asMode === "json_schema"
        ? ({ type: "json_schema", json_schema: { name: "owner_message", strict: true, schema: readingJsonSchema() } } as const)
        : ({ type: "json_object" } as const);
    const completion = await client.chat.completions.create(
      {
        model: settings.model,
        temperature: 0,
        messages: [
          { role: "system", content: SYSTEM_PROMPT },
          { role: "user", content: prepared.text },
        ],
        response_format,
      },
      { signal },
    );
    const content = completion.choices[0]?.message?.content ?? "";
    const tokens = completion.usage?.total_tokens ?? estimateTokens(SYSTEM_PROMPT, prepared.text, content);
    let json: unknown;
    try {
      json = JSON.parse(stripFence(content));
    } catch {
      return { ok: false, reason: "invalid", tokens, detail: "not JSON" };
    }
    const parsed = ReadingSchema.safeParse(json);
    if (!parsed.success) return { ok: false, reason: "invalid", tokens, detail: parsed.error.issues.map((i) => i.path.join(".")).join(", ") };
    return { ok: true, reading: toReading(parsed.data, prepared.restore), tokens };
  }

  return {
    get mode() {
      return mode;
    },
    async read(prepared, signal) {
      try {
        return await call(prepared, signal, mode);
      } catch (error) {
        if (mode === "json_schema" && error instanceof OpenAI.BadRequestError && !signal.aborted) {
          mode = "json_object";
          try {
            return await call(prepared, signal, mode);
          } catch (again) {
            return failure(again, signal);
          }
        }
        return failure(error, signal);
      }
    },
  };
}

function failure(error: unknown, signal: AbortSignal): CallResult {
  if (signal.aborted || error instanceof OpenAI.APIUserAbortError) return { ok: false, reason: "aborted", tokens: 0, detail: "aborted" };
  const detail = error instanceof OpenAI.APIError ? `${error.status ?? "network"} ${error.name}` : String(error);
  return { ok: false, reason: "unavailable", tokens: 0, detail };
}

/** JSON mode on some local models still wraps the object in a Markdown fence. */
function stripFence(content: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(content);
  return m ? m[1]! : content;
}
