/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP bodies are asserted field by field */
/**
 * Deletes never strand a VM or break what refers to the deleted resource: a connector
 * or credential that live runs need is refused (409, naming the runs), so is a connector
 * with credentials, and an image that deployments or other images use; a deployment
 * may go while its runs live, since runs read the versions they recorded. Over HTTP
 * against the local stack (every response checked against the OpenAPI document).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser } from '#test/support/world';

let stack: LocalStack;
let api: ApiClient;
let admin: string;

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  api = apiClient(stack.apiUrl);
  admin = stack.adminKey;
});

afterAll(async () => {
  await stack?.stop();
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

async function must(reply: Promise<{ status: number; text: string; body: any }>): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

/** A user with a credential on a connector of their own, a one-VM image and a deployment of it. */
async function world() {
  const user = await createUser(api, admin, unique('user'));
  const connector = (await createSimConnector(api, admin, unique('sim'))).name as string;
  const credential = await must(api.post('/credentials', user.key, { connector, secrets: { apiKey: 'demo', apiSecret: 'not-a-secret' } }));
  const image = await must(api.post('/images', user.key, { name: unique('base'), cloudImageIds: { [connector]: 'sim-ubuntu-22.04' } }));
  const deployment = await must(api.post('/deployments', user.key, { name: unique('site'), nodes: [{ name: 'vm', image: image.id }] }));
  return { user, connector, credential, image, deployment };
}

type World = Awaited<ReturnType<typeof world>>;

async function readyRun(w: World): Promise<any> {
  const launched = await must(api.post('/runs', w.user.key, { deployment: w.deployment.id, connector: w.connector }));
  return api.waitForRun(launched.id, w.user.key, ['Ready', 'Aborted']);
}

async function terminated(w: World, runId: string): Promise<any> {
  await must(api.post(`/runs/${runId}/terminate`, w.user.key));
  return api.waitForRun(runId, w.user.key, ['Done', 'Aborted']);
}

describe('deleting a connector', () => {
  it('is refused with 409 naming the live run that needs it', async () => {
    // Prepare
    const w = await world();
    const run = await readyRun(w);

    // Act
    const deleted = await api.delete(`/connectors/${w.connector}`, admin);

    // Assess
    expect(deleted.status).toBe(409);
    expect(deleted.body.detail).toContain(`1 live run(s) (${run.id})`);
    expect((await api.get(`/connectors/${w.connector}`, admin)).status).toBe(200);
  });

  it('that was refused leaves the run able to terminate every VM it made', async () => {
    // Prepare
    const w = await world();
    const run = await readyRun(w);
    await api.delete(`/connectors/${w.connector}`, admin);

    // Act
    const ended = await terminated(w, run.id);

    // Assess
    expect(ended.state).toBe('Done');
    expect(ended.instances.map((i: any) => i.state)).toEqual(['terminated']);
  });

  it('is refused with 409 naming the credentials stored for it', async () => {
    // Prepare
    const w = await world();

    // Act
    const deleted = await api.delete(`/connectors/${w.connector}`, admin);

    // Assess
    expect(deleted.status).toBe(409);
    expect(deleted.body.detail).toContain(`1 credential(s) (${w.credential.id})`);
  });

  it('goes once its runs ended and its credentials were deleted', async () => {
    // Prepare
    const w = await world();
    await terminated(w, (await readyRun(w)).id);
    await must(api.delete(`/credentials/${w.credential.id}`, w.user.key));

    // Act
    const deleted = await api.delete(`/connectors/${w.connector}`, admin);

    // Assess
    expect(deleted.status).toBe(204);
    expect((await api.get(`/connectors/${w.connector}`, admin)).status).toBe(404);
  });
});

