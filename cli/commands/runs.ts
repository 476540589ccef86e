/** Reading and ending runs: `runs`, `show`, `events`, `terminate`. */
import { Option, type Command } from 'commander';
import type { DeploymentT, RunEventT, RunT } from '../api-types';
import { FINAL_STATES } from '../api-types';
import { seg, type Page, type SlipwayClient } from '../client';
import { contextOf, interruptible, pause } from '../context';
import { CliError, EXIT, UsageError } from '../exit-codes';
import { planOf } from '../follow-run';
import { RUN_COLUMNS, showRun } from '../run-text';
import { waitForRun } from '../wait-run';
import { RUN_STATES } from '#functions/schemas/runs';

async function deploymentNames(client: SlipwayClient): Promise<Map<string, string>> {
  const deployments = await client.listAll<DeploymentT>('/deployments').catch(() => []);
  return new Map(deployments.map((d) => [d.id, d.name]));
}

const eventLine = (e: RunEventT) => `${e.at.slice(0, 19).replace('T', ' ')}  ${(e.state ?? e.type).padEnd(12)}  ${e.message}`;

/** Every event of a run so far, oldest first. */
const allEvents = (client: SlipwayClient, id: string) => client.listAll<RunEventT>(`/runs/${seg(id)}/events`);

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('List your runs (an admin: everyone’s), newest first')
    .addOption(new Option('--state <state>', 'only runs in this state').choices(RUN_STATES))
    .option('--deployment <name|id>', 'only runs of this deployment')
    .option('--limit <n>', 'at most this many', '25')
    .option('--all', 'every run (follows every page)')
    .action(async (options: { state?: string; deployment?: string; limit: string; all?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      if (!/^\d+$/.test(options.limit)) throw new UsageError(`--limit ${options.limit}: a whole number`);
      const client = ctx.client();
      const query = { state: options.state, deployment: options.deployment };
      const runs = options.all
        ? await client.listAll<RunT>('/runs', query)
        : (await client.get<Page<RunT>>('/runs', { ...query, limit: Number(options.limit) })).items;
      const names = ctx.out.format === 'table' ? await deploymentNames(client) : new Map<string, string>();
      ctx.out.list(
        runs.map((run) => ({ ...run, deploymentName: names.get(run.deployment) })),
        RUN_COLUMNS,
        'No runs.',
      );
    });

  program
    .command('show')
    .description('Show a run with its instances')
    .argument('<run>', 'run id')
    .option('--wait', 'follow it until it is Ready, Done or Aborted (exit 1 when Aborted)')
    .addOption(new Option('--timeout <duration>', 'with --wait: give up after this long (exit 4)').default('30m'))
    .action(async (id: string, options: { wait?: boolean; timeout: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      let run = await client.get<RunT>(`/runs/${seg(id)}`);
      if (options.wait) run = await waitForRun(ctx, run, { until: 'settled', timeout: options.timeout });
      const { deploymentName } = ctx.out.format === 'table' ? await planOf(client, run) : {};
      ctx.out.result(run, (r) => showRun(r, deploymentName));
      if (options.wait && run.state === 'Aborted') process.exitCode = EXIT.failure;
    });

  program
    .command('events')
    .description("A run's events, oldest first")
    .argument('<run>', 'run id')
    .option('-f, --follow', 'keep printing new events until the run is Done or Aborted')
    .action(async (id: string, options: { follow?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const print = (events: RunEventT[]) => {
        if (ctx.out.format === 'json') for (const e of events) ctx.out.line(JSON.stringify(e));
        else for (const e of events) ctx.out.line(eventLine(e));
      };
      if (!options.follow) {
        const events = await allEvents(client, id);
        return ctx.out.format === 'json' ? ctx.out.line(JSON.stringify(events, null, 2)) : print(events);
      }
      // --follow: one line per event as it comes (JSON: one object per line).
      await interruptible(async (signal) => {
        let seen = 0;
        for (;;) {
          const [run, events] = await Promise.all([client.get<RunT>(`/runs/${seg(id)}`), allEvents(client, id)]);
          print(events.slice(seen));
          seen = Math.max(seen, events.length);
          if (FINAL_STATES.includes(run.state)) return;
          await pause(1000, signal);
          if (signal.aborted) throw new CliError(`Stopped following; run ${id} goes on`, EXIT.interrupted);
        }
      });
    });

  program
    .command('terminate')
    .description('Terminate a run: every VM it made is terminated and its quota released')
    .argument('<run>', 'run id')
    .option('--wait', 'follow it until it is Done or Aborted')
    .addOption(new Option('--timeout <duration>', 'with --wait: give up after this long (exit 4)').default('30m'))
    .action(async (id: string, options: { wait?: boolean; timeout: string }, command: Command) => {
      const ctx = contextOf(command);
      const client = ctx.client();
      const reply = await client.send<RunT>('POST', `/runs/${seg(id)}/terminate`);
      let run = reply.body;
      const started = reply.status === 202;
      if (options.wait) run = await waitForRun(ctx, run, { until: 'final', timeout: options.timeout });
      ctx.out.result(run, (r) => {
        if (options.wait) return `Run ${r.id} is ${r.state}${r.abortReason ? ` (${r.abortReason})` : ''}: its VMs are terminated and its quota released.`;
        return started ? `Terminating run ${r.id} (${r.state}).` : `Run ${r.id} is already ${r.state}.`;
      });
    });
}
