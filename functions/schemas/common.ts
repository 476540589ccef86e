/** Schemas shared by every resource: names, metadata, pagination, versions, and the request limits. */
import * as z from 'zod';

/**
 * What a request may hold, documented in the OpenAPI document through the schemas
 * that use them. A body over `bodyBytes` gets 413 before it is parsed; any other
 * limit gets 400 naming the field.
 */
export const LIMITS = {
  /** DynamoDB's item limit: a larger body could never be stored. */
  bodyBytes: 400 * 1024,
  /** Arrays and objects inside arrays and objects: DynamoDB nests at most 32 levels. */
  jsonDepth: 32,
  /** Entries of any map (`tags`, `cloudImageIds`, `defaults`, `inputs`, `nodes`, `settings`, `secrets`). */
  mapEntries: 100,
  /** Items of any list (`nodes`, an image's `inputs` and `outputs`). */
  listItems: 50,
  /** A resource's name, a map key. */
  nameLength: 64,
  /** An id, or a name-or-id reference. */
  idLength: 128,
  /** A project's path (`shop/backend`): at most `projectDepth` names joined by "/". */
  projectLength: 128,
  projectDepth: 8,
  /** A reference to an image, deployment or product: an id, a name, or a path (`shop/backend/mysql`). */
  refLength: 200,
  /** A short free-text value: a tag, a native image id. */
  shortText: 256,
  /** A parameter value, an output's default. */
  valueLength: 4096,
  /** A recipe (shell run at boot). */
  recipeLength: 16_384,
  /** A pagination cursor as the API hands it out. */
  cursorLength: 2048,
} as const;

const NAME_PATTERN = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;
const NAME_RULE = 'lower-case letters, digits, ".", "_" and "-", starting and ending with a letter or digit';

export const Name = z.string().min(1).max(LIMITS.nameLength).regex(NAME_PATTERN, NAME_RULE);

/**
 * A project: names joined by "/" (`shop/backend`), SlipStream's containment. Images,
 * deployments and products live in one (or at the top level, without one).
 */
export const ProjectPath = z
  .string()
  .min(1)
  .max(LIMITS.projectLength)
  .refine((path) => path.split('/').length <= LIMITS.projectDepth, `at most ${LIMITS.projectDepth} levels`)
  .refine(
    (path) => path.split('/').every((segment) => NAME_PATTERN.test(segment) && segment.length <= LIMITS.nameLength),
    `names joined by "/", each of ${NAME_RULE}`,
  )
  .meta({ examples: ['shop/backend'] });

/** A reference to an image, deployment or product: its id, its name, or its path (`shop/backend/mysql`). */
export const Ref = z.string().min(1).max(LIMITS.refLength);

/** The `?project=` of a listing: one project (`/` the top level), with `subprojects=true` everything below it too. */
export const ProjectQuery = z.object({
  project: z.union([z.literal('/'), ProjectPath]).optional(),
  subprojects: z.enum(['true', 'false']).optional(),
});

/**
 * Keys that would name a member of every object's prototype (`__proto__`,
 * `constructor`, `toString`…): refused in every map and parameter name, so none
 * reaches a lookup, a spread or the table.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export const isPrototypeKey = (key: string): boolean => PROTOTYPE_KEYS.has(key);

/** `schema` for a map key or a parameter name, refusing prototype member names. */
export const safeKey = <S extends z.ZodString>(schema: S) => schema.refine((key) => !isPrototypeKey(key), 'a reserved name (a member of every object)');

/**
 * A map (`{key: value}`) of at most `maxEntries` entries, none named after a
 * prototype member. Both are checked before any entry (zod's record would drop a
 * `__proto__` key without a word), so a huge map is refused at once, with one error.
 */
export function mapOf<K extends z.ZodString, V extends z.ZodType>(key: K, value: V, maxEntries: number = LIMITS.mapEntries) {
  return z
    .preprocess(
      (input, ctx) => {
        if (!input || typeof input !== 'object' || Array.isArray(input)) return input; // the record reports the type
        const keys = Object.keys(input);
        if (keys.length > maxEntries) ctx.addIssue({ code: 'custom', message: `at most ${maxEntries} entries`, input });
        else
          for (const k of keys.filter(isPrototypeKey))
            ctx.addIssue({ code: 'custom', path: [k], message: 'a reserved name (a member of every object)', input });
        return input;
      },
      z.record(key, value),
    )
    .meta({ maxProperties: maxEntries });
}

/** Fields every stored resource has. */
export const ResourceMeta = z.object({
  id: z.string(),
  owner: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().min(1),
});

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** Opaque: only a `nextCursor` this API gave the same caller for the same listing opens. */
  cursor: z.string().max(LIMITS.cursorLength).optional(),
});

/** A resource's id; images, deployments and products also take a name or a path (`shop%2Fbackend%2Fmysql`). */
export const IdParams = z.object({ id: Ref });

/** An update carries the version it was based on; a stale one gets 409. */
export const VersionField = z.object({ version: z.number().int().min(1) });

export const VersionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
