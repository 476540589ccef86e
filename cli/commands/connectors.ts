/** Clouds: `kinds`, and `connectors` (list, show, live look-ups; admins create and delete). */
import type { Command } from 'commander';
import type { ConnectorKindT, ConnectorT, CreateConnectorT, LookupItemT } from '../api-types';
import { seg } from '../client';
import { contextOf } from '../context';
import { UsageError } from '../exit-codes';
import { collect, jsonValues, pairs, readObject } from '../key-values';
import { fields } from '../render';

const LOOKUPS = { images: 'images the cloud offers', 'instance-types': 'instance types (sizes)', zones: 'zones or regions' } as const;

export function registerConnectors(program: Command): void {
  program
    .command('kinds')
    .description('Connector kinds, with the settings and credential secrets each takes')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      const kinds = (await ctx.client().get<{ items: ConnectorKindT[] }>('/connector-kinds')).items;
      const names = (schema: Record<string, unknown>) => Object.keys((schema.properties as object | undefined) ?? {});
      ctx.out.list(kinds, [
        { header: 'kind', value: (k) => k.kind },
        { header: 'settings', value: (k) => names(k.settings) },
        { header: 'secrets', value: (k) => names(k.secrets) },
      ]);
    });

  const connectors = program.command('connectors').description('Connectors (clouds): list and look up; admins create and delete');
  connectors
    .command('list', { isDefault: true })
    .description('every connector')
    .action(async (_options, command: Command) => {
      const ctx = contextOf(command);
      ctx.out.list(
        await ctx.client().listAll<ConnectorT>('/connectors'),
        [
          { header: 'name', value: (c) => c.name },
          { header: 'kind', value: (c) => c.kind },
          { header: 'endpoint', value: (c) => c.endpoint },
          { header: 'zone/region', value: (c) => c.zone ?? c.region },
          { header: 'default quota', value: (c) => c.defaultQuotaVms },
          { header: 'workers', value: (c) => c.maxIaasWorkers },
          { header: 'settings', value: (c) => c.settings },
        ],
        'No connectors (an admin adds them: slipway connectors create).',
      );
    });
  connectors
    .command('show')
    .argument('<name>', 'connector name')
    .action(async (name: string, _options, command: Command) => {
      const ctx = contextOf(command);
      ctx.out.result(await ctx.client().get<ConnectorT>(`/connectors/${seg(name)}`), (c) => fields(Object.entries(c)));
    });
  for (const [what, description] of Object.entries(LOOKUPS)) {
    connectors
      .command(what)
      .description(`the ${description}, asked live with your credential`)
      .argument('<connector>', 'connector name')
      .option('--credential <id>', 'ask with this credential (admins: any)')
      .action(async (name: string, options: { credential?: string }, command: Command) => {
        const ctx = contextOf(command);
        const items = (await ctx.client().get<{ items: LookupItemT[] }>(`/connectors/${seg(name)}/${what}`, { credential: options.credential })).items;
        ctx.out.list(items, [
          { header: 'id', value: (i) => i.id },
          { header: 'name', value: (i) => i.name },
          ...(what === 'instance-types'
            ? [
                { header: 'cpu', value: (i: LookupItemT) => i.cpu },
                { header: 'ram mb', value: (i: LookupItemT) => i.ramMb },
              ]
            : []),
        ]);
      });
  }
  connectors
    .command('create')
    .description('admin: configure a connector, from flags or a file (-f) of its fields')
    .argument('[name]', 'connector name (or name: in the file)')
    .option('-f, --file <path>', 'YAML or JSON of the fields (flags override it)')
    .option('--kind <kind>', 'sim, cloudstack, openstack, opennebula or ec2 (slipway kinds)')
    .option('--endpoint <url>', "the cloud's API endpoint")
    .option('--zone <zone>')
    .option('--region <region>')
    .option('--default-quota <vms>', 'VMs each user may hold here unless overridden')
    .option('--max-workers <n>', 'VMs a run creates here at once')
    .option('--orphan-grace <minutes>', 'terminate orphan VMs after this many minutes')
    .option('--setting <key=value>', 'a kind-specific setting (repeatable; JSON values allowed)', collect, [])
    .action(async (name: string | undefined, options, command: Command) => {
      const ctx = contextOf(command);
      const o = options as Record<string, string | undefined> & { setting: string[]; file?: string };
      const base = o.file ? readObject(o.file) : {};
      const int = (value: string | undefined, flag: string) => {
        if (value === undefined) return undefined;
        if (!/^\d+$/.test(value)) throw new UsageError(`${flag} ${value}: a whole number`);
        return Number(value);
      };
      const body = Object.fromEntries(
        Object.entries({
          ...base,
          name: name ?? base.name,
          kind: o.kind ?? base.kind,
          endpoint: o.endpoint ?? base.endpoint,
          zone: o.zone ?? base.zone,
          region: o.region ?? base.region,
          defaultQuotaVms: int(o.defaultQuota, '--default-quota') ?? base.defaultQuotaVms,
          maxIaasWorkers: int(o.maxWorkers, '--max-workers') ?? base.maxIaasWorkers,
          orphanGraceMinutes: int(o.orphanGrace, '--orphan-grace') ?? base.orphanGraceMinutes,
          settings: { ...((base.settings as object | undefined) ?? {}), ...jsonValues(pairs(o.setting, '--setting')) },
        }).filter(([, v]) => v !== undefined),
      ) as CreateConnectorT;
      if (!body.name) throw new UsageError('Name the connector: slipway connectors create <name> …');
      const made = await ctx.client().post<ConnectorT>('/connectors', body);
      ctx.out.result(made, (c) => `Created connector ${c.name} (${c.kind}).`);
    });
  connectors
    .command('delete')
    .description('admin: delete a connector no live run and no credential uses')
    .argument('<name>', 'connector name')
    .action(async (name: string, _options, command: Command) => {
      const ctx = contextOf(command);
      await ctx.client().delete(`/connectors/${seg(name)}`);
      ctx.out.result({ deleted: name }, () => `Deleted connector ${name}.`);
    });
}
