/** Admin: `users` (list, create, show, delete) and API keys (`keys`: also each user's own). */
import type { Command } from 'commander';
import type { ApiKeyT, QuotaT, UserT, UserWithKeyT } from '../api-types';
import { seg, type Page, type SlipwayClient } from '../client';
import { contextOf } from '../context';
import { expiryFrom } from '../durations';
import { UsageError } from '../exit-codes';
import { fields } from '../render';

/** A user id, from an id or (admins) a name. */
export async function resolveUser(client: SlipwayClient, ref: string): Promise<string> {
  if (ref.startsWith('usr_')) return ref;
  const users = await client.listAll<UserT>('/users');
  const found = users.find((u) => u.name === ref);
  if (!found) throw new UsageError(`No user named "${ref}"`);
  return found.id;
}

/**
 * The caller's own user id. The API has no "who am I": a quota listing names its user,
 * so this works once any connector exists.
 */
async function ownUserId(client: SlipwayClient): Promise<string> {
  const quotas = await client.get<Page<QuotaT>>('/quotas', { limit: 1 });
  if (!quotas.items[0]) throw new UsageError('Give --user <your user id> (it is the owner field of anything you made)');
  return quotas.items[0].user;
}

const keyOwner = (client: SlipwayClient, user: string | undefined) => (user ? resolveUser(client, user) : ownUserId(client));

const shownOnce = (made: UserWithKeyT, what: string) =>
  `${what}\n${fields([
    ['user', `${made.name} (${made.id})`],
    ['role', made.role],
    ['key id', made.key.id],
    ['expires', made.key.expiresAt],
    ['api key', made.apiKey],
  ])}\n\nThe key is shown this once: keep it now (export SLIPWAY_API_KEY=${made.apiKey}).`;

export function registerUsers(program: Command): void {
  const users = program.command('users').description('admin: users and their roles');
  users
    .command('list', { isDefault: true })
    .description('every user, oldest first')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      ctx.out.list(await ctx.client().listAll<UserT>('/users'), [
        { header: 'id', value: (u) => u.id },
        { header: 'name', value: (u) => u.name },
        { header: 'role', value: (u) => u.role },
        { header: 'keys', value: (u) => u.keyCount },
        { header: 'created', value: (u) => u.createdAt.slice(0, 19).replace('T', ' ') },
      ]);
    });
  users
    .command('create')
    .description('a user, with their first API key (shown once)')
    .argument('<name>', 'user name')
    .option('--role <role>', 'user, vendor (also sells products in the app store) or admin', 'user')
    .action(async (name: string, options: { role: string }, command: Command) => {
      const ctx = contextOf(command);
      const made = await ctx.client().post<UserWithKeyT>('/users', { name, role: options.role });
      ctx.out.result(made, (m) => shownOnce(m, `Created user ${m.name}.`));
    });
  users
    .command('show')
    .argument('<user>', 'user id or name')
    .action(async (ref: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const user = await client.get<UserT>(`/users/${seg(await resolveUser(client, ref))}`);
      ctx.out.result(user, (u) => fields(Object.entries(u)));
    });
  users
    .command('delete')
    .description('a user and every API key they hold')
    .argument('<user>', 'user id or name')
    .action(async (ref: string, _options, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const id = await resolveUser(client, ref);
      await client.delete(`/users/${seg(id)}`);
      ctx.out.result({ deleted: id }, () => `Deleted user ${id}.`);
    });

  const keys = program.command('keys').description("API keys: your own, or as an admin anyone's (--user)");
  keys
    .command('list', { isDefault: true })
    .description("a user's keys: ids, prefixes and expiry, never the keys")
    .option('--user <user>', 'whose keys (id or name; default: yours)')
    .action(async (options: { user?: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const id = await keyOwner(client, options.user);
      ctx.out.list(await client.listAll<ApiKeyT>(`/users/${seg(id)}/keys`), [
        { header: 'id', value: (k) => k.id },
        { header: 'prefix', value: (k) => k.prefix },
        { header: 'created', value: (k) => k.createdAt.slice(0, 19).replace('T', ' ') },
        { header: 'expires', value: (k) => k.expiresAt?.slice(0, 19).replace('T', ' ') },
      ]);
    });
  keys
    .command('create')
    .description('another API key (shown once)')
    .option('--user <user>', 'whose key (id or name; default: yours)')
    .option('--expires <duration|time>', 'it stops working after this long (30d) or at this ISO time')
    .action(async (options: { user?: string; expires?: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const id = await keyOwner(client, options.user);
      const made = await client.post<UserWithKeyT>(`/users/${seg(id)}/keys`, options.expires ? { expiresAt: expiryFrom(options.expires, ctx.now()) } : {});
      ctx.out.result(made, (m) => shownOnce(m, `New API key for ${m.name}.`));
    });
  keys
    .command('delete')
    .description('revoke a key: it gets 401 from then on')
    .argument('<keyId>', 'the key id (slipway keys list)')
    .option('--user <user>', 'whose key (id or name; default: yours)')
    .action(async (keyId: string, options: { user?: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const id = await keyOwner(client, options.user);
      await client.delete(`/users/${seg(id)}/keys/${seg(keyId)}`);
      ctx.out.result({ revoked: keyId, user: id }, () => `Revoked key ${keyId} of ${id}.`);
    });
}
