/**
 * fast-check arbitraries of values that a JSON Schema (as zod emits it for a route's
 * body) certainly refuses: wrong types, strings too long or off their pattern,
 * numbers out of range, unknown or prototype keys, too many entries or items,
 * deep nesting. Each arbitrary gives only values the schema refuses, so a request
 * built from one must be refused whatever else it holds.
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
}

/** Names of Object.prototype's members, and `prototype`: keys that must never reach a handler. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

/** An object with `key` as an own enumerable property (`o[key] = …` would set the prototype for `__proto__`). */
export function withKeys(entries: [string, unknown][], base: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of [...Object.entries(base), ...entries])
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** `[[[…]]]`, `depth` deep. */
export const nested = (depth: number, leaf: unknown = 'x'): unknown => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

/** Strings a careless parser or store trips on. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\u202e',
    '🚀'.repeat(40),
    '../../etc/passwd',
    '%2e%2e%2f',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '${jndi:ldap://x}',
    'NaN',
    '-0',
    'null',
    '{}',
  ),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'é'.repeat(n)),
);

const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'] as const;

/** The JSON types a schema admits; undefined when it admits anything. */
function typesOf(schema: JsonSchema): Set<string> | undefined {
  if (schema.anyOf) {
    const all = schema.anyOf.map(typesOf);
    return all.some((t) => t === undefined) ? undefined : new Set(all.flatMap((t) => [...t!]));
  }
  if (schema.type) return new Set(schema.type === 'integer' ? ['integer'] : schema.type === 'number' ? ['integer', 'number'] : [schema.type]);
  if (schema.enum) return new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v)));
  return undefined;
}

const samplers: Record<(typeof JSON_TYPES)[number], fc.Arbitrary<unknown>> = {
  string: hostileString,
  number: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  integer: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53, -(2 ** 53), 1e308)),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.oneof(
    fc.array(fc.jsonValue(), { maxLength: 5 }),
    fc.integer({ min: 20, max: 3_000 }).map((d) => nested(d)),
  ),
  object: fc.oneof(
    fc.dictionary(hostileString, fc.jsonValue(), { maxKeys: 5 }),
    fc.constantFrom(...PROTOTYPE_KEYS).map((k) => withKeys([[k, { polluted: true }]])),
  ),
};

/** Values of a type the schema does not admit (none when it admits every type). */
function wrongType(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  const admitted = typesOf(schema);
  if (!admitted) return [];
  return JSON_TYPES.filter((t) => !admitted.has(t) && !(t === 'integer' && admitted.has('number'))).map((t) => samplers[t]);
}

function invalidStrings(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (schema.maxLength !== undefined) out.push(fc.integer({ min: schema.maxLength + 1, max: schema.maxLength + 3_000 }).map((n) => 'a'.repeat(n)));
  if (schema.minLength) out.push(fc.constant(''));
  if (schema.enum) out.push(hostileString.filter((s) => !schema.enum!.includes(s)));
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    out.push(hostileString.filter((s) => !pattern.test(s)));
  }
  if (schema.format === 'date-time') out.push(fc.constantFrom('yesterday', '2024-13-01T00:00:00Z', '2024-02-30T00:00:00Z', '1e9'));
  if (schema.format === 'uri') out.push(fc.constantFrom('not a url', 'ftp://example.com', 'javascript:alert(1)', 'file:///etc/passwd'));
  return out;
}

function invalidNumbers(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (schema.maximum !== undefined) out.push(fc.constantFrom(schema.maximum + 1, 1e308, Number.MAX_SAFE_INTEGER + 2));
  if (schema.minimum !== undefined) out.push(fc.constantFrom(schema.minimum - 1, -1e308));
  if (schema.type === 'integer') out.push(fc.constantFrom(0.5, 1.5, 3.000001));
  return out;
}

/** A key the record's key schema refuses, or a prototype key (which every map refuses). */
function invalidKeys(schema: JsonSchema): fc.Arbitrary<string> {
  const names = schema.propertyNames ? invalidStrings(schema.propertyNames) : [];
  return fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), ...(names as fc.Arbitrary<string>[]));
}

function invalidObjects(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  const props = schema.properties ?? {};
  if (schema.additionalProperties === false) {
    const unknown = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString).filter((k) => k.length > 0 && !(k in props) && !Object.hasOwn(props, k));
    out.push(fc.tuple(unknown, fc.jsonValue()).map(([k, v]) => withKeys([[k, v]])));
  }
  for (const [name, prop] of Object.entries(props)) {
    const bad = invalidFor(prop);
    if (bad) out.push(bad.map((v) => withKeys([[name, v]])));
  }
  if (schema.propertyNames || (schema.additionalProperties && typeof schema.additionalProperties === 'object')) {
    out.push(fc.tuple(invalidKeys(schema), fc.string({ maxLength: 10 })).map(([k, v]) => withKeys([[k, v]])));
    const value = typeof schema.additionalProperties === 'object' ? invalidFor(schema.additionalProperties) : undefined;
    if (value) out.push(value.map((v) => withKeys([['a', v]])));
    const max = schema.maxProperties ?? 100;
    out.push(fc.integer({ min: max + 1, max: 5_000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']))));
  }
  return out;
}

function invalidArrays(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (schema.maxItems !== undefined)
    out.push(fc.integer({ min: schema.maxItems + 1, max: schema.maxItems + 500 }).map((n) => Array.from({ length: n }, () => 'x')));
  if (schema.minItems) out.push(fc.constant([]));
  const item = schema.items ? invalidFor(schema.items) : undefined;
  if (item) out.push(item.map((v) => [v]));
  return out;
}

/** Values `schema` certainly refuses; undefined when it admits anything. */
export function invalidFor(schema: JsonSchema): fc.Arbitrary<unknown> | undefined {
  const options = [...wrongType(schema)];
  if (!schema.anyOf) {
    if (schema.type === 'string') options.push(...invalidStrings(schema));
    if (schema.type === 'integer' || schema.type === 'number') options.push(...invalidNumbers(schema));
    if (schema.type === 'object') options.push(...invalidObjects(schema));
    if (schema.type === 'array') options.push(...invalidArrays(schema));
  }
  return options.length ? fc.oneof(...options) : undefined;
}

/** A body `schema` certainly refuses, built from a valid `base`: one field broken, an unknown or missing field, or all of it wrong. */
export function invalidBody(schema: JsonSchema, base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const props = schema.properties ?? {};
  const options: fc.Arbitrary<unknown>[] = [invalidFor(schema)!];
  for (const [name, prop] of Object.entries(props)) {
    const bad = invalidFor(prop);
    if (bad) options.push(bad.map((v) => withKeys([[name, v]], Object.fromEntries(Object.entries(base).filter(([k]) => k !== name)))));
  }
  for (const name of schema.required ?? []) options.push(fc.constant(Object.fromEntries(Object.entries(base).filter(([k]) => k !== name))));
  options.push(
    fc
      .tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString), fc.jsonValue())
      .filter(([k]) => k.length > 0 && !Object.hasOwn(props, k))
      .map(([k, v]) => withKeys([[k, v]], base)),
  );
  return fc.oneof(...options);
}

/** Body texts that are not JSON a route could take. */
export const brokenJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '{"a":}', 'nul', "{'a':1}", '\ufeff{}', '{}garbage', '[1,]', '{"a":1,}', 'NaN', '"unterminated', '\u0000'),
  fc.integer({ min: 1_000, max: 100_000 }).map((d) => '['.repeat(d)),
);
