/**
 * A small in-process cache for look-ups that rarely change (a zone's id, the
 * offerings). A connector is opened per step, so the cache lives at module level,
 * keyed by connector: a warm Lambda or the local stack resolves a zone once, not
 * once per VM. The promise is stored, so concurrent creates share one call; a
 * failed look-up is forgotten at once, so a fixed credential is not stuck with it.
 */

/** Long enough to spare calls during a deployment, short enough to see an admin's change. */
const TTL_MS = 10 * 60 * 1000;

const entries = new Map<string, { value: Promise<unknown>; at: number }>();

export function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T>;
  const value = load();
  entries.set(key, { value, at: now });
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  return value;
}