describe('deleting a credential', () => {
  it('is refused with 409 naming the live run that needs it, and the run still terminates its VM', async () => {
    // Prepare
    const w = await world();
    const run = await readyRun(w);

    // Act
    const deleted = await api.delete(`/credentials/${w.credential.id}`, w.user.key);
    const ended = await terminated(w, run.id);

    // Assess
    expect(deleted.status).toBe(409);
    expect(deleted.body.detail).toContain(`1 live run(s) (${run.id})`);
    expect(ended.state).toBe('Done');
  });

  it('goes once no live run needs it', async () => {
    // Prepare
    const w = await world();
    await terminated(w, (await readyRun(w)).id);

    // Act
    const deleted = await api.delete(`/credentials/${w.credential.id}`, w.user.key);

    // Assess
    expect(deleted.status).toBe(204);
  });
});

describe('deleting an image', () => {
  it('is refused with 409 naming the deployment that uses it', async () => {
    // Prepare
    const w = await world();

    // Act
    const deleted = await api.delete(`/images/${w.image.id}`, w.user.key);

    // Assess
    expect(deleted.status).toBe(409);
    expect(deleted.body.detail).toContain(`1 deployment(s) (${w.deployment.id})`);
    expect((await api.get(`/images/${w.image.id}`, w.user.key)).status).toBe(200);
  });

  it('is refused with 409 naming the images that inherit from it', async () => {
    // Prepare
    const w = await world();
    const child = await must(api.post('/images', w.user.key, { name: unique('child'), parent: w.image.id, recipe: 'echo hi' }));
    await must(api.delete(`/deployments/${w.deployment.id}`, w.user.key));

    // Act
    const deleted = await api.delete(`/images/${w.image.id}`, w.user.key);

    // Assess
    expect(deleted.status).toBe(409);
    expect(deleted.body.detail).toContain(`1 child image(s) (${child.id})`);
  });

  it('leaves its children usable in new deployments (the delete that used to break them is refused)', async () => {
    // Prepare
    const w = await world();
    const child = await must(api.post('/images', w.user.key, { name: unique('child'), parent: w.image.id }));
    await api.delete(`/images/${w.image.id}`, w.user.key);

    // Act
    const created = await api.post('/deployments', w.user.key, { name: unique('site'), nodes: [{ name: 'vm', image: child.id }] });

    // Assess
    expect(created.status).toBe(201);
  });

  it('goes once the deployment that used it points at another image', async () => {
    // Prepare
    const w = await world();
    const other = await must(api.post('/images', w.user.key, { name: unique('other'), cloudImageIds: { [w.connector]: 'sim-ubuntu-24.04' } }));
    await must(api.put(`/deployments/${w.deployment.id}`, w.user.key, { name: w.deployment.name, nodes: [{ name: 'vm', image: other.id }], version: 1 }));

    // Act
    const deleted = await api.delete(`/images/${w.image.id}`, w.user.key);

    // Assess
    expect(deleted.status).toBe(204);
  });

  it('goes once the child that inherited from it changed parent', async () => {
    // Prepare
    const w = await world();
    const other = await must(api.post('/images', w.user.key, { name: unique('other') }));
    const child = await must(api.post('/images', w.user.key, { name: unique('child'), parent: w.image.id }));
    await must(api.put(`/images/${child.id}`, w.user.key, { name: child.name, parent: other.id, version: 1 }));
    await must(api.delete(`/deployments/${w.deployment.id}`, w.user.key));

    // Act
    const deleted = await api.delete(`/images/${w.image.id}`, w.user.key);

    // Assess
    expect(deleted.status).toBe(204);
  });
});

describe('deleting a deployment', () => {
  it('is allowed while a run of it is live, and the run still terminates as it was launched', async () => {
    // Prepare
    const w = await world();
    const run = await readyRun(w);

    // Act
    const deleted = await api.delete(`/deployments/${w.deployment.id}`, w.user.key);
    const ended = await terminated(w, run.id);

    // Assess
    expect(deleted.status).toBe(204);
    expect(ended.state).toBe('Done');
    expect(ended.deploymentVersion).toBe(1);
  });

  it('lets go of the images it used', async () => {
    // Prepare
    const w = await world();
    await must(api.delete(`/deployments/${w.deployment.id}`, w.user.key));

    // Act
    const deleted = await api.delete(`/images/${w.image.id}`, w.user.key);

    // Assess
    expect(deleted.status).toBe(204);
  });
});
