/** Field-by-field comparison of two JSON values, as `apply` shows and decides changes. */

export interface FieldChange {
  /** Dotted path, list items by index: `nodes[1].inputs.db_host`. */
  path: string;
  /** Absent: the field is added. */
  from?: unknown;
  /** Absent: the field is removed. */
  to?: unknown;
}

/** `value` with object keys sorted and undefined members dropped, so equal data compares equal. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .flatMap((key) => {
        const member = (value as Record<string, unknown>)[key];
        return member === undefined ? [] : [[key, canonical(member)]];
      }),
  );
}

function leaves(value: unknown, path: string, into: Map<string, unknown>): Map<string, unknown> {
  const isList = Array.isArray(value);
  const entries = isList ? value.map((v, i) => [`[${i}]`, v] as const) : typeof value === 'object' && value ? Object.entries(value) : undefined;
  if (!entries?.length) {
    into.set(path, value);
    return into;
  }
  for (const [key, member] of entries) {
    if (member !== undefined) leaves(member, isList ? `${path}${key}` : path ? `${path}.${key}` : key, into);
  }
  return into;
}

const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** The leaves that differ between `from` and `to`, in the order of `to` then the removed ones. */
export function fieldDiff(from: object, to: object): FieldChange[] {
  // An empty object at the top has no field to show.
  const before = leaves(from, '', new Map());
  const after = leaves(to, '', new Map());
  before.delete('');
  after.delete('');
  const changes: FieldChange[] = [];
  for (const [path, value] of after) {
    if (!before.has(path)) changes.push({ path, to: value });
    else if (!same(before.get(path), value)) changes.push({ path, from: before.get(path), to: value });
  }
  for (const [path, value] of before) if (!after.has(path)) changes.push({ path, from: value });
  return changes;
}

export const equal = same;
