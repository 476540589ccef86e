/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field, as in test/support/http-client */
/**
 * The trust issue's crash proof: `npm start` is SIGKILLed — the whole process group,
 * DynamoDB Local's JVM included — at 20 seeded moments while a batch of runs deploys
 * (some of them terminated by their user meanwhile), and started again on the same
 * SLIPWAY_HOME each time. After the last restart every run must converge, no VM may
 * have been made twice, none may leak, and the quota must count each VM once.
 *
 * Replay with the seed it printed: `SOAK_SEED=<seed> npm run test:soak -- crash`.
 * `CRASH_KILLS` (default 20) and `CRASH_RUNS` (default 60) size it; `CRASH_KEEP_HOME=1`
 * keeps the data directory and the product's logs for a post-mortem.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecretToken } from '#functions/commons/api-keys';
import { freePort } from '#infra/local/dynamodb';
import { apiClient, type ApiClient, type Reply } from '#test/support/http-client';
import { eventLogProblem, isFinal } from './support/lifecycle';
import { seededRandom, seedFromEnv, sleep } from './support/seeded';
import { simCloud, vmsPerTag, type SimVm } from './support/sim-cloud';
import { killProcessGroup, startSlipway, type SlipwayProcess } from './support/slipway-process';
import { listAllRuns, listRunEvents, persistently, pollRun, setUpWorld, WORDPRESS_INSTANCES, type SoakUser, type SoakWorld } from './support/slipway';

const SEED = seedFromEnv('SOAK_SEED', 20_261_201);
const KILLS = seedFromEnv('CRASH_KILLS', 20);
const RUNS = seedFromEnv('CRASH_RUNS', 60);
const CONNECTOR = 'crash-sim';
/** Share of runs whose user asks to terminate them at a random moment after launch. */
const TERMINATED_SHARE = 0.2;
/** How long runs get to converge after the last restart, and to end once terminated. */
const CONVERGENCE_BOUND_MS = 240_000;

interface Snapshot {
  runs: any[];
  vms: SimVm[];
  /** `user#connector` → quota `used`. */
  quotaUsed: Map<string, number | undefined>;
}

let home: string;
let slipway: SlipwayProcess | undefined;
let api: ApiClient;
let world: SoakWorld;
let converged: Snapshot;
let ended: Snapshot;
const eventProblems: string[] = [];
const launched: { id: string; user: SoakUser; terminateAfterMs?: number }[] = [];
const kills: { afterMs: number; restartMs: number }[] = [];
const figures: Record<string, unknown> = {};

/** A launch that survives the process dying under it: retried with the same Idempotency-Key until it answers 201. */
async function launchThroughCrashes(user: SoakUser, n: number): Promise<string> {
  const deadline = Date.now() + 180_000;
  let last: Reply | unknown;
  while (Date.now() < deadline) {
    try {
      last = await api.post(
        '/runs',
        user.key,
        { deployment: 'wordpress-site', connector: CONNECTOR, tags: { crash: String(n) } },
        { 'Idempotency-Key': `crash-${SEED}-${n}` },
      );
      if ((last as Reply).status === 201) return (last as Reply).body.id;
      // 409: the first attempt's key is still held (it died with the process); 5xx: a restart.
      if ((last as Reply).status !== 409 && (last as Reply).status < 500) throw new Error(`launch ${n}: ${(last as Reply).status} ${(last as Reply).text}`);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      last = error;
    }
    await sleep(500);
  }
  throw new Error(`launch ${n} got no 201 within 180 s`, { cause: last });
}

async function terminateThroughCrashes(id: string, user: SoakUser): Promise<number> {
  const reply = await persistently(() => api.post(`/runs/${id}/terminate`, user.key), 180_000);
  if (reply.status === 202) return 202;
  const run = await persistently(() => api.get(`/runs/${id}`, user.key)).then((r) => r.body);
  if (reply.status !== 200 || !(isFinal(run.state) || run.state === 'Finalizing'))
    throw new Error(`terminate of ${id} (${run.state}): ${reply.status} ${reply.text}`);
  return 200;
}

