/**
 * InitializeRun: plan the launch (deployment version, image chains, native ids,
 * credentials), record every instance's intent before any VM exists, reserve the
 * quota in one transaction, and move the run to Provisioning. Unsatisfiable runs
 * fail here, naming why, with nothing reserved. Re-entrant: a repeat finds the
 * intents, the reservation and the state already there.
 */
import { connectorKind } from '#connectors/registry';
import type { AppDeps } from '#functions/commons/deps';
import { maxPollsWithin } from '#functions/domain/boot-polling';
import { RunNotSatisfiableError } from '#functions/domain/errors';
import { countByConnector } from '#functions/domain/run-plan';
import { instanceWork, type InstanceWork } from '#functions/runs/instance-work';
import { planLaunch, quotaHolder } from '#functions/runs/launch-plan';
import { reserveQuota } from '#functions/store/quota-reservations';
import { getRun, putInstanceIntent, recordImageVersions, type InstanceDoc } from '#functions/store/runs';
import { setRunState } from './set-run-state';
import { stepHandler, type RunInput } from './step';

/** How long VMs get to boot and report before the run is aborted. */
export const BOOT_DEADLINE_SECONDS = 15 * 60;

/** Intents written at once: enough to keep a large run's planning short, few enough to stay within the table's burst. */
const INTENT_WRITES_AT_ONCE = 25;

export interface RunPlan extends InstanceWork {
  pollSeconds: number;
  maxPolls: number;
}

export async function initializeRun({ runId }: RunInput, deps: AppDeps): Promise<RunPlan> {
  const run = await getRun(deps.table, runId);
  if (!run) throw new RunNotSatisfiableError(`run ${runId} does not exist`);
  const plan = await planLaunch(deps, run);
  if (plan.problems.length) throw new RunNotSatisfiableError(plan.problems.join('; '));

  const intents: InstanceDoc[] = plan.instances.map((planned) => ({
    ...planned,
    run: runId,
    owner: run.owner,
    credentialId: plan.credentials.get(planned.connector)!,
    phase: 'planned',
    state: 'pending',
    parameters: {},
  }));
  for (let i = 0; i < intents.length; i += INTENT_WRITES_AT_ONCE) {
    await Promise.all(intents.slice(i, i + INTENT_WRITES_AT_ONCE).map((intent) => putInstanceIntent(deps.table, intent)));
  }
  await recordImageVersions(deps.table, runId, Object.fromEntries(Object.entries(plan.images).map(([node, image]) => [node, image.chain])));
  await reserveQuota(deps.table, { id: run.id, owner: quotaHolder(run) }, countByConnector(plan.instances));
  await setRunState({ runId, state: 'Provisioning' }, deps);

  const configs = [...plan.connectors.values()];
  const pollSeconds = Math.min(...configs.map((config) => connectorKind(config.kind).pollSeconds(config)));
  return {
    ...(await instanceWork(deps.table, runId, plan.instances)),
    pollSeconds,
    maxPolls: maxPollsWithin(BOOT_DEADLINE_SECONDS, pollSeconds),
  };
}

export const handler = stepHandler(initializeRun, { name: 'InitializeRun' });
