/** What a user may hold and what they used: `quotas` (admins also set them) and `usage`. */
import type { Command } from 'commander';
import type { QuotaT, UsageRecordT } from '../api-types';
import { seg } from '../client';
import { contextOf } from '../context';
import { UsageError } from '../exit-codes';
import { resolveUser } from './users';

const QUOTA_COLUMNS = [
  { header: 'connector', value: (q: QuotaT) => q.connector },
  { header: 'used', value: (q: QuotaT) => q.used },
  { header: 'max vms', value: (q: QuotaT) => q.maxVms },
  { header: 'source', value: (q: QuotaT) => q.source },
  { header: 'user', value: (q: QuotaT) => q.user },
];

export function registerAccount(program: Command): void {
  const quotas = program.command('quotas').description('Quotas: VMs you may hold per connector, and VMs in use (admins: set them)');
  quotas
    .command('list', { isDefault: true })
    .description('your quota on every connector (an admin: --user)')
    .option('--user <user>', "admin: another user's quotas (id or name)")
    .action(async (options: { user?: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const user = options.user && (await resolveUser(client, options.user));
      ctx.out.list(await client.listAll<QuotaT>('/quotas', { user }), QUOTA_COLUMNS, 'No connectors, so no quotas.');
    });
  quotas
    .command('set')
    .description("admin: override a user's quota on a connector")
    .argument('<user>', 'user id or name')
    .argument('<connector>', 'connector name')
    .argument('<maxVms>', 'VMs the user may hold there, or "default" for the connector’s default')
    .action(async (user: string, connector: string, maxVms: string, _options, command: Command) => {
      const ctx = contextOf(command);
      if (maxVms !== 'default' && !/^\d+$/.test(maxVms)) throw new UsageError(`maxVms ${maxVms}: a whole number, or "default"`);
      const client = ctx.client();
      const id = await resolveUser(client, user);
      const quota = await client.put<QuotaT>(`/quotas/${seg(id)}/${seg(connector)}`, { maxVms: maxVms === 'default' ? null : Number(maxVms) });
      ctx.out.result(quota, (q) => `Quota of ${q.user} on ${q.connector}: ${q.maxVms} VMs (${q.source}), ${q.used} in use.`);
    });

  program
    .command('usage')
    .description('Your usage (VM-seconds per day, connector and run), by default this UTC month')
    .option('--from <day>', 'first day, YYYY-MM-DD')
    .option('--to <day>', 'last day, YYYY-MM-DD (included)')
    .option('--user <user>', "admin: another user's usage (id or name)")
    .action(async (options: { from?: string; to?: string; user?: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const user = options.user && (await resolveUser(client, options.user));
      const records = await client.listAll<UsageRecordT>('/usage', { from: options.from, to: options.to, user });
      ctx.out.list(
        records,
        [
          { header: 'day', value: (u) => u.day },
          { header: 'connector', value: (u) => u.connector },
          { header: 'run', value: (u) => u.run },
          { header: 'vm seconds', value: (u) => u.vmSeconds },
          { header: 'user', value: (u) => u.user },
        ],
        'No usage in this period.',
      );
    });
}
