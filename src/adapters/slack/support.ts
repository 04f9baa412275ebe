/**
 * Small pieces the Bolt app is built from: Bolt's logger onto ours, a bounded memory, and the
 * users.info lookup that gives each person's name and language.
 */
import { LogLevel, type App, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../core/logger.js";
import type { SlackProfile } from "./events.js";

type WebClient = App["client"];

/**
 * Bolt's and the WebClient's log onto ours, level for level: their warnings (a bad signature, a
 * 429 being retried) are trouble they coped with; their errors are not; their info (connected)
 * and debug (each request) are ours too. Our logger filters by LOG_LEVEL, so Bolt is told to
 * send everything.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const words = (msg: unknown[], error?: unknown) =>
    `slack: ${msg
      .filter((m) => m !== error)
      .map(shown)
      .join(" ")}`;
  const report = (level: "warn" | "error", msg: unknown[]) => {
    const error = msg.find((m) => m instanceof Error);
    logger[level](words(msg, error), error);
  };
  return {
    debug: (...msg: unknown[]) => logger.debug(words(msg)),
    info: (...msg: unknown[]) => logger.info(words(msg)),
    warn: (...msg: unknown[]) => report("warn", msg),
    error: (...msg: unknown[]) => report("error", msg),
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}

/** An object as JSON where it can be (a circular one cannot), anything else as text. */
function shown(m: unknown): string {
  if (typeof m !== "object" || m === null) return String(m);
  try {
    return JSON.stringify(m);
  } catch {
    return String(m);
  }
}

/** A Map that forgets its oldest entries beyond `max`. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
}

/** Enough for the people active at once; an evicted one costs one users.info call. */
const PROFILE_CACHE_SIZE = 500;

/** Looks people up once; a failed lookup is not cached, so the next message asks again. */
export function profileLookup(client: WebClient, logger: Logger): (user: string) => Promise<SlackProfile> {
  const profiles = new BoundedMap<string, SlackProfile>(PROFILE_CACHE_SIZE);
  return async (user) => {
    const cached = profiles.get(user);
    if (cached) return cached;
    try {
      const { user: u } = await client.users.info({ user, include_locale: true });
      const found: SlackProfile = {
        ...(u?.locale ? { languageCode: u.locale } : {}),
        ...(u?.profile?.display_name || u?.real_name ? { displayName: u.profile?.display_name || u?.real_name } : {}),
      };
      profiles.set(user, found);
      return found;
    } catch (error) {
      // The desks fall back to the default language and no name.
      logger.warn(`slack: users.info failed for ${user}`, error);
      return {};
    }
  };
}
