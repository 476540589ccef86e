/**
 * What a run needs in the table before its steps run: a user's connector (scripted
 * by default), credential, images and deployment, then the run itself, written
 * through the store as the API writes them. Every call makes new names, so the
 * tests of one file never meet.
 */
import type { ConnectorKindName } from '#connectors/contract';
import type { RunState } from '#functions/domain/run-states';
import { createConnector } from '#functions/store/connectors';
import { createCredential, sealSecrets } from '#functions/store/credentials';
import { getRun, listRunInstances, moveRun, putRun, type InstanceDoc, type RunDoc } from '#functions/store/runs';
import { queryAll } from '#functions/store/items';
import { keys } from '#functions/store/keys';
import { createVersioned } from '#functions/store/versioned';
import { initializeRun, type RunPlan } from '#functions/steps/initialize-run';
import { SCRIPTED_KIND, scriptedCloud, type ScriptedCloud } from '#test/support/scripted-connector';
import type { StepStack } from './step-stack';

export interface WorldNode {
  name: string;
  multiplicity?: number;
  /** Outputs the node's image declares. */
  outputs?: string[];
  inputs?: Record<string, string>;
  /** Native image id per connector; `undefined` gives the run's connector `img-native`. */
  cloudImageIds?: Record<string, string>;
  recipe?: string;
  /** The node runs on the run's second connector (`RunOptions.second`). */
  onSecond?: boolean;
  /** The image's machine defaults on the run's connector. */
  machine?: { instanceType?: string; cpu?: number; ramMb?: number; diskGb?: number };
}

export interface RunOptions {
  nodes?: WorldNode[];
  /** Store no credential for the user. */
  withoutCredential?: boolean;
  kind?: ConnectorKindName;
  settings?: Record<string, unknown>;
  maxIaasWorkers?: number;
  defaultQuotaVms?: number;
  expiresAt?: string;
  /** A second scripted connector (with the user's credential) that nodes marked `onSecond` use. */
  second?: { settings?: Record<string, unknown>; maxIaasWorkers?: number };
  /** Launch this run for the same user on the same connector and credential as `world`. */
  sameAccountAs?: RunWorld;
  /** The deployment version the run records. @default 1 */
  deploymentVersion?: number;
  /** An order's run: the credential is a vendor's (`world.vendor`), and the run names the vendor as its sponsor. */
  sponsored?: boolean;
}

export interface RunWorld {
  runId: string;
  owner: string;
  connector: string;
  credentialId?: string;
  /** The connector's scripted cloud (unused when `kind` is another kind). */
  cloud: ScriptedCloud;
  /** The second connector, when asked for. */
  second?: { connector: string; credentialId: string; cloud: ScriptedCloud };
  /** The sponsoring vendor of a `sponsored` run. */
  vendor?: string;
}

/** db (publishes hostname) and two web instances taking `db_host` from it: the walk-through's shape. */
export const WORDPRESS_NODES: WorldNode[] = [
  { name: 'db', outputs: ['hostname'] },
  { name: 'web', multiplicity: 2, inputs: { db_host: 'db:hostname' } },
];

let worlds = 0;

