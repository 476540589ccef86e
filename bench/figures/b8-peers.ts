/**
 * B8 (`--peers`) — the same 3-VM deployment (db + 2 web) on the OpenStack and EC2
 * peers (../shared/peers, real third-party clouds on 127.0.0.1): launch → Ready and
 * cloud calls per run, against the peer's own create-to-running time for the same
 * three VMs, measured straight through the connector (create all, poll the
 * listing every 250 ms), interleaved with the runs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { ConnectorConfig, ConnectorKind } from '#connectors/contract';
import { ec2Kind } from '#connectors/ec2/ec2-kind';
import { openstackKind } from '#connectors/openstack/openstack-kind';
import { startPeer, type Peer } from '#test/peers/support/peer';
import { stateEvents, user } from '../support/api';
import { executionEnded, runExecutionArn } from '../support/histories';
import type { BenchStack } from '../support/bench-stack';
import { ms, pass, type FigureResult, type Row } from '../support/report';
import { terminateRun } from '../support/runs';
import { median, pool, round, sleep } from '../support/stats';

export const B8 = { repetitions: 3, workers: 3 } as const;

interface PeerSetup {
  name: 'openstack' | 'ec2';
  kind: ConnectorKind;
  startTimeoutMs: number;
  config(env: Record<string, string>): ConnectorConfig;
  secrets(env: Record<string, string>): Record<string, string>;
  image(env: Record<string, string>): { imageId: string; instanceType: string };
}

const PEERS: PeerSetup[] = [
  {
    name: 'ec2',
    kind: ec2Kind,
    startTimeoutMs: 3 * 60_000,
    config: (env) => ({
      name: 'bench-ec2',
      kind: 'ec2',
      endpoint: env.EC2_PEER_ENDPOINT,
      region: env.AWS_REGION,
      maxIaasWorkers: B8.workers,
      defaultQuotaVms: 100,
      settings: {},
    }),
    secrets: (env) => ({ accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! }),
    image: (env) => ({ imageId: env.EC2_PEER_IMAGE_ID!, instanceType: 't3.micro' }),
  },
  {
    name: 'openstack',
    kind: openstackKind,
    startTimeoutMs: 10 * 60_000,
    config: (env) => ({
      name: 'bench-openstack',
      kind: 'openstack',
      endpoint: env.OS_AUTH_URL,
      region: env.OS_REGION_NAME,
      maxIaasWorkers: B8.workers,
      defaultQuotaVms: 100,
      settings: { networkId: env.OS_PEER_NETWORK_ID },
    }),
    secrets: (env) => ({ username: env.OS_USERNAME!, password: env.OS_PASSWORD!, projectName: env.OS_PROJECT_NAME! }),
    image: (env) => ({ imageId: env.OS_PEER_IMAGE_ID!, instanceType: env.OS_PEER_FLAVOR_ID! }),
  },
];

const NODES = [
  { node: 'db', index: 1 },
  { node: 'web', index: 1 },
  { node: 'web', index: 2 },
];

/** HTTP requests to the peers, counted where the connectors send them (EC2 SDK client; fetch for OpenStack). */
function countRequests(origins: () => string[]) {
  const counter = { count: 0 };
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (origins().includes(new URL(url).origin)) counter.count++;
    return realFetch(input, init);
  };
  const realSend = EC2Client.prototype.send;
  EC2Client.prototype.send = function (this: EC2Client, ...args: Parameters<EC2Client['send']>) {
    counter.count++;
    return realSend.apply(this, args as never);
  } as unknown as EC2Client['send'];
  return { counter, restore: () => ((globalThis.fetch = realFetch), (EC2Client.prototype.send = realSend)) };
}

let references = 0;

/** The cloud's own time: three creates at once, then the listing until all three run. */
async function ownTime(setup: PeerSetup, env: Record<string, string>): Promise<number> {
  const cloud = setup.kind.open({ config: setup.config(env), credentialId: 'bench-reference', secrets: setup.secrets(env) }, { now: () => new Date() });
  const run = `benchref${++references}${Date.now().toString(36)}`;
  const { imageId, instanceType } = setup.image(env);
  const started = performance.now();
  const made = await pool(B8.workers, NODES.length, (i) =>
    cloud.createInstance({
      tag: { run, ...NODES[i]! },
      name: `${NODES[i]!.node}.${NODES[i]!.index}`,
      imageId,
      instanceType,
      boot: { outputs: [], inputs: {}, readiness: 'running' },
    }),
  );
  let elapsed = Number.NaN;
  for (let polls = 0; polls < 1200; polls++) {
    const vms = await cloud.listInstances({ run });
    if (vms.filter((vm) => vm.state === 'running').length >= NODES.length) {
      elapsed = performance.now() - started;
      break;
    }
    await sleep(250);
  }
  await Promise.all(made.map((vm) => cloud.terminateInstance(vm.cloudId)));
  if (Number.isNaN(elapsed)) throw new Error(`${setup.name}: the reference VMs were not all running after 5 minutes`);
  return elapsed;
}