async function snapshot(): Promise<Snapshot> {
  const cloud = simCloud(slipway!.dynamoDbEndpoint);
  try {
    const runs = (await Promise.all(world.users.map((u) => listAllRuns(api, u.key)))).flat();
    const vms = await cloud.listAll(world.accounts);
    const quotaUsed = new Map<string, number | undefined>();
    for (const user of world.users) {
      const items = (await api.get('/quotas', user.key)).body.items as { connector: string; used: number }[];
      quotaUsed.set(`${user.id}#${CONNECTOR}`, items.find((q) => q.connector === CONNECTOR)?.used);
    }
    return { runs, vms, quotaUsed };
  } finally {
    cloud.close();
  }
}

async function waitForAll(done: (run: any) => boolean, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  for (const user of world.users) {
    for (const run of await listAllRuns(api, user.key)) {
      if (!done(run)) await pollRun(api, user.key, run.id, done, Math.max(0, deadline - Date.now()));
    }
  }
}

const liveVms = (vms: SimVm[]) => vms.filter((vm) => vm.state !== 'terminated');
const keyOf = (run: { owner: string }) => world.users.find((u) => u.id === run.owner)!.key;

beforeAll(async () => {
  // Prepare: a fresh SLIPWAY_HOME, a free port, the admin key; two users with the wordpress-site deployment.
  const started = Date.now();
  home = mkdtempSync(join(tmpdir(), 'slipway-crash-'));
  const options = {
    home,
    port: await freePort(),
    adminKey: newSecretToken('slw'),
    scheduleIntervalMs: 1000,
    logFile: join(home, 'slipway.log'),
  };
  slipway = await startSlipway(options);
  api = apiClient(slipway.apiUrl);
  world = await setUpWorld(api, options.adminKey, ['dan', 'eva'], [{ name: CONNECTOR, settings: { bootSeconds: 2, seed: SEED, transientFailureRate: 0.2 } }]);

  // Act: launch the batch while the process is killed and restarted at seeded moments.
  const chaosRandom = seededRandom(SEED);
  const clientRandom = seededRandom(SEED + 1);
  const terminations: Promise<number>[] = [];
  const client = async () => {
    for (let n = 0; n < RUNS; n++) {
      await sleep(clientRandom.int(200, 2500));
      const user = world.users[n % world.users.length]!;
      const terminateAfterMs = clientRandom.next() < TERMINATED_SHARE ? clientRandom.int(0, 10_000) : undefined;
      const id = await launchThroughCrashes(user, n);
      launched.push({ id, user, terminateAfterMs });
      if (terminateAfterMs !== undefined) terminations.push(sleep(terminateAfterMs).then(() => terminateThroughCrashes(id, user)));
    }
  };
  const chaos = async () => {
    for (let k = 0; k < KILLS; k++) {
      const afterMs = chaosRandom.int(1000, 8000);
      await sleep(afterMs);
      await killProcessGroup(slipway!.pgid);
      slipway = undefined;
      slipway = await startSlipway(options);
      kills.push({ afterMs, restartMs: slipway.startMs });
    }
  };
  await Promise.all([client(), chaos()]);
  const terminateAnswers = await Promise.all(terminations);

  // After the last restart: every run converges; then the Ready ones are terminated and everything ends.
  await waitForAll((r) => r.state === 'Ready' || isFinal(r.state), CONVERGENCE_BOUND_MS);
  converged = await snapshot();
  for (const run of converged.runs.filter((r) => r.state === 'Ready'))
    await terminateThroughCrashes(
      run.id,
      world.users.find((u) => u.id === run.owner)!,
    );
  await waitForAll((r) => isFinal(r.state), CONVERGENCE_BOUND_MS);
  ended = await snapshot();
  for (const run of ended.runs) {
    const states = (await listRunEvents(api, keyOf(run), run.id)).filter((e) => e.state).map((e) => e.state!);
    const problem = eventLogProblem(run.state, states);
    if (problem) eventProblems.push(`${run.id}: ${problem}`);
  }

  const count = (runs: any[]) => runs.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.state]: (acc[r.state] ?? 0) + 1 }), {});
  Object.assign(figures, {
    seed: SEED,
    kills: kills.length,
    killedAfterMs: kills.map((k) => k.afterMs),
    restartMs: kills.map((k) => k.restartMs),
    runsLaunched: launched.length,
    runsListed: converged.runs.length,
    terminatedByUser: { 202: terminateAnswers.filter((s) => s === 202).length, 200: terminateAnswers.filter((s) => s === 200).length },
    convergedAs: count(converged.runs),
    endedAs: count(ended.runs),
    vmsMade: ended.vms.length,
    seconds: Math.round((Date.now() - started) / 1000),
    home,
  });
}, 1_200_000);

