/**
 * The list of properties, read at most once a minute. Every intake needs it and it changes only
 * when an admin adds a property or zone, so a new property reaches the chat within `ttlMs`.
 */
import type { Clock } from "../time/clock.js";
import type { PropertyRecord, PropertyStore } from "./store.js";

export const PROPERTY_CACHE_TTL_MS = 60_000;

export class PropertyCache {
  private value: Promise<readonly PropertyRecord[]> | undefined;
  private loadedAt = 0;

  constructor(
    private readonly store: Pick<PropertyStore, "properties">,
    private readonly clock: Clock,
    private readonly ttlMs = PROPERTY_CACHE_TTL_MS,
  ) {}

  get(): Promise<readonly PropertyRecord[]> {
    const now = this.clock.now().getTime();
    if (!this.value || now - this.loadedAt >= this.ttlMs) {
      this.loadedAt = now;
      const loading = this.store.properties();
      // A failed read is not remembered: the next message tries again.
      loading.catch(() => {
        if (this.value === loading) this.value = undefined;
      });
      this.value = loading;
    }
    return this.value;
  }
}