async function measurePeer(b: BenchStack, setup: PeerSetup, peer: Peer): Promise<{ rows: Row[]; details: unknown }> {
  const env = peer.env;
  const config = setup.config(env);
  await b.api.must('POST', '/connectors', b.adminKey, {
    name: config.name,
    kind: config.kind,
    endpoint: config.endpoint,
    region: config.region,
    maxIaasWorkers: config.maxIaasWorkers,
    defaultQuotaVms: config.defaultQuotaVms,
    settings: config.settings,
  });
  const u = await user(b.api, b.adminKey, `bench-${setup.name}`);
  await b.api.must('POST', '/credentials', u.key, { connector: config.name, secrets: setup.secrets(env) });
  const { imageId, instanceType } = setup.image(env);
  await b.api.must('POST', '/images', u.key, { name: 'ubuntu', cloudImageIds: { [config.name]: imageId }, defaults: { [config.name]: { instanceType } } });
  await b.api.must('POST', '/images', u.key, { name: 'mysql', parent: 'ubuntu', outputs: ['hostname'], readiness: 'running' });
  await b.api.must('POST', '/images', u.key, { name: 'wordpress', parent: 'ubuntu', inputs: ['db_host'], readiness: 'running' });
  await b.api.must('POST', '/deployments', u.key, {
    name: 'wordpress-site',
    nodes: [
      { name: 'db', image: 'mysql', multiplicity: 1 },
      { name: 'web', image: 'wordpress', multiplicity: 2, inputs: { db_host: 'db:hostname' } },
    ],
  });
  const origins = [env.OS_AUTH_URL, env.OS_PEER_COMPUTE_URL, env.EC2_PEER_ENDPOINT].filter(Boolean).map((url) => new URL(url!).origin);
  const http = countRequests(() => origins);
  try {
    /** Launches the site and waits for the deploy execution to end; launch → Ready from the run's events. */
    const launchSite = async () => {
      const launchedAt = Date.now();
      const runId = (await b.api.must('POST', '/runs', u.key, { deployment: 'wordpress-site', connector: config.name })).id as string;
      await executionEnded(b.sfn, runExecutionArn('deploy', runId), 300_000);
      const ready = (await stateEvents(b.api, u.key, runId)).find((e) => e.state === 'Ready');
      return { runId, toReadyMs: ready ? ready.at - launchedAt : Number.NaN };
    };
    // Warm-up: a reference create and one run, not counted.
    await ownTime(setup, env);
    await terminateRun(b, u.key, (await launchSite()).runId, 300_000);
    const reps = [];
    for (let rep = 0; rep < B8.repetitions; rep++) {
      const own = await ownTime(setup, env);
      const callsMark = b.cloudCalls.mark();
      const requestsBefore = http.counter.count;
      const { runId, toReadyMs } = await launchSite();
      const calls = b.cloudCalls.since(callsMark).filter((c) => c.kind === setup.kind.kind);
      const requests = http.counter.count - requestsBefore;
      await terminateRun(b, u.key, runId, 300_000);
      reps.push({
        runId,
        toReadyMs,
        ownMs: own,
        cloudCalls: calls.length,
        byMethod: Object.fromEntries(['createInstance', 'listInstances', 'terminateInstance'].map((m) => [m, calls.filter((c) => c.method === m).length])),
        httpRequests: requests,
      });
    }
    const toReady = median(reps.map((r) => r.toReadyMs));
    const own = median(reps.map((r) => r.ownMs));
    const ratio = median(reps.map((r) => r.toReadyMs / r.ownMs));
    return {
      rows: [
        {
          id: 'B8',
          figure: `${setup.name} peer: 3-VM deployment launch → Ready (median of ${B8.repetitions})`,
          measured: `${ms(toReady)}; ${median(reps.map((r) => r.cloudCalls))} connector calls, ${median(reps.map((r) => r.httpRequests))} HTTP requests per run (to Ready)`,
          reference: `peer's own create → running ${ms(own)}; ${round(ratio)}×`,
          budget: "≤ 1.25 × the peer's own time",
          status: pass(ratio <= 1.25),
        },
      ],
      details: reps,
    };
  } finally {
    http.restore();
  }
}

export async function measureB8(b: BenchStack): Promise<Omit<FigureResult, 'seconds'>> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  process.env.EC2_PEER_HOME ??= join(mkdtempSync(join(tmpdir(), 'slipway-bench-ec2-')), 'peer');
  for (const setup of PEERS) {
    let peer: Peer | undefined;
    try {
      const started = performance.now();
      peer = await startPeer(setup.name, setup.startTimeoutMs);
      details[`${setup.name}StartSeconds`] = round((performance.now() - started) / 1000, 1);
      const measured = await measurePeer(b, setup, peer);
      rows.push(...measured.rows);
      details[setup.name] = measured.details;
    } catch (error) {
      rows.push({
        id: 'B8',
        figure: `${setup.name} peer`,
        measured: `not measured: ${(error as Error).message.slice(0, 200)}`,
        reference: '—',
        budget: "≤ 1.25 × the peer's own time",
        status: 'ERROR',
      });
    } finally {
      await peer?.stop().catch(() => undefined);
    }
  }
  return { id: 'B8', title: 'peers', rows, details };
}
