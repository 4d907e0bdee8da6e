/**
 * A small in-memory cache of *positive* lookups (what exists), for configuration read on every
 * webhook or release: catalog SKUs, channel listings, node time zones. Misses are never cached, so a SKU or listing
 * added to fix an intake exception is seen by the very next delivery or replay; a change to
 * an existing entry is seen within `ttlMs` (and at once in the process that made it).
 */
export function positiveCache<V>(ttlMs: number, maxEntries = 10_000) {
  const entries = new Map<string, { value: V; at: number }>();
  return {
    get(key: string): V | undefined {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (Date.now() - hit.at >= ttlMs) {
        entries.delete(key);
        return undefined;
      }
      return hit.value;
    },
    set(key: string, value: V): void {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, at: Date.now() });
    },
    delete(key: string): void {
      entries.delete(key);
    },
  };
}
