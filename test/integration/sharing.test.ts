/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP bodies are asserted field by field */
/**
 * Sharing images and deployments with named users: `read` shows it, `run` also launches
 * runs of a deployment (the grantee's own runs) or builds on an image; neither changes
 * or deletes it. Over HTTP against the local stack, every response checked against the
 * OpenAPI document. Who gets which status on every route is in tenancy-matrix.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser } from '#test/support/world';

let stack: LocalStack;
let api: ApiClient;
let admin: string;
const CONNECTOR = 'sim-shared';

beforeAll(async () => {
  stack = await startLocalStack({ scheduleIntervalMs: 500 });
  api = apiClient(stack.apiUrl);
  admin = stack.adminKey;
  await createSimConnector(api, admin, CONNECTOR);
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

/** A user with a credential for the shared connector. */
async function userWithCredential() {
  const user = await createUser(api, admin, unique('user'));
  await must(api.post('/credentials', user.key, { connector: CONNECTOR, secrets: { apiKey: 'demo', apiSecret: 'not-a-secret' } }));
  return user;
}

/** An owner's image and one-node deployment of it. */
async function owned() {
  const owner = await userWithCredential();
  const image = await must(api.post('/images', owner.key, { name: unique('base'), cloudImageIds: { [CONNECTOR]: 'sim-ubuntu-22.04' } }));
  const deployment = await must(api.post('/deployments', owner.key, { name: unique('site'), nodes: [{ name: 'vm', image: image.id }] }));
  return { owner, image, deployment };
}

const share = (key: string, what: string, user: string, access: 'read' | 'run') => api.put(`/${what}/grants`, key, { user, access });

describe('a deployment shared to run', () => {
  it('is readable by the grantee, by id', async () => {
    // Prepare
    const { owner, deployment } = await owned();
    const grantee = await userWithCredential();
    await must(share(owner.key, `deployments/${deployment.id}`, grantee.id, 'run'));

    // Act
    const read = await api.get(`/deployments/${deployment.id}`, grantee.key);

    // Assess
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: deployment.id, owner: owner.id });
  });

  it('runs for the grantee: the run is theirs, with their credential, and the owner does not see it', async () => {
    // Prepare
    const { owner, deployment } = await owned();
    const grantee = await userWithCredential();
    await must(share(owner.key, `deployments/${deployment.id}`, grantee.id, 'run'));

    // Act
    const launched = await api.post('/runs', grantee.key, { deployment: deployment.id, connector: CONNECTOR });
    const run = await api.waitForRun(launched.body.id, grantee.key, ['Ready', 'Aborted']);

    // Assess
    expect(launched.status).toBe(201);
    expect(run).toMatchObject({ state: 'Ready', owner: grantee.id, deployment: deployment.id });
    expect((await api.get(`/runs/${run.id}`, owner.key)).status).toBe(404);
    await must(api.post(`/runs/${run.id}/terminate`, grantee.key));
    expect((await api.waitForRun(run.id, grantee.key, ['Done', 'Aborted'])).state).toBe('Done');
  });

  it('cannot be changed, deleted or re-shared by the grantee (403)', async () => {
    // Prepare
    const { owner, deployment } = await owned();
    const grantee = await userWithCredential();
    await must(share(owner.key, `deployments/${deployment.id}`, grantee.id, 'run'));

    // Act
    const statuses = [
      (await api.put(`/deployments/${deployment.id}`, grantee.key, { name: deployment.name, nodes: deployment.nodes, version: 1 })).status,
      (await api.delete(`/deployments/${deployment.id}`, grantee.key)).status,
      (await share(grantee.key, `deployments/${deployment.id}`, grantee.id, 'run')).status,
      (await api.get(`/deployments/${deployment.id}/grants`, grantee.key)).status,
    ];

    // Assess
    expect(statuses).toEqual([403, 403, 403, 403]);
    expect((await api.get(`/deployments/${deployment.id}`, owner.key)).body.version).toBe(1);
  });
});

describe('a deployment shared to read', () => {
  it('is readable but cannot be launched by the grantee', async () => {
    // Prepare
    const { owner, deployment } = await owned();
    const reader = await userWithCredential();
    await must(share(owner.key, `deployments/${deployment.id}`, reader.id, 'read'));

    // Act
    const read = await api.get(`/deployments/${deployment.id}`, reader.key);
    const launched = await api.post('/runs', reader.key, { deployment: deployment.id, connector: CONNECTOR });

    // Assess
    expect(read.status).toBe(200);
    expect(launched.status).toBe(400);
    expect(launched.body.errors.map((e: any) => e.path)).toEqual(['body.deployment']);
  });
});

