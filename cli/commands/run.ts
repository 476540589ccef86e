/** `slipway run <deployment>`: launch a run (or show its plan with --plan), and with --wait follow it until Ready or Aborted. */
import { Option, type Command } from 'commander';
import type { RunInputT, RunT } from '../api-types';
import { contextOf } from '../context';
import { expiryFrom, parseDuration } from '../durations';
import { CliError, EXIT, UsageError } from '../exit-codes';
import { collect, pairs } from '../key-values';
import { fetchLaunchPlan, planExitCode, showLaunchPlan } from '../launch-plan';
import { fields } from '../render';
import { waitForRun } from '../wait-run';

/** A run's choices for one node (the API's `nodes.<name>`). */
type NodeOverride = { connector?: string; multiplicity?: number };

interface RunOptions {
  connector?: string;
  node: string[];
  expires?: string;
  tag: string[];
  wait?: boolean;
  timeout: string;
  plan?: boolean;
  idempotencyKey?: string;
}

/** `web=sim-eu:3`, `web=sim-eu`, `web=:3` → the run's per-node overrides. */
export function parseNodeOverrides(specs: string[]): Record<string, NodeOverride> {
  const nodes: Record<string, NodeOverride> = {};
  for (const spec of specs) {
    const match = /^([^=\s]+)=([^:\s]*)(?::(\d+))?$/.exec(spec);
    if (!match || (!match[2] && !match[3])) throw new UsageError(`--node ${spec}: expected node=connector:count, node=connector or node=:count`);
    const [, node, connector, count] = match;
    if (nodes[node!]) throw new UsageError(`--node ${node}: given twice`);
    nodes[node!] = { ...(connector ? { connector } : {}), ...(count ? { multiplicity: Number(count) } : {}) };
  }
  return nodes;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Launch a run of a deployment (by name or id)')
    .argument('<deployment>', 'deployment path (project/name), name or id')
    .option('-c, --connector <name>', 'connector for every node that names none')
    .option('-n, --node <node=connector:count>', 'per-node connector and/or count, e.g. web=sim-eu:3 (repeatable)', collect, [])
    .option('--expires <duration|time>', 'terminate it after this long (2h, 30m, 1d) or at this ISO time')
    .option('--tag <key=value>', 'a tag on the run (repeatable)', collect, [])
    .option('--wait', 'follow it until Ready (exit 0) or Aborted (exit 1, with the reason)')
    .addOption(new Option('--timeout <duration>', 'with --wait: give up after this long (exit 4); the run goes on').default('30m'))
    .option(
      '--plan',
      'show what a launch would do (per node: connector, native image, instance type; quota per connector; refusals) and launch nothing (exit 1 when it would be refused)',
    )
    .option('--idempotency-key <key>', 'a retried command with the same key gets the first run instead of a second one')
    .action(async (deployment: string, opts: RunOptions, command: Command) => {
      const ctx = contextOf(command);
      // A bad --timeout is a usage error before anything is launched.
      parseDuration(opts.timeout, '--timeout');
      const body: RunInputT = {
        deployment,
        ...(opts.connector ? { connector: opts.connector } : {}),
        nodes: parseNodeOverrides(opts.node),
        ...(opts.expires ? { expiresAt: expiryFrom(opts.expires, ctx.now()) } : {}),
        tags: pairs(opts.tag, '--tag'),
      };
      const client = ctx.client();
      if (opts.plan) {
        if (opts.wait) throw new UsageError('--plan launches nothing: leave out --wait');
        const plan = await fetchLaunchPlan(client, body);
        ctx.out.result(plan, (p) => showLaunchPlan(deployment, p));
        process.exitCode = planExitCode(plan);
        return;
      }
      const headers = opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : undefined;
      const launched = (await client.send<RunT>('POST', '/runs', { body, headers })).body;
      if (!opts.wait) {
        ctx.out.result(launched, (run) =>
          [
            fields([
              ['run', run.id],
              ['state', run.state],
              ['deployment', `${deployment} v${run.deploymentVersion}`],
              ['expires', run.expiresAt],
            ]),
            `\nFollow it: slipway show ${run.id} --wait   (events: slipway events ${run.id} --follow)`,
          ].join('\n'),
        );
        return;
      }
      const run = await waitForRun(ctx, launched, { until: 'settled', timeout: opts.timeout });
      if (ctx.out.format === 'json') ctx.out.line(JSON.stringify(run, null, 2));
      else if (run.state === 'Ready') {
        ctx.out.line(
          `Run ${run.id} is Ready.\n  slipway show ${run.id}              its instances and parameters\n  slipway terminate ${run.id} --wait   end it`,
        );
      }
      if (run.state === 'Aborted') throw new CliError(`Run ${run.id} Aborted: ${run.abortReason ?? 'no reason given'}`, EXIT.failure);
      if (run.state !== 'Ready') throw new CliError(`Run ${run.id} ended ${run.state} before it was Ready`, EXIT.failure);
    });
}
