/**
 * The part of EventBridge's (and Lambda event filtering's) pattern language that
 * Slipway's patterns use: nested fields, lists of allowed values, `{prefix}`,
 * `{exists}` and `{anything-but}`. The local bus applies its rule with it and the
 * local stream poller its filter, as AWS applies the same patterns.
 */
export type Pattern = { readonly [field: string]: Pattern | readonly Matcher[] };
type Matcher = string | number | boolean | null | { readonly prefix: string } | { readonly exists: boolean } | { readonly 'anything-but': readonly unknown[] };

function matchesOne(matcher: Matcher, value: unknown, present: boolean): boolean {
  if (matcher !== null && typeof matcher === 'object') {
    if ('exists' in matcher) return matcher.exists === present;
    if (!present) return false;
    if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(matcher.prefix);
    return !matcher['anything-but'].includes(value);
  }
  return present && value === matcher;
}

/** True when `value` (an event, a stream record) matches `pattern`. */
export function matchesPattern(pattern: Pattern, value: unknown): boolean {
  const object = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return Object.entries(pattern).every(([field, rule]) => {
    const present = Object.hasOwn(object, field) && object[field] !== undefined;
    const inner = present ? object[field] : undefined;
    if (!Array.isArray(rule)) return present && matchesPattern(rule as Pattern, inner);
    const values = Array.isArray(inner) ? inner : [inner];
    return (rule as readonly Matcher[]).some((matcher) => values.some((v) => matchesOne(matcher, v, present)));
  });
}
