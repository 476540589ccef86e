/** A build ready to run on a scripted cloud: the world the build steps' and the build sweep's tests start from. */
import { expect } from 'vitest';
import { planBuild } from '#functions/runs/image-builds';
import { putBuild, type BuildDoc } from '#functions/store/builds';
import { createConnector } from '#functions/store/connectors';
import { createCredential, sealSecrets } from '#functions/store/credentials';
import { createVersioned } from '#functions/store/versioned';
import { SCRIPTED_KIND, scriptedCloud, type ScriptedCloud } from '#test/support/scripted-connector';
import type { StepStack } from './step-stack';

export interface BuildWorld {
  build: BuildDoc;
  cloud: ScriptedCloud;
  connector: string;
  owner: string;
}

export interface BuildWorldOptions {
  recipe?: string;
  /** Tells this file's worlds from another's in the same table. */
  prefix?: string;
}

let worlds = 0;

/** A scripted connector with the owner's credential, `ubuntu` (native `img-parent`) and `app` built on it, and a Pending build of `app`. */
export async function buildWorld(stack: StepStack, options: BuildWorldOptions = {}): Promise<BuildWorld> {
  const { table } = stack.deps;
  const n = `${options.prefix ?? ''}${++worlds}`;
  const owner = `usr_builder${n}`;
  const connector = `build-cloud-${n}`;
  const now = stack.deps.now();
  const at = now.toISOString();
  const cloud = scriptedCloud(connector);
  await createConnector(table, { name: connector, kind: SCRIPTED_KIND, maxIaasWorkers: 2, defaultQuotaVms: 3, settings: { pollSeconds: 2 } }, 'usr_admin', now);
  await createCredential(table, { owner, connector, kind: SCRIPTED_KIND, ...(await sealSecrets(stack.deps.cipher(), { apiKey: 'k', apiSecret: 's' })) }, now);
  const meta = { owner, version: 1, createdAt: at, updatedAt: at };
  await createVersioned(table, 'image', { ...meta, id: `img_ubuntu${n}`, name: `ubuntu-${n}`, cloudImageIds: { [connector]: 'img-parent' } });
  const app = await createVersioned(table, 'image', {
    ...meta,
    id: `img_app${n}`,
    name: `app-${n}`,
    parent: `img_ubuntu${n}`,
    recipe: options.recipe ?? 'apt-get install -y app',
    outputs: [],
  });
  const build = await planBuild(stack.deps, app, connector, { buildId: `bld_world${n}`, index: 0 });
  expect(await putBuild(table, build)).toBe(true);
  return { build, cloud, connector, owner };
}
