/**
 * Users. Their API keys are stored only as hashes, in items of their own (see
 * user-keys.ts); the user item keeps the list of its key hashes, so deleting a user
 * deletes every key with it.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { hashToken, newSecretToken } from '#functions/commons/api-keys';
import { newId } from '#functions/commons/ids';
import { ConflictError, NotFoundError } from '#functions/domain/errors';
import type { z } from 'zod';
import { ROLES, type Role as RoleSchema, type User as UserSchema, type UserWithKey as UserWithKeySchema } from '#functions/schemas/users';
import { getItem, isConditionFailure, queryPage, type Page } from './items';
import { indexKeys, keys } from './keys';
import { createWithName } from './resources';
import { TABLE } from './table';
import type { TableClient } from './table-client';
import { addApiKey as addKeyItem, appendKey, keyHashesOf, keyIdOf, keyItem, MAX_KEYS_PER_USER } from './user-keys';

export { ROLES };
export type Role = z.output<typeof RoleSchema>;

/** The admin `seedAdmin` ensures (local mode's first admin). */
export const ADMIN_USER_ID = 'usr_admin';

export { MAX_KEYS_PER_USER };

/** A user as the API shows it: key hashes stay in the table, only their count is shown. */
export type User = z.output<typeof UserSchema>;

/** A user with an API key in clear: returned once, when the key is made. */
export type UserWithKey = z.output<typeof UserWithKeySchema>;

function toUser(item: Record<string, unknown>): User {
  return {
    id: String(item.id),
    owner: String(item.owner),
    name: String(item.name),
    role: (ROLES as readonly unknown[]).includes(item.role) ? (item.role as Role) : 'user',
    keyCount: keyHashesOf(item).length,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
}

async function putUser(table: TableClient, user: { id: string; owner: string; name: string; role: Role }, apiKey: string, now: Date): Promise<UserWithKey> {
  const at = now.toISOString();
  const hash = hashToken(apiKey);
  const item = {
    ...keys.user(user.id),
    ...indexKeys.byType('user', `${at}#${user.id}`),
    ...user,
    keyHashes: [hash],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const key = keyItem(apiKey, user.id, user.role, now);
  await createWithName(table, item, undefined, [key]);
  return { ...toUser(item), apiKey, key: { id: keyIdOf(hash), prefix: String(key.prefix), createdAt: at } };
}

/** Creates a user with a first API key (no expiry), returned in clear this once. */
export async function createUser(table: TableClient, input: { name: string; role: Role; owner: string }, now: Date): Promise<UserWithKey> {
  return putUser(table, { id: newId('usr'), ...input }, newSecretToken('slw'), now);
}

export async function getUser(table: TableClient, id: string): Promise<User | undefined> {
  const item = await getItem(table, keys.user(id));
  return item ? toUser(item) : undefined;
}

/** Every user, oldest first. */
export async function listUsers(table: TableClient, page: { limit: number; cursor?: string }): Promise<Page<User>> {
  const index = TABLE.indexes.byType;
  return queryPage(
    table,
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': indexKeys.byType('user', '').gsi2pk },
    },
    page,
    toUser,
  );
}

/**
 * Makes another API key for a user, returned in clear this once (with what lists show of it).
 * @throws NotFoundError for an unknown user; ConflictError past MAX_KEYS_PER_USER keys
 */
export async function addApiKey(table: TableClient, userId: string, options: { expiresAt?: string }, now: Date): Promise<UserWithKey> {
  const { user, apiKey, key } = await addKeyItem(table, userId, options, now);
  return { ...toUser(user), apiKey, key };
}

/**
 * Deletes a user and every API key it holds, in one transaction; the user's other
 * resources (credentials, runs, usage records) stay, for billing and clean-up.
 * @throws NotFoundError for an unknown user; ConflictError when it changed meanwhile
 */
export async function deleteUser(table: TableClient, userId: string): Promise<void> {
  const item = await getItem(table, keys.user(userId));
  if (!item) throw new NotFoundError('user not found');
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: table.name,
              Key: keys.user(userId),
              // A key added meanwhile would outlive the user: refuse, the caller retries.
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': Number(item.version) },
            },
          },
          ...keyHashesOf(item).map((hash) => ({ Delete: { TableName: table.name, Key: keys.apiKey(hash) } })),
        ],
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError('The user changed while being deleted; retry');
    throw error;
  }
}

export type SeedOutcome = 'created' | 'key-added' | 'unchanged';

/**
 * Ensures the admin user `usr_admin` exists and `apiKey` opens it; the local runner
 * calls it at every start with `SLIPWAY_ADMIN_KEY`. Other keys of that user stay
 * valid, and the per-user key limit does not apply here.
 */
export async function seedAdmin(table: TableClient, apiKey: string, now: Date): Promise<SeedOutcome> {
  const hash = hashToken(apiKey);
  // Two processes starting at once may race: the loser re-reads what the winner wrote.
  for (let attempt = 0; attempt < 3; attempt++) {
    const item = await getItem(table, keys.user(ADMIN_USER_ID));
    try {
      if (!item) {
        await putUser(table, { id: ADMIN_USER_ID, owner: ADMIN_USER_ID, name: 'admin', role: 'admin' }, apiKey, now);
        return 'created';
      }
      if (keyHashesOf(item).includes(hash)) return 'unchanged';
      await appendKey(table, ADMIN_USER_ID, 'admin', Number(item.version), apiKey, now);
      return 'key-added';
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  throw new ConflictError('The admin user kept changing while being seeded');
}
