/**
 * `slipway migrate <run>`: re-deploy a Ready run on other clouds as a new run; once that one is Ready the
 * old run is terminated. --plan shows what it would do; --wait follows the new run to Ready, then the old
 * one to its end.
 */
import { Option, type Command } from 'commander';
import type { DeploymentT, MigrateInputT, RunT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import { contextOf } from '../context';
import { parseDuration } from '../durations';
import { CliError, EXIT, UsageError } from '../exit-codes';
import { collect } from '../key-values';
import { fetchMigrationPlan, planExitCode, showLaunchPlan } from '../launch-plan';
import { fields } from '../render';
import { waitForRun } from '../wait-run';

/** `--connector` and `--node web=sim-b` flags → the migration's body. @throws UsageError when neither is given or a --node is malformed */
export function migrateBody(connector: string | undefined, specs: string[]): MigrateInputT {
  const nodes: Record<string, { connector: string }> = {};
  for (const spec of specs) {
    const match = /^([^=\s]+)=([^=:\s]+)$/.exec(spec);
    if (!match) throw new UsageError(`--node ${spec}: expected node=connector, e.g. web=sim-us`);
    if (nodes[match[1]!]) throw new UsageError(`--node ${match[1]}: given twice`);
    nodes[match[1]!] = { connector: match[2]! };
  }
  if (!connector && !specs.length) throw new UsageError('Say where to: --connector <name> (every node) and/or --node <node=connector> (repeatable)');
  return { ...(connector ? { connector } : {}), nodes };
}

async function deploymentName(client: SlipwayClient, id: string, version: number): Promise<string> {
  const deployment = await client.find<DeploymentT>(`/deployments/${seg(id)}`, { version }).catch(() => undefined);
  return deployment?.name ?? id;
}

interface MigrateOptions {
  connector?: string;
  node: string[];
  plan?: boolean;
  wait?: boolean;
  timeout: string;
  idempotencyKey?: string;
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Migrate a Ready run to other clouds: a new run of the same deployment version; once it is Ready the old run is terminated')
    .argument('<run>', 'run id')
    .option('-c, --connector <name>', 'the connector every node moves to')
    .option('-n, --node <node=connector>', 'where one node moves to, e.g. db=sim-us (repeatable)', collect, [])
    .option('--plan', 'show what the migration would do (the new run per node, quotas with what the old run still holds, refusals) and change nothing')
    .option('--wait', 'follow the new run until Ready, then the old run until it is terminated (exit 0); exit 1 when the migration fails')
    .addOption(new Option('--timeout <duration>', 'with --wait: give up after this long (exit 4); the migration goes on').default('30m'))
    .option('--idempotency-key <key>', 'a retried command with the same key gets the first migration instead of a second one')
    .action(async (id: string, opts: MigrateOptions, command: Command) => {
      const ctx = contextOf(command);
      const body = migrateBody(opts.connector, opts.node);
      const timeoutMs = parseDuration(opts.timeout, '--timeout');
      const client = ctx.client();
      if (opts.plan) {
        if (opts.wait) throw new UsageError('--plan migrates nothing: leave out --wait');
        const plan = await fetchMigrationPlan(client, id, body);
        const name = ctx.out.format === 'table' ? await deploymentName(client, plan.deployment, plan.deploymentVersion) : plan.deployment;
        ctx.out.result(plan, (p) => showLaunchPlan(name, p));
        process.exitCode = planExitCode(plan);
        return;
      }
      const headers = opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : undefined;
      const started = (await client.send<RunT>('POST', `/runs/${seg(id)}/migrate`, { body, headers })).body;
      if (!opts.wait) {
        ctx.out.result(started, (run) =>
          [
            fields([
              ['new run', run.id],
              ['state', run.state],
              ['migrated from', run.migratedFrom ?? id],
            ]),
            `\nFollow it: slipway show ${run.id} --wait   (run ${run.migratedFrom ?? id} is terminated once it is Ready)`,
          ].join('\n'),
        );
        return;
      }
      const deadline = Date.now() + timeoutMs;
      const fresh = await waitForRun(ctx, started, { until: 'settled', timeoutMs });
      if (fresh.state !== 'Ready') {
        throw new CliError(
          `The migration failed: new run ${fresh.id} ended ${fresh.state}${fresh.abortReason ? ` (${fresh.abortReason})` : ''}; run ${id} keeps running`,
          EXIT.failure,
        );
      }
      const old = await waitForRun(ctx, await client.get<RunT>(`/runs/${seg(id)}`), { until: 'final', timeoutMs: Math.max(0, deadline - Date.now()) });
      if (ctx.out.format === 'json') ctx.out.line(JSON.stringify(fresh, null, 2));
      if (old.state !== 'Done') {
        throw new CliError(
          `Run ${fresh.id} is Ready, but the old run ${old.id} ended ${old.state}${old.abortReason ? `: ${old.abortReason}` : ''}`,
          EXIT.failure,
        );
      }
      if (ctx.out.format !== 'json') {
        ctx.out.line(`Run ${old.id} migrated to run ${fresh.id}: ${fresh.id} is Ready, ${old.id} is Done (its VMs terminated, its quota released).`);
      }
    });
}
