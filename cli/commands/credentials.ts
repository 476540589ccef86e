/** `credentials`: your cloud credentials, one per connector (list, create, delete); secrets are write-only. */
import type { Command } from 'commander';
import type { CredentialT } from '../api-types';
import { seg } from '../client';
import { contextOf } from '../context';
import { UsageError } from '../exit-codes';
import { collect, pairs, readObject } from '../key-values';

export function registerCredentials(program: Command): void {
  const credentials = program.command('credentials').description('Your cloud credentials, one per connector (secrets are write-only)');
  credentials
    .command('list', { isDefault: true })
    .description('your credentials (an admin: everyone’s)')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      ctx.out.list(await ctx.client().listAll<CredentialT>('/credentials'), [
        { header: 'id', value: (c) => c.id },
        { header: 'connector', value: (c) => c.connector },
        { header: 'kind', value: (c) => c.kind },
        { header: 'secret fields', value: (c) => c.secretFields },
        { header: 'owner', value: (c) => c.owner },
      ]);
    });
  credentials
    .command('create')
    .description('store your credential for a connector')
    .requiredOption('--connector <name>', 'connector name')
    .option('--secret <key=value>', 'a secret field (repeatable), e.g. apiKey=… (slipway kinds lists them)', collect, [])
    .option('--secrets-file <path>', 'YAML or JSON mapping of the secret fields (keeps them out of the shell history)')
    .action(async (options: { connector: string; secret: string[]; secretsFile?: string }, command: Command) => {
      const ctx = contextOf(command);
      const secrets = { ...(options.secretsFile ? readObject(options.secretsFile) : {}), ...pairs(options.secret, '--secret') };
      if (!Object.keys(secrets).length) throw new UsageError('Give the secrets: --secret key=value (repeatable) or --secrets-file');
      const made = await ctx.client().post<CredentialT>('/credentials', { connector: options.connector, secrets });
      ctx.out.result(made, (c) => `Stored credential ${c.id} for ${c.connector} (fields: ${c.secretFields.join(', ')}).`);
    });
  credentials
    .command('delete')
    .description('delete a credential no live run needs')
    .argument('<id>', 'credential id')
    .action(async (id: string, _options, command: Command) => {
      const ctx = contextOf(command);
      await ctx.client().delete(`/credentials/${seg(id)}`);
      ctx.out.result({ deleted: id }, () => `Deleted credential ${id}.`);
    });
}
