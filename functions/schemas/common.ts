/** Schemas shared by every resource: names, metadata, pagination, versions. */
import { z } from 'zod';

export const Name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/, 'lower-case letters, digits, ".", "_" and "-", starting and ending with a letter or digit');

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
  cursor: z.string().max(2048).optional(),
});

export const IdParams = z.object({ id: z.string().min(1).max(128) });

/** An update carries the version it was based on; a stale one gets 409. */
export const VersionField = z.object({ version: z.number().int().min(1) });

export const VersionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
