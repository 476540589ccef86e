/**
 * Sharing an image or deployment with named users: `read` lets them see it (and its
 * versions); `run` also lets them launch runs of a deployment, or use an image in
 * their own images and deployments. Only the owner (or an admin) changes it or its grants.
 */
import * as z from 'zod';
import { pageOf } from './common';

export const GrantAccess = z.enum(['read', 'run']);

const UserId = z.string().min(1).max(128);

export const GrantBody = z
  .strictObject({
    /** The id of the user to share with. */
    user: UserId,
    access: GrantAccess,
  })
  .meta({ examples: [{ user: 'usr_01J…', access: 'run' }] });

export const GrantParams = z.strictObject({ id: z.string().min(1).max(128), user: UserId });

export const Grant = z.object({
  user: z.string(),
  access: GrantAccess,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** Every grant on the resource (at most 20): `nextCursor` is always null. */
export const GrantList = pageOf(Grant);
