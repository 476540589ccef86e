/** Users (admin only) and their API keys (admins, and each user for their own). */
import * as z from 'zod';
import { Name, PageQuery, ResourceMeta, pageOf } from './common';

/** `vendor`: a user who also publishes products in the app store (and sees the orders of their products). */
export const ROLES = ['admin', 'vendor', 'user'] as const;

export const Role = z.enum(ROLES);

export const CreateUserBody = z
  .strictObject({
    name: Name,
    /** @default "user" */
    role: Role.default('user'),
  })
  .meta({ examples: [{ name: 'alice' }] });

export const UserListQuery = z.strictObject({ ...PageQuery.shape });

export const User = ResourceMeta.extend({
  name: Name,
  role: Role,
  /** How many API keys the user holds; the keys themselves are never shown again. */
  keyCount: z.number().int().min(0),
});

/** One of a user's API keys, as lists show it: never the key itself. */
export const ApiKey = z.object({
  /** What `DELETE /v1/users/{id}/keys/{keyId}` takes. */
  id: z.string(),
  /** The key's first characters (`slw_` and 8 more), as logs show them; absent for keys made before prefixes were kept. */
  prefix: z.string().optional(),
  createdAt: z.iso.datetime(),
  /** After this instant the key gets 401; absent: it never expires. */
  expiresAt: z.iso.datetime().optional(),
});

export const ApiKeyPage = pageOf(ApiKey);

/** The body of `POST /v1/users/{id}/keys` (optional). */
export const CreateApiKeyBody = z
  .strictObject({
    /** When the key stops working (ISO 8601, in the future); absent: never. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .optional()
  .meta({ examples: [{ expiresAt: '2027-01-01T00:00:00Z' }, {}] });

export const ApiKeyParams = z.strictObject({ id: z.string().min(1).max(128), keyId: z.string().min(1).max(64) });

/** The user with a new API key in clear: the only time the key is shown. */
export const UserWithKey = User.extend({ apiKey: z.string(), key: ApiKey });

export const UserPage = pageOf(User);
