/* eslint-disable @typescript-eslint/no-explicit-any -- test client: response bodies are asserted field by field */
/**
 * End to end on moto's EC2: the local stack (API, Step Functions, handlers) drives
 * an `ec2` connector pointed at the peer, over HTTP as automation would, and the
 * cloud itself is read back to check what the run left there.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudInstance } from '#connectors/contract';
import { ec2Kind } from '#connectors/ec2/ec2-kind';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { createUser } from '#test/support/world';
import { startPeer, type Peer } from './support/peer';

const CONNECTOR = 'ec2-moto';
/** Well-formed, and not among moto's AMIs. */
const UNKNOWN_AMI = 'ami-0123456789abcdef0';
const RUN_TIMEOUT_MS = 120_000;

let peer: Peer;
let stack: LocalStack;
let api: ApiClient;
let admin: string;

/**
 * Every EC2 request any handler of this process sends, by command, counted where
 * the connector's client sends it (the local stack runs the handlers in-process).
 */
const sent = new Map<string, number>();
const originalSend = EC2Client.prototype.send;
function countEc2Requests(): void {
  EC2Client.prototype.send = function (this: EC2Client, ...args: Parameters<EC2Client['send']>) {
    const name = (args[0] as object).constructor.name.replace(/Command$/, '');
    sent.set(name, (sent.get(name) ?? 0) + 1);
    return originalSend.apply(this, args as never);
  } as unknown as EC2Client['send'];
}
const totalSent = () => [...sent.values()].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  // A state dir of our own: a peer someone else started from the default one is left alone.
  process.env.EC2_PEER_HOME = join(mkdtempSync(join(tmpdir(), 'slipway-ec2-stack-')), 'peer');
  peer = await startPeer('ec2', 3 * 60_000);
  // Schedules far apart: the monitor's bulk lists would blur the count of a run's own requests.
  stack = await startLocalStack({ scheduleIntervalMs: 60 * 60_000 });
  api = apiClient(stack.apiUrl);
  admin = stack.adminKey;
  const connector = await api.post('/connectors', admin, {
    name: CONNECTOR,
    kind: 'ec2',
    endpoint: peer.env.EC2_PEER_ENDPOINT,
    region: peer.env.AWS_REGION,
    defaultQuotaVms: 10,
    maxIaasWorkers: 2,
  });
  if (connector.status !== 201) throw new Error(`connector: ${connector.text}`);
  countEc2Requests();
});

afterAll(async () => {
  EC2Client.prototype.send = originalSend;
  await stack?.stop();
  await peer?.stop();
});

/** A user with a credential (the peer's key, with `secret`) and the wordpress-site deployment on `ami`. */
async function userWithSite(name: string, options: { secret?: string; ami?: string } = {}) {
  const user = await createUser(api, admin, name);
  const must = async (reply: Promise<{ status: number; text: string; body: any }>) => {
    const r = await reply;
    if (r.status >= 300) throw new Error(r.text);
    return r.body;
  };
  const secrets = { accessKeyId: peer.env.AWS_ACCESS_KEY_ID, secretAccessKey: options.secret ?? peer.env.AWS_SECRET_ACCESS_KEY };
  const credential = await must(api.post('/credentials', user.key, { connector: CONNECTOR, secrets }));
  const ami = options.ami ?? peer.env.EC2_PEER_IMAGE_ID;
  await must(api.post('/images', user.key, { name: 'ubuntu', cloudImageIds: { [CONNECTOR]: ami }, defaults: { [CONNECTOR]: { instanceType: 't3.micro' } } }));
  await must(api.post('/images', user.key, { name: 'mysql', parent: 'ubuntu', outputs: ['hostname'], readiness: 'running' }));
  await must(api.post('/images', user.key, { name: 'wordpress', parent: 'ubuntu', inputs: ['db_host'], readiness: 'running' }));
  await must(
    api.post('/deployments', user.key, {
      name: 'wordpress-site',
      nodes: [
        { name: 'db', image: 'mysql', multiplicity: 1 },
        { name: 'web', image: 'wordpress', multiplicity: 2, inputs: { db_host: 'db:hostname' } },
      ],
    }),
  );
  return { ...user, credentialId: credential.id as string };
}

/** The run's VMs that moto holds and has not terminated, read with the peer's own key. */
async function liveVmsInCloud(run: string): Promise<CloudInstance[]> {
  const config = (await api.get(`/connectors/${CONNECTOR}`, admin)).body;
  const secrets = { accessKeyId: peer.env.AWS_ACCESS_KEY_ID!, secretAccessKey: peer.env.AWS_SECRET_ACCESS_KEY! };
  const cloud = ec2Kind.open({ config, credentialId: 'test-observer', secrets }, { now: () => new Date() });
  return (await cloud.listInstances({ run })).filter((vm) => vm.state !== 'terminated');
}

