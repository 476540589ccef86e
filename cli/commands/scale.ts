/** `slipway scale <run> <node>=<count>`: change a Ready run's instance count of one node, and with --wait follow it back to Ready. */
import { Option, type Command } from 'commander';
import type { RunEventT, RunT, ScaleInputT } from '../api-types';
import { seg, type SlipwayClient } from '../client';
import { contextOf } from '../context';
import { parseDuration } from '../durations';
import { CliError, EXIT, UsageError } from '../exit-codes';
import { fields } from '../render';
import { waitForRun } from '../wait-run';

/** `web=5` → the scale's body. @throws UsageError when it is not node=count with a count of 1 or more */
export function parseScale(spec: string): ScaleInputT {
  const match = /^([^=\s]+)=(\d+)$/.exec(spec);
  if (!match || Number(match[2]) < 1) throw new UsageError(`${spec}: expected node=count, e.g. web=5 (a count of 1 or more)`);
  return { node: match[1]!, multiplicity: Number(match[2]) };
}

/** The run's live instances of `node` (terminated ones are gone for good). */
export const liveCount = (run: RunT, node: string): number =>
  (run.instances ?? []).filter((i) => i.node === node && i.state !== 'terminated' && i.state !== 'stopping').length;

/**
 * Why the scale that ended with `run` back at Ready was rolled back, or undefined when it was done:
 * the last `Scaling → Ready` event says which, the `scale` event before it why.
 */
export async function rollbackReason(client: SlipwayClient, run: RunT, scale: ScaleInputT): Promise<string | undefined> {
  const events = await client.listAll<RunEventT>(`/runs/${seg(run.id)}/events`);
  const back = events.findLast((e) => e.state === 'Ready' && e.message.startsWith('Scaling → Ready'));
  if (back && !back.message.includes(' stays at ')) return undefined;
  if (!back && liveCount(run, scale.node) === scale.multiplicity) return undefined;
  const why = events.findLast((e) => e.type === 'scale');
  return why?.message ?? back?.message ?? `${scale.node} has ${liveCount(run, scale.node)} instance(s), not ${scale.multiplicity}`;
}

export function registerScale(program: Command): void {
  program
    .command('scale')
    .description('Scale a node of a Ready run to a number of instances (the added VMs count in your quota; removed ones are the highest indexes)')
    .argument('<run>', 'run id')
    .argument('<node=count>', 'the node and how many instances it should have, e.g. web=5')
    .option('--wait', 'follow it until it is Ready again (exit 0), or report the scale rolled back (exit 1, with the reason)')
    .addOption(new Option('--timeout <duration>', 'with --wait: give up after this long (exit 4); the scale goes on').default('30m'))
    .option('--idempotency-key <key>', 'a retried command with the same key resumes the first scale instead of asking for another')
    .action(async (id: string, spec: string, opts: { wait?: boolean; timeout: string; idempotencyKey?: string }, command: Command) => {
      const ctx = contextOf(command);
      const body = parseScale(spec);
      parseDuration(opts.timeout, '--timeout');
      const client = ctx.client();
      const headers = opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : undefined;
      const asked = (await client.send<RunT>('POST', `/runs/${seg(id)}/scale`, { body, headers })).body;
      const from = asked.scaling?.from;
      if (!opts.wait) {
        ctx.out.result(asked, (run) =>
          [
            fields([
              ['run', run.id],
              ['state', run.state],
              ['node', body.node],
              ['instances', `${from ?? '?'} → ${body.multiplicity}`],
            ]),
            `\nFollow it: slipway show ${run.id} --wait`,
          ].join('\n'),
        );
        return;
      }
      const run = await waitForRun(ctx, asked, { until: 'settled', timeout: opts.timeout });
      if (run.state !== 'Ready')
        throw new CliError(`Run ${run.id} ended ${run.state} during the scale${run.abortReason ? `: ${run.abortReason}` : ''}`, EXIT.failure);
      const rolledBack = await rollbackReason(client, run, body);
      if (ctx.out.format === 'json') ctx.out.line(JSON.stringify(run, null, 2));
      else if (!rolledBack)
        ctx.out.line(`Run ${run.id} is Ready with ${liveCount(run, body.node)} instance(s) of ${body.node}${from ? ` (was ${from})` : ''}.`);
      if (rolledBack) throw new CliError(`The scale of run ${run.id} was rolled back (it is Ready as before): ${rolledBack}`, EXIT.failure);
    });
}