/** Connector, credential, images, deployment and an Initializing run, as `POST /v1/runs` leaves them. */
export async function launchRun(stack: StepStack, options: RunOptions = {}): Promise<RunWorld> {
  const { table } = stack.deps;
  const n = ++worlds;
  const owner = options.sameAccountAs?.owner ?? `usr_world${n}`;
  const vendor = options.sponsored ? `usr_vendor${n}` : undefined;
  const connector = options.sameAccountAs?.connector ?? `cloud-${n}`;
  const now = stack.deps.now();
  const at = now.toISOString();
  const cloud = options.sameAccountAs?.cloud ?? scriptedCloud(connector);
  if (!options.sameAccountAs) {
    await createConnector(
      table,
      {
        name: connector,
        kind: options.kind ?? SCRIPTED_KIND,
        maxIaasWorkers: options.maxIaasWorkers ?? 2,
        defaultQuotaVms: options.defaultQuotaVms ?? 10,
        settings: options.settings ?? {},
      },
      'usr_admin',
      now,
    );
  }
  const credentialId =
    options.sameAccountAs?.credentialId ??
    (options.withoutCredential
      ? undefined
      : (
          await createCredential(
            table,
            {
              owner: vendor ?? owner,
              connector,
              kind: options.kind ?? SCRIPTED_KIND,
              ...(await sealSecrets(stack.deps.cipher(), { apiKey: 'key', apiSecret: 'secret' })),
            },
            now,
          )
        ).id);
  const second = options.second ? await addConnector(stack, owner, `cloud-${n}-b`, options.second) : undefined;
  const nodes = [];
  for (const node of options.nodes ?? WORDPRESS_NODES) {
    const image = await createVersioned(table, 'image', {
      id: `img_${node.name}${n}`,
      owner,
      name: `${node.name}-image-${n}`,
      version: 1,
      createdAt: at,
      updatedAt: at,
      cloudImageIds: node.cloudImageIds ?? { [connector]: 'img-native', ...(second ? { [second.connector]: 'img-native-b' } : {}) },
      outputs: node.outputs ?? [],
      ...(node.recipe ? { recipe: node.recipe } : {}),
      ...(node.machine ? { defaults: { [connector]: node.machine } } : {}),
    });
    nodes.push({
      name: node.name,
      image: image.id,
      multiplicity: node.multiplicity ?? 1,
      inputs: node.inputs ?? {},
      ...(node.onSecond ? { connector: second!.connector } : {}),
    });
  }
  const deployment = await createVersioned(table, 'deployment', {
    id: `dep_world${n}`,
    owner,
    name: `site-${n}`,
    version: 1,
    createdAt: at,
    updatedAt: at,
    nodes,
  });
  const run: RunDoc = {
    id: `run_world${n}_${Date.now()}`,
    owner,
    deployment: deployment.id,
    deploymentVersion: options.deploymentVersion ?? 1,
    connector,
    nodes: {},
    state: 'Initializing',
    tags: {},
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
    ...(vendor ? { sponsor: { user: vendor, order: `ord_world${n}` } } : {}),
  };
  await putRun(table, run);
  return { runId: run.id, owner, connector, credentialId, cloud, ...(second ? { second } : {}), ...(vendor ? { vendor } : {}) };
}

/** A scripted connector named `name`, and `owner`'s credential for it. */
async function addConnector(stack: StepStack, owner: string, name: string, options: { settings?: Record<string, unknown>; maxIaasWorkers?: number }) {
  const now = stack.deps.now();
  const cloud = scriptedCloud(name);
  await createConnector(
    stack.deps.table,
    { name, kind: SCRIPTED_KIND, maxIaasWorkers: options.maxIaasWorkers ?? 2, defaultQuotaVms: 10, settings: options.settings ?? {} },
    'usr_admin',
    now,
  );
  const sealed = await sealSecrets(stack.deps.cipher(), { apiKey: 'key-b', apiSecret: 'secret-b' });
  const credential = await createCredential(stack.deps.table, { owner, connector: name, kind: SCRIPTED_KIND, ...sealed }, now);
  return { connector: name, credentialId: credential.id, cloud };
}

/** A launched run whose InitializeRun step has planned its instances. */
export async function plannedRun(stack: StepStack, options: RunOptions = {}): Promise<RunWorld & { plan: RunPlan }> {
  const world = await launchRun(stack, options);
  return { ...world, plan: await initializeRun({ runId: world.runId }, stack.deps) };
}

/** Moves a run along its lifecycle, one state after the other. */
export async function moveAlong(stack: StepStack, runId: string, ...states: RunState[]): Promise<void> {
  for (const state of states) {
    if (!(await moveRun(stack.deps.table, runId, state, stack.deps.now()))) throw new Error(`run ${runId} could not move to ${state}`);
  }
}

export async function runOf(stack: StepStack, runId: string): Promise<RunDoc> {
  const run = await getRun(stack.deps.table, runId);
  if (!run) throw new Error(`run ${runId} is not in the table`);
  return run;
}

/** The run's instances by name (`db.1`, `web.2`, …). */
export async function instancesOf(stack: StepStack, runId: string): Promise<Record<string, InstanceDoc>> {
  return Object.fromEntries((await listRunInstances(stack.deps.table, runId)).map((i) => [i.name, i]));
}

/** The run's events, oldest first. */
export async function eventsOf(stack: StepStack, runId: string): Promise<{ type: string; message: string; state?: RunState }[]> {
  const prefix = keys.runEventPrefix(runId);
  const items = await queryAll(stack.deps.table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
    ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
  });
  return items.map((item) => ({ type: String(item.type), message: String(item.message), ...(item.state ? { state: item.state as RunState } : {}) }));
}

/** The tag of instance `node.index` of a run. */
export const tagOf = (runId: string, node: string, index = 1) => ({ run: runId, node, index });

/** What a rejected promise rejected with (fails the test when it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, but the promise resolved');
    },
    (error: unknown) => error as Error,
  );
}
