interface Entry<V> {
  value: V | undefined;
  loadedAt: number;
  expiresAt: number;
}

/**
 * A per-isolate cache with bounded staleness: an entry is served for `ttlMs` after it was
 * loaded (≤ 60 s by configuration for what a partner may do: that is how quickly a suspension
 * or a revocation bites everywhere; in the isolate that made the change, at once, through
 * `invalidate`). Concurrent misses for one key share one load. At most `maxEntries` are kept,
 * the oldest dropped first. `cacheMisses: false` keeps no entry for an unknown key.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inflight = new Map<string, Promise<V | undefined>>();

  constructor(private readonly options: { maxEntries?: number; cacheMisses?: boolean } = {}) {}

  async get(
    key: string,
    ttlMs: number,
    load: (key: string) => Promise<V | undefined>,
  ): Promise<V | undefined> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    return this.load(key, ttlMs, load);
  }

  /**
   * Reloads an entry loaded before `notBefore` (ms): something newer than our snapshot may
   * exist (a token minted by a consumer key created since). A newer snapshot is kept.
   */
  async refresh(
    key: string,
    ttlMs: number,
    load: (key: string) => Promise<V | undefined>,
    notBefore: number,
  ): Promise<V | undefined> {
    const hit = this.entries.get(key);
    if (hit && hit.loadedAt >= notBefore) return hit.value;
    return this.load(key, ttlMs, load);
  }

  private load(
    key: string,
    ttlMs: number,
    load: (key: string) => Promise<V | undefined>,
  ): Promise<V | undefined> {
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const loading = load(key)
      .then((value) => {
        if (value === undefined && this.options.cacheMisses === false) return value;
        if (this.entries.size >= (this.options.maxEntries ?? 10_000))
          this.entries.delete(this.entries.keys().next().value ?? "");
        const loadedAt = Date.now();
        this.entries.set(key, { value, loadedAt, expiresAt: loadedAt + ttlMs });
        return value;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, loading);
    return loading;
  }

  /** Forgets one key, or everything. */
  invalidate(key?: string) {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}
