/** Polls a run until it reaches a state the caller waits for, showing it as it goes. */
import type { DeploymentT, RunStateT, RunT } from './api-types';
import { ApiError, seg, type SlipwayClient } from './client';
import { pause } from './context';
import { CliError, EXIT } from './exit-codes';
import type { RunDisplay } from './run-display';
import type { PlannedNode, RunView } from './run-view';

/** Consecutive failed polls tolerated (a restarting local stack, a blip) before giving up. */
const MAX_FAILED_POLLS = 5;

/** The deployment version a run uses: its name and the nodes it makes, with the run's overrides. */
export async function planOf(client: SlipwayClient, run: RunT): Promise<Pick<RunView, 'deploymentName' | 'nodes'>> {
  const deployment = await client.find<DeploymentT>(`/deployments/${seg(run.deployment)}`, { version: run.deploymentVersion }).catch(() => undefined);
  if (!deployment) return {};
  const nodes: PlannedNode[] = deployment.nodes.map((node) => {
    const override = run.nodes[node.name] ?? {};
    return { name: node.name, connector: override.connector ?? node.connector ?? run.connector, multiplicity: override.multiplicity ?? node.multiplicity };
  });
  return { deploymentName: deployment.name, nodes };
}

export interface FollowOptions {
  until: readonly RunStateT[];
  display?: RunDisplay;
  /** @default 500 */
  pollMs?: number;
  /** Give up (exit 4) after this long; the run goes on. */
  timeoutMs?: number;
  /** Aborted (Ctrl-C): stop polling (exit 130); the run goes on. */
  signal?: AbortSignal;
}

/** Reads run `id` until its state is one of `until`; returns that run (with instances). */
export async function followRun(client: SlipwayClient, id: string, options: FollowOptions): Promise<RunT> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  let plan: Pick<RunView, 'deploymentName' | 'nodes'> | undefined;
  let failures = 0;
  let run: RunT | undefined;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new CliError(`Stopped watching; run ${id} goes on: slipway show ${id}`, EXIT.interrupted);
      try {
        run = await client.get<RunT>(`/runs/${seg(id)}`);
        failures = 0;
      } catch (error) {
        const lasting = error instanceof ApiError && error.status < 500 && error.status !== 429;
        if (lasting || ++failures >= MAX_FAILED_POLLS) throw error;
      }
      if (run) {
        plan ??= await planOf(client, run);
        options.display?.update({ run, ...plan });
        if (options.until.includes(run.state)) return run;
      }
      if (Date.now() > deadline) {
        throw new CliError(`Run ${id} is still ${run?.state ?? 'unknown'} after the timeout; it goes on: slipway show ${id}`, EXIT.timeout);
      }
      await pause(options.pollMs ?? 500, options.signal);
    }
  } finally {
    options.display?.finish();
  }
}