const quotaUsed = async (key: string) => (await api.get('/quotas', key)).body.items.find((q: { connector: string }) => q.connector === CONNECTOR)?.used;

describe('a run of wordpress-site on moto', () => {
  let alice: Awaited<ReturnType<typeof userWithSite>>;
  let runId: string;

  beforeAll(async () => {
    alice = await userWithSite('alice');
  });

  it('reaches Ready with db.1, web.1 and web.2 running on EC2 instances', async () => {
    // Prepare
    sent.clear();
    const started = Date.now();

    // Act
    const launched = await api.post('/runs', alice.key, { deployment: 'wordpress-site', connector: CONNECTOR });
    runId = launched.body.id;
    const run = await api.waitForRun(runId, alice.key, ['Ready', 'Aborted', 'Done'], RUN_TIMEOUT_MS);
    console.log(`ec2 on moto: launch → Ready in ${Date.now() - started} ms with ${totalSent()} EC2 requests`, Object.fromEntries(sent));

    // Assess
    expect(run.state).toBe('Ready');
    expect(run.instances.map((i: { name: string }) => i.name).sort()).toEqual(['db.1', 'web.1', 'web.2']);
    for (const instance of run.instances) {
      expect(instance).toMatchObject({ state: 'running', cloudId: expect.stringMatching(/^i-[0-9a-f]+$/), ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });
    }
  });

  it("hands each web instance db.1's hostname (its address in the cloud) as db_host", async () => {
    // Act
    const instances = (await api.get(`/runs/${runId}/instances`, alice.key)).body.items;

    // Assess
    const db = instances.find((i: { name: string }) => i.name === 'db.1');
    const webs = instances.filter((i: { node: string }) => i.node === 'web');
    expect(db.parameters.hostname).toBe(db.ip);
    expect(webs.map((w: { parameters: { db_host?: string } }) => w.parameters.db_host)).toEqual([db.ip, db.ip]);
  });

  it("leaves exactly the run's three VMs in the cloud, tagged with their node and index", async () => {
    // Act
    const vms = await liveVmsInCloud(runId);

    // Assess
    const run = (await api.get(`/runs/${runId}`, alice.key)).body;
    const byCloudId = new Map(
      run.instances.map((i: { cloudId: string; node: string; index: number }) => [i.cloudId, { run: runId, node: i.node, index: i.index }]),
    );
    expect(vms).toHaveLength(3);
    for (const vm of vms) expect(vm.tag).toEqual(byCloudId.get(vm.cloudId));
  });

  it('terminates: Finalizing → Done, no VM of the run left in the cloud, quota back to 0', async () => {
    // Prepare
    expect(await quotaUsed(alice.key)).toBe(3);
    sent.clear();

    // Act
    const asked = await api.post(`/runs/${runId}/terminate`, alice.key);
    const run = await api.waitForRun(runId, alice.key, ['Done', 'Aborted'], RUN_TIMEOUT_MS);
    console.log(`ec2 on moto: terminate → Done with ${totalSent()} EC2 requests`, Object.fromEntries(sent));

    // Assess
    expect(asked.status).toBe(202);
    expect(run.state).toBe('Done');
    expect(await liveVmsInCloud(runId)).toEqual([]);
    expect(await quotaUsed(alice.key)).toBe(0);
  });
});

describe('runs the cloud refuses end Aborted and leave nothing behind', () => {
  it('aborts with an authentication failure when the credential has a wrong secret', async () => {
    // Prepare
    const bob = await userWithSite('bob', { secret: `${peer.env.AWS_SECRET_ACCESS_KEY}-wrong` });

    // Act
    const launched = await api.post('/runs', bob.key, { deployment: 'wordpress-site', connector: CONNECTOR });
    const run = await api.waitForRun(launched.body.id, bob.key, ['Ready', 'Done', 'Aborted'], RUN_TIMEOUT_MS);

    // Assess
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toMatch(/authentication failed for credential/);
    expect(run.abortReason).not.toContain(peer.env.AWS_SECRET_ACCESS_KEY);
    expect(await liveVmsInCloud(run.id)).toEqual([]);
    expect(await quotaUsed(bob.key)).toBe(0);
  });

  it('aborts naming the AMI when the image has an id moto does not know', async () => {
    // Prepare
    const carol = await userWithSite('carol', { ami: UNKNOWN_AMI });

    // Act
    const launched = await api.post('/runs', carol.key, { deployment: 'wordpress-site', connector: CONNECTOR });
    const run = await api.waitForRun(launched.body.id, carol.key, ['Ready', 'Done', 'Aborted'], RUN_TIMEOUT_MS);

    // Assess
    expect(run.state).toBe('Aborted');
    expect(run.abortReason).toContain(`image ${UNKNOWN_AMI} does not exist in ${peer.env.AWS_REGION}`);
    expect(await liveVmsInCloud(run.id)).toEqual([]);
    expect(await quotaUsed(carol.key)).toBe(0);
  });
});
