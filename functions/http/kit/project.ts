/** Stored item → response, by the response schema's own fields. */
import type { z } from 'zod';

/**
 * The fields `schema` declares, taken from `item`: key attributes and any other
 * bookkeeping of the stored item never reach a response. Values are not
 * re-validated (the response checks in the HTTP tests do that).
 */
export function projectOnto<S extends z.ZodObject>(schema: S, item: object): z.output<S> {
  const source = item as Record<string, unknown>;
  return Object.fromEntries(Object.keys(schema.shape).flatMap((field) => (source[field] === undefined ? [] : [[field, source[field]]]))) as z.output<S>;
}
