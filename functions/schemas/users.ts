/** Users and their API keys (admin only). */
import { z } from 'zod';
import { Name, PageQuery, ResourceMeta, pageOf } from './common';

export const ROLES = ['admin', 'user'] as const;

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

/** The user with a new API key in clear: the only time the key is shown. */
export const UserWithKey = User.extend({ apiKey: z.string() });

export const UserPage = pageOf(User);