describe('an image shared to run', () => {
  it("can be used in the grantee's own deployment, which they run", async () => {
    // Prepare
    const { owner, image } = await owned();
    const grantee = await userWithCredential();
    await must(share(owner.key, `images/${image.id}`, grantee.id, 'run'));

    // Act
    const created = await api.post('/deployments', grantee.key, { name: unique('mine'), nodes: [{ name: 'vm', image: image.id }] });
    const launched = await must(api.post('/runs', grantee.key, { deployment: created.body.id, connector: CONNECTOR }));
    const run = await api.waitForRun(launched.id, grantee.key, ['Ready', 'Aborted']);

    // Assess
    expect(created.status).toBe(201);
    expect(run.state).toBe('Ready');
    await must(api.post(`/runs/${run.id}/terminate`, grantee.key));
    await api.waitForRun(run.id, grantee.key, ['Done', 'Aborted']);
  });

  it("cannot be deleted by its owner while the grantee's deployment uses it (409 names it)", async () => {
    // Prepare
    const { owner, image, deployment } = await owned();
    const grantee = await userWithCredential();
    await must(share(owner.key, `images/${image.id}`, grantee.id, 'run'));
    await must(api.delete(`/deployments/${deployment.id}`, owner.key));
    const theirs = await must(api.post('/deployments', grantee.key, { name: unique('mine'), nodes: [{ name: 'vm', image: image.id }] }));

    // Act
    const deleted = await api.delete(`/images/${image.id}`, owner.key);

    // Assess
    expect(deleted.status).toBe(409);
    expect(deleted.body.detail).toContain(theirs.id);
  });
});

describe('an image shared to read', () => {
  it('is readable but cannot be built on or used in a deployment', async () => {
    // Prepare
    const { owner, image } = await owned();
    const reader = await userWithCredential();
    await must(share(owner.key, `images/${image.id}`, reader.id, 'read'));

    // Act
    const read = await api.get(`/images/${image.id}`, reader.key);
    const child = await api.post('/images', reader.key, { name: unique('child'), parent: image.id });
    const deployment = await api.post('/deployments', reader.key, { name: unique('mine'), nodes: [{ name: 'vm', image: image.id }] });

    // Assess
    expect(read.status).toBe(200);
    expect(child.status).toBe(400);
    expect(deployment.status).toBe(400);
  });
});

describe('grants', () => {
  it('are listed for the owner', async () => {
    // Prepare
    const { owner, image } = await owned();
    const [reader, runner] = [await userWithCredential(), await userWithCredential()];
    await must(share(owner.key, `images/${image.id}`, reader.id, 'read'));
    await must(share(owner.key, `images/${image.id}`, runner.id, 'run'));

    // Act
    const listed = await api.get(`/images/${image.id}/grants`, owner.key);

    // Assess
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((g: any) => [g.user, g.access]).sort()).toEqual(
      [
        [reader.id, 'read'],
        [runner.id, 'run'],
      ].sort(),
    );
  });

  it('once revoked, hide the resource from the grantee again (404)', async () => {
    // Prepare
    const { owner, deployment } = await owned();
    const grantee = await userWithCredential();
    await must(share(owner.key, `deployments/${deployment.id}`, grantee.id, 'run'));

    // Act
    const revoked = await api.delete(`/deployments/${deployment.id}/grants/${grantee.id}`, owner.key);

    // Assess
    expect(revoked.status).toBe(204);
    expect((await api.get(`/deployments/${deployment.id}`, grantee.key)).status).toBe(404);
  });

  it('name an existing user other than the owner (400 otherwise)', async () => {
    // Prepare
    const { owner, image } = await owned();

    // Act
    const unknown = await share(owner.key, `images/${image.id}`, 'usr_nobody', 'read');
    const self = await share(owner.key, `images/${image.id}`, owner.id, 'read');

    // Assess
    expect([unknown.status, self.status]).toEqual([400, 400]);
  });

  it('never show the resource to anyone else (404)', async () => {
    // Prepare
    const { owner, image } = await owned();
    const [grantee, stranger] = [await userWithCredential(), await userWithCredential()];
    await must(share(owner.key, `images/${image.id}`, grantee.id, 'run'));

    // Act
    const read = await api.get(`/images/${image.id}`, stranger.key);

    // Assess
    expect(read.status).toBe(404);
  });
});
