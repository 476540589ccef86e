/**
 * The preflight plan, `POST /v1/runs?dryRun=true`, over HTTP against the local
 * stack: it shows what a launch would do, changes nothing, and refuses exactly
 * what the launch then refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createSimConnector, createUser, createWordpressSite } from '#test/support/world';

let stack: LocalStack;
let api: ApiClient;
let alice: { id: string; key: string };
let bob: { id: string; key: string };

const quotaOn = async (key: string, connector: string) =>
  (await api.get('/quotas', key)).body.items.find((q: { connector: string }) => q.connector === connector) as { used: number; maxVms: number };

beforeAll(async () => {
  stack = await startLocalStack();
  api = apiClient(stack.apiUrl);
  alice = await createUser(api, stack.adminKey, 'alice');
  bob = await createUser(api, stack.adminKey, 'bob');
  await createSimConnector(api, stack.adminKey, 'sim-plan', {}, { defaultQuotaVms: 4 });
  await createSimConnector(api, stack.adminKey, 'sim-other');
  await createWordpressSite(api, alice.key, 'sim-plan');
});

afterAll(async () => {
  await stack?.stop();
});

describe('POST /v1/runs?dryRun=true', () => {
  it('shows per node the connector, credential, native image and chain, and the quota before and after, and launches nothing', async () => {
    // Prepare
    const credential = (await api.get('/credentials', alice.key)).body.items[0].id;
    const deployment = (await api.get('/deployments/wordpress-site', alice.key)).body;
    const runsBefore = (await api.get('/runs', alice.key)).body.items.length;
    // Act
    const plan = await api.post('/runs?dryRun=true', alice.key, { deployment: 'wordpress-site', connector: 'sim-plan' });
    // Assess
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ dryRun: true, deployment: deployment.id, deploymentVersion: deployment.version, launchable: true, refusals: [] });
    expect(plan.body.nodes).toEqual([
      expect.objectContaining({ node: 'db', multiplicity: 1, connector: 'sim-plan', credential, imageId: 'sim-ubuntu-22.04' }),
      expect.objectContaining({ node: 'web', multiplicity: 2, connector: 'sim-plan', credential, imageId: 'sim-ubuntu-22.04' }),
    ]);
    expect(plan.body.nodes[0].images.map((i: { version: number }) => i.version)).toEqual([1, 1]);
    expect(plan.body.quotas).toEqual([{ connector: 'sim-plan', maxVms: 4, usedBefore: 0, needs: 3, usedAfter: 3 }]);
    expect((await api.get('/runs', alice.key)).body.items).toHaveLength(runsBefore);
    expect((await quotaOn(alice.key, 'sim-plan')).used).toBe(0);
  });

  it('lists the refusals of a launch that cannot go ahead, and the launch then ends Aborted naming the same', async () => {
    // Prepare: 5 web VMs + 1 db exceed alice's quota of 4.
    const request = { deployment: 'wordpress-site', connector: 'sim-plan', nodes: { web: { multiplicity: 5 } } };
    // Act
    const plan = await api.post('/runs?dryRun=true', alice.key, request);
    const launched = await api.post('/runs', alice.key, request);
    const run = await api.waitForRun(launched.body.id, alice.key, ['Ready', 'Aborted']);
    // Assess
    expect(plan.body.launchable).toBe(false);
    expect(plan.body.refusals).toEqual(['quota exceeded on sim-plan: 0 of 4 VMs in use, this run needs 6']);
    expect(plan.body.quotas).toEqual([{ connector: 'sim-plan', maxVms: 4, usedBefore: 0, needs: 6, usedAfter: 6 }]);
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toContain(plan.body.refusals[0]);
  });

  it('refuses a node whose image has no native id on the connector, and a connector the user has no credential for', async () => {
    // Act
    const plan = await api.post('/runs?dryRun=true', alice.key, { deployment: 'wordpress-site', connector: 'sim-other' });
    // Assess
    expect(plan.status).toBe(200);
    expect(plan.body.launchable).toBe(false);
    expect(plan.body.nodes).toEqual([]);
    expect(plan.body.refusals).toEqual([
      'node "db": image has no native id for connector "sim-other"',
      'node "web": image has no native id for connector "sim-other"',
    ]);
  });

  it('answers bad input with the same 400 as a launch, listing every bad field', async () => {
    // Prepare
    const request = { deployment: 'wordpress-site', connector: 'nowhere', nodes: { cache: { multiplicity: 1 } } };
    // Act
    const plan = await api.post('/runs?dryRun=true', alice.key, request);
    const launch = await api.post('/runs', alice.key, request);
    // Assess
    expect(plan.status).toBe(400);
    expect(plan.body.errors).toEqual(launch.body.errors);
    expect(plan.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.connector', 'body.nodes.cache']);
  });

  it("does not show another user's deployment", async () => {
    // Act
    const plan = await api.post('/runs?dryRun=true', bob.key, { deployment: 'wordpress-site', connector: 'sim-plan' });
    // Assess
    expect(plan.status).toBe(400);
    expect(plan.body.errors).toEqual([{ path: 'body.deployment', message: 'no deployment "wordpress-site"' }]);
  });

  it('refuses a dryRun value other than true or false', async () => {
    // Act
    const plan = await api.post('/runs?dryRun=yes', alice.key, { deployment: 'wordpress-site', connector: 'sim-plan' });
    // Assess
    expect(plan.status).toBe(400);
    expect(plan.body.errors[0].path).toBe('query.dryRun');
  });
});
