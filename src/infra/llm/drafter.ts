/**
 * `/draft` through an OpenAI-compatible service (issue 15, item 3): the ticket's facts in, one
 * suggested reply out, in the owner's language. A staff member is waiting in a chat, not an owner
 * mid-turn, so the budget is longer than the owner's; past it, or on any failure, the desk gives
 * the template (src/core/draft/). Names and phones are masked unless sending them is allowed.
 */
import OpenAI from "openai";
import type { DraftFacts, DraftResult, ReplyDrafter } from "../../core/draft/port.js";
import type { Logger } from "../../core/logger.js";
import { estimateTokens, type ChatSettings } from "./client.js";
import { maskPii, unmasked } from "./pii.js";

export interface DrafterSettings extends ChatSettings {
  readonly budgetMs: number;
  readonly sendPii: boolean;
}

/** Room for a short paragraph in either language; a longer answer is cut, not refused. */
const MAX_DRAFT_CHARS = 800;

const LANGUAGE: Record<DraftFacts["ownerLocale"], string> = { "zh-CN": "Simplified Chinese", en: "English" };

export function draftPrompt(f: DraftFacts): { system: string; user: string } {
  const system = [
    "You draft one reply from the service desk of a Chinese residential property-management company (物业) to an owner (业主).",
    `Write it in ${LANGUAGE[f.ownerLocale]}, 2 to 4 sentences, polite and plain, as a good front desk would.`,
    "Say what is being done or was done about the matter (the process and the result) and when the owner will hear next, if that is known.",
    "Use only the facts given; never invent a time, a name, a price or a promise. If the staff member's gist is given, the reply must say it.",
    "Placeholders such as ⟨P1⟩ or ⟨N1⟩ stand for a phone or a name: copy them as they are.",
    "Answer with the reply text only: no quotes, no preface, no signature.",
  ].join("\n");
  const user = JSON.stringify({
    ticket: f.number,
    kind: f.kind,
    category: f.category,
    status: f.status,
    ownerWords: f.description,
    nextReplyPromisedBy: f.nextReplyDueAt,
    alreadyTold: f.told,
    staffGist: f.gist || null,
  });
  return { system, user };
}

export function replyDrafter(settings: DrafterSettings, logger: Logger): ReplyDrafter {
  const client = new OpenAI({ apiKey: settings.apiKey, baseURL: settings.baseUrl ?? undefined, maxRetries: 0 });
  return {
    async draft(facts): Promise<DraftResult> {
      const { system, user } = draftPrompt(facts);
      const prepared = settings.sendPii ? unmasked(user) : maskPii(user);
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), settings.budgetMs);
      try {
        const completion = await client.chat.completions.create(
          { model: settings.model, temperature: 0.3, messages: [{ role: "system", content: system }, { role: "user", content: prepared.text }] },
          { signal: abort.signal },
        );
        const content = completion.choices[0]?.message?.content ?? "";
        logger.debug("llm draft", { tokens: completion.usage?.total_tokens ?? estimateTokens(system, prepared.text, content) });
        const text = prepared.restore(clean(content));
        return text ? { ok: true, text: text.slice(0, MAX_DRAFT_CHARS) } : { ok: false, reason: "invalid" };
      } catch (error) {
        if (abort.signal.aborted) return { ok: false, reason: "timeout" };
        logger.warn("llm draft failed; the template is given", { detail: error instanceof OpenAI.APIError ? `${error.status ?? "network"} ${error.name}` : String(error) });
        return { ok: false, reason: "unavailable" };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Some models wrap the answer in a fence or quotes, or put a think block before it. */
function clean(content: string): string {
  return content
    .replace(/<think>[\s\S]*?<\/think>/g, "")
    .replace(/^\s*```\w*\s*([\s\S]*?)\s*```\s*$/, "$1")
    .trim()
    .replace(/^["“「]([\s\S]*)["”」]$/, "$1")
    .trim();
}
