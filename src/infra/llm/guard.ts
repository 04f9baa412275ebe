/**
 * Keeps the model out of the owner's way (issue 15, item 4): each reading waits at most the
 * budget, then the intake goes on with the keywords; after repeated failures a circuit breaker
 * stops calling for a while (one warning when it opens); tokens are counted per day, with an
 * optional daily cap; names and phone numbers are masked unless sending them is allowed.
 */
import type { OwnerTextModel, OwnerTextResult } from "../../core/classify/owner-text.js";
import type { Logger } from "../../core/logger.js";
import type { Clock } from "../../core/time/clock.js";
import type { Locale } from "../../core/text.js";
import { chatReader, type ChatReader } from "./client.js";
import { maskPii, unmasked } from "./pii.js";

export interface GuardSettings {
  /** How long an owner's turn waits for the model (OPENAI_TIMEOUT_MS). */
  readonly budgetMs: number;
  readonly sendPii: boolean;
  /** Tokens a day (UTC day) before the model is no longer asked; null: no cap. */
  readonly dailyTokenCap: number | null;
  /** Consecutive failures that open the breaker, and how long it stays open. */
  readonly failuresToOpen?: number;
  readonly openMs?: number;
}

const FAILURES_TO_OPEN = 3;
const OPEN_MS = 60_000;

export interface GuardedModel extends OwnerTextModel {
  /** Tokens counted today (for tests and the start-up line). */
  tokensToday(): number;
}

export function guardedModel(reader: ChatReader, settings: GuardSettings, clock: Clock, logger: Logger): GuardedModel {
  const failuresToOpen = settings.failuresToOpen ?? FAILURES_TO_OPEN;
  const openMs = settings.openMs ?? OPEN_MS;
  let failures = 0;
  let openUntil = 0;
  let day = "";
  let tokens = 0;

  const today = () => clock.now().toISOString().slice(0, 10);
  const count = (used: number) => {
    const d = today();
    if (d !== day) {
      if (day && tokens > 0) logger.info("llm tokens used", { day, tokens });
      day = d;
      tokens = 0;
    }
    tokens += used;
  };
  const failed = () => {
    failures += 1;
    if (failures === failuresToOpen) {
      openUntil = clock.now().getTime() + openMs;
      logger.warn(`llm: ${failures} failures in a row; not asked for ${Math.round(openMs / 1000)} s, keywords only`);
    } else if (failures > failuresToOpen) {
      // A trial call after the pause failed: pause again, quietly.
      openUntil = clock.now().getTime() + openMs;
    }
  };

  return {
    tokensToday: () => (day === today() ? tokens : 0),
    async read(text): Promise<OwnerTextResult> {
      if (clock.now().getTime() < openUntil) return { ok: false, reason: "circuit_open" };
      count(0);
      if (settings.dailyTokenCap !== null && tokens >= settings.dailyTokenCap) return { ok: false, reason: "daily_cap" };
      const prepared = settings.sendPii ? unmasked(text) : maskPii(text);
      const abort = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => {
          abort.abort();
          resolve("timeout");
        }, settings.budgetMs);
      });
      const call = reader.read(prepared, abort.signal);
      const result = await Promise.race([call, timeout]);
      clearTimeout(timer);
      if (result === "timeout" || (!result.ok && result.reason === "aborted")) {
        // What it costs still counts once the call settles.
        void call.then((late) => count(late.tokens));
        failed();
        logger.debug("llm: over budget, keywords only", { budgetMs: settings.budgetMs });
        return { ok: false, reason: "timeout" };
      }
      count(result.tokens);
      logger.debug("llm call", { tokens: result.tokens, today: tokens, mode: reader.mode, ok: result.ok });
      if (!result.ok) {
        failed();
        logger.debug(`llm: ${result.reason} (${result.detail}), keywords only`);
        return { ok: false, reason: result.reason === "invalid" ? "invalid" : "unavailable" };
      }
      failures = 0;
      return { ok: true, reading: result.reading };
    },
  };
}

/** The model as the bot's settings describe it (src/config.ts `openai`), ready for the owner desk. */
export function ownerTextModel(
  settings: { apiKey: string; baseUrl: string | null; model: string; budgetMs: number; sendPii: boolean; dailyTokens: number | null; staffLocale?: Locale },
  clock: Clock,
  logger: Logger,
): GuardedModel {
  const reader = chatReader({ apiKey: settings.apiKey, baseUrl: settings.baseUrl, model: settings.model, ...(settings.staffLocale ? { staffLocale: settings.staffLocale } : {}) });
  return guardedModel(reader, { budgetMs: settings.budgetMs, sendPii: settings.sendPii, dailyTokenCap: settings.dailyTokens }, clock, logger);
}