afterAll(async () => {
  console.log(`crash figures: ${JSON.stringify(figures, null, 2)}`);
  if (slipway) await killProcessGroup(slipway.pgid);
  if (home && process.env.CRASH_KEEP_HOME !== '1') rmSync(home, { recursive: true, force: true });
});

describe(`crash: npm start SIGKILLed ${KILLS} times while ${RUNS} runs deploy (seed ${SEED})`, () => {
  it('brings every run, after the last restart, to Ready or a final state', () => {
    const stuck = converged.runs.filter((r) => r.state !== 'Ready' && !isFinal(r.state)).map((r) => `${r.id}: ${r.state}`);
    const unknown = converged.runs.filter((r) => !launched.some((l) => l.id === r.id)).map((r) => `${r.id}: ${r.state} (never answered to its launch)`);
    figures.stuck = stuck;
    figures.runsNobodyLaunched = unknown;

    expect(launched).toHaveLength(RUNS);
    expect(stuck).toEqual([]);
    expect(unknown).toEqual([]);
  });

  it('makes one VM per instance of a Ready run, none that outlives a final run, and never a second one for an instance', () => {
    const problems: string[] = [];
    const perTag = vmsPerTag(converged.vms);
    for (const run of converged.runs) {
      for (const instance of WORDPRESS_INSTANCES) {
        const made = perTag.get(`${run.id}#${instance.replace('.', '#')}`) ?? [];
        const live = liveVms(made).length;
        const expected = run.state === 'Ready' ? 1 : 0;
        if (live !== expected) problems.push(`${run.id} (${run.state}) ${instance}: ${live} live VMs, expected ${expected}`);
        if (made.length > 1)
          problems.push(`${run.id} (${run.state}) ${instance}: made ${made.length} times (${made.map((vm) => `${vm.cloudId} ${vm.state}`).join(', ')})`);
      }
    }
    const strays = converged.vms.filter((vm) => !vm.tag || !converged.runs.some((r) => r.id === vm.tag!.run)).map((vm) => `${vm.cloudId} (${vm.state})`);
    figures.vmProblems = problems.length;

    expect(problems).toEqual([]);
    expect(strays).toEqual([]);
  });

  it("counts every live VM exactly once in its user's quota", () => {
    const mismatches = world.users.flatMap((user) => {
      const used = converged.quotaUsed.get(`${user.id}#${CONNECTOR}`);
      const live = liveVms(converged.vms).filter((vm) => vm.account.user === user.id).length;
      return used === live ? [] : [`${user.name}: quota says ${used} in use, the cloud holds ${live} live VMs`];
    });

    expect(mismatches).toEqual([]);
  });

  it('leaves nothing behind once the Ready runs are terminated: every run final, no live VM, no quota in use', () => {
    const notFinal = ended.runs.filter((r) => !isFinal(r.state)).map((r) => `${r.id}: ${r.state}`);
    const leaks = liveVms(ended.vms).map((vm) => `${vm.cloudId} ${vm.tag?.node}.${vm.tag?.index} of ${vm.tag?.run}`);
    const quota = [...ended.quotaUsed].filter(([, used]) => used !== 0).map(([where, used]) => `${where}: ${used}`);
    figures.leaks = leaks.length;

    expect(notFinal).toEqual([]);
    expect(leaks).toEqual([]);
    expect(quota).toEqual([]);
  });

  it("records in every run's event log its state changes in lifecycle order, the last one being the run's state", () => {
    figures.eventLogProblems = eventProblems;

    expect(eventProblems).toEqual([]);
  });
});
