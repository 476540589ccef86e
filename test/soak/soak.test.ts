/* eslint-disable @typescript-eslint/no-explicit-any -- API bodies are read field by field, as in test/support/http-client */
/**
 * The trust issue's soak proof: a few hundred seeded runs of wordpress-site on a
 * sim cloud that fails 30% of creates transiently (half of those after making the
 * VM: lost responses) and 5% for good, while the test makes VMs vanish behind
 * Slipway's back, gives some runs VMs that never boot, terminates runs mid-deploy
 * and lets others expire. Afterwards, once every Ready run is terminated, nothing
 * may be left behind: no VM in the cloud, no quota, no run half-way, no event log
 * that disagrees with its run.
 *
 * Runs differ in web's multiplicity (2 to 4), so creates queue behind maxIaasWorkers (2).
 *
 * Replay a failure with the seed it printed: `SOAK_SEED=<seed> npm run test:soak -- soak`.
 * `SOAK_RUNS` (default 300) and `SOAK_CONCURRENCY` (default 24) size it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/stack';
import { apiClient, type ApiClient } from '#test/support/http-client';
import { eventLogProblem, isFinal } from './support/lifecycle';
import { seededRandom, seedFromEnv, sleep, type SeededRandom } from './support/seeded';
import { simCloud, vmsPerTag, type InjectedFaults, type SimCloud, type SimVm } from './support/sim-cloud';
import { listAllRuns, listRunEvents, pollRun, setUpWorld, type SoakUser, type SoakWorld } from './support/slipway';

const SEED = seedFromEnv('SOAK_SEED', 20_261_201);
const RUNS = seedFromEnv('SOAK_RUNS', 300);
const CONCURRENCY = seedFromEnv('SOAK_CONCURRENCY', 24);

/** Where runs deploy: every create attempt draws its fault from the seed. */
const FLAKY = 'soak-flaky';
/** Same faults, but its VMs take a day to boot: they never do within the soak. */
const STUCK = 'soak-stuck';
const FAULT_RATES = { transientFailureRate: 0.3, permanentFailureRate: 0.05 };

/** What the test does to a run besides launching it. */
const RUN_FAULTS = {
  none: 55,
  /** One of its VMs is terminated in the cloud, behind Slipway's back, at a random moment. */
  vanishes: 15,
  /** Its user asks to terminate it at a random moment while it deploys. */
  terminatedMidDeploy: 12,
  /** Its web node is placed on the cloud whose VMs never boot; its user gives up on it after a while. */
  neverBoots: 10,
  /** It expires a few seconds after launch, wherever it is by then. */
  expires: 8,
} as const;
type RunFault = keyof typeof RUN_FAULTS;

/** How long a run may take to settle (Ready or final): longer than a create's whole retry budget at these rates. */
const RUN_BOUND_MS = 240_000;
/** How long the terminated runs get to reach a final state. */
const CONVERGENCE_BOUND_MS = 180_000;

interface RunPlan {
  n: number;
  user: SoakUser;
  fault: RunFault;
  /** Milliseconds after launch the fault strikes (for `expires`: the expiry). */
  delayMs: number;
  /** Which VM vanishes, among those listed then. */
  pick: number;
  /** web's multiplicity (run override): more instances queue behind maxIaasWorkers. */
  webs: number;
}

interface DrivenRun {
  plan: RunPlan;
  id: string;
  /** The run as last read while it was driven: Ready or final unless it overran its bound. */
  settled: any;
  vanished?: { cloudId: string; name: string; runState: string };
  terminateStatus?: number;
}

let stack: LocalStack;
let api: ApiClient;
let cloud: SimCloud;
let world: SoakWorld;
let driven: DrivenRun[] = [];
/** Every run after the Ready ones were terminated and the rest converged. */
let finalRuns: any[] = [];
let vms: SimVm[] = [];
let faults: InjectedFaults;
const figures: Record<string, unknown> = {};

function planRuns(random: SeededRandom, users: SoakUser[]): RunPlan[] {
  return Array.from({ length: RUNS }, (_, n) => {
    const fault = random.weighted(RUN_FAULTS);
    const delayMs = fault === 'expires' ? random.int(2_000, 10_000) : fault === 'neverBoots' ? random.int(1_000, 4_000) : random.int(0, 8_000);
    return { n, user: users[n % users.length]!, fault, delayMs, pick: random.int(0, 4), webs: random.int(2, 4) };
  });
}

const settledOrFinal = (run: any) => run.state === 'Ready' || isFinal(run.state);

async function launch(plan: RunPlan): Promise<string> {
  const body = {
    deployment: 'wordpress-site',
    connector: FLAKY,
    tags: { soak: String(plan.n), fault: plan.fault },
    nodes: { web: { multiplicity: plan.webs, ...(plan.fault === 'neverBoots' ? { connector: STUCK } : {}) } },
    ...(plan.fault === 'expires' ? { expiresAt: new Date(Date.now() + plan.delayMs).toISOString() } : {}),
  };
  const reply = await api.post('/runs', plan.user.key, body);
  if (reply.status !== 201) throw new Error(`launch of soak run ${plan.n}: ${reply.status} ${reply.text}`);
  return reply.body.id;
}

/** Asks to terminate; 200 (not 202) only for a run that was already ending or ended on its own meanwhile. */
async function terminate(run: DrivenRun): Promise<void> {
  const reply = await api.post(`/runs/${run.id}/terminate`, run.plan.user.key);
  run.terminateStatus = reply.status;
  if (reply.status === 202) return;
  const now = (await api.get(`/runs/${run.id}`, run.plan.user.key)).body;
  if (reply.status !== 200 || !(isFinal(now.state) || now.state === 'Finalizing'))
    throw new Error(`terminate of ${run.id} (${now.state}): ${reply.status} ${reply.text}`);
}

/** Terminates one of the run's VMs in the cloud itself, once it has one. */
async function makeAVmVanish(run: DrivenRun): Promise<void> {
  const deadline = Date.now() + 60_000;
  const account = world.accounts.find((a) => a.user === run.plan.user.id && a.config.name === FLAKY)!;
  const connector = cloud.open(account);
  while (Date.now() < deadline) {
    const live = (await connector.listInstances({ run: run.id })).filter((vm) => vm.state !== 'terminated');
    const state = (await api.get(`/runs/${run.id}`, run.plan.user.key)).body.state;
    if (live.length) {
      const vm = live[run.plan.pick % live.length]!;
      await connector.terminateInstance(vm.cloudId);
      run.vanished = { cloudId: vm.cloudId, name: `${vm.tag?.node}.${vm.tag?.index}`, runState: state };
      return;
    }
    if (isFinal(state)) return;
    await sleep(250);
  }
}

async function drive(plan: RunPlan): Promise<DrivenRun> {
  const run: DrivenRun = { plan, id: await launch(plan), settled: undefined };
  const { key } = plan.user;
  switch (plan.fault) {
    case 'vanishes':
      await sleep(plan.delayMs);
      await makeAVmVanish(run);
      break;
    case 'terminatedMidDeploy':
      await sleep(plan.delayMs);
      await terminate(run);
      break;
    case 'neverBoots':
      await pollRun(api, key, run.id, (r) => r.state === 'Executing' || isFinal(r.state), RUN_BOUND_MS);
      await sleep(plan.delayMs);
      await terminate(run);
      break;
    default:
      break;
  }
  const expectFinal = plan.fault === 'terminatedMidDeploy' || plan.fault === 'neverBoots' || plan.fault === 'expires';
  run.settled = await pollRun(api, key, run.id, expectFinal ? (r) => isFinal(r.state) : settledOrFinal, RUN_BOUND_MS);
  return run;
}

/** Runs `work` over `items`, `limit` at a time, in order of the items. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const count = <T>(items: readonly T[], by: (item: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [by(item)]: (acc[by(item)] ?? 0) + 1 }), {});

/** The API key of the user who owns `run`. */
const keyOf = (run: { owner: string }) => world.users.find((u) => u.id === run.owner)!.key;

/** A leaked VM with what Slipway and the sim know of its instance: the evidence a diagnosis starts from. */
async function describeLeak(vm: SimVm): Promise<string> {
  const runId = vm.tag?.run ?? '(untagged)';
  const owner = finalRuns.find((r) => r.id === runId);
  const name = `${vm.tag?.node}.${vm.tag?.index}`;
  const head = `${vm.cloudId} (${vm.state}) ${name} of ${runId} on ${vm.account.config.name}`;
  if (!owner) return `${head}: no such run`;
  const run = (await api.get(`/runs/${runId}`, keyOf(owner))).body;
  const instance = run.instances.find((i: any) => i.name === name);
  const events = (await listRunEvents(api, keyOf(owner), runId)).map((e) => e.message);
  const draws = (await cloud.faultDraws([vm.account])).get(`${vm.account.config.name}#${vm.account.credentialId}#${runId}#${vm.tag?.node}#${vm.tag?.index}`);
  const plan = driven.find((r) => r.id === runId)?.plan;
  return [
    head,
    `  run ${run.state} (test fault: ${plan?.fault}): ${run.abortReason ?? ''}`,
    `  Slipway's instance: ${JSON.stringify({ state: instance?.state, cloudId: instance?.cloudId, error: instance?.error, drift: instance?.drift })}`,
    `  sim create attempts: ${draws?.join(', ') ?? 'none counted'}`,
    `  events: ${events.join(' | ')}`,
  ].join('\n');
}

beforeAll(async () => {
  // Prepare: the whole product in this process; schedules (monitor, expiry) every second.
  const started = Date.now();
  const random = seededRandom(SEED);
  stack = await startLocalStack({ scheduleIntervalMs: 1000 });
  api = apiClient(stack.apiUrl);
  cloud = simCloud(stack.dynamoDbEndpoint);
  world = await setUpWorld(
    api,
    stack.adminKey,
    ['ann', 'ben', 'cat'],
    [
      { name: FLAKY, settings: { bootSeconds: 1, seed: SEED, ...FAULT_RATES } },
      { name: STUCK, settings: { bootSeconds: 86_400, seed: SEED + 1, ...FAULT_RATES } },
    ],
  );

  // Act: drive every run, then terminate whatever is Ready and let everything converge.
  driven = await pooled(planRuns(random, world.users), CONCURRENCY, drive);
  const readyBefore = driven.filter((r) => r.settled.state === 'Ready');
  await Promise.all(readyBefore.map((run) => terminate(run)));
  const deadline = Date.now() + CONVERGENCE_BOUND_MS;
  for (const user of world.users) {
    for (const run of await listAllRuns(api, user.key)) {
      if (!isFinal(run.state)) await pollRun(api, user.key, run.id, (r) => isFinal(r.state), Math.max(0, deadline - Date.now()));
    }
  }
  finalRuns = (await Promise.all(world.users.map((u) => listAllRuns(api, u.key)))).flat();
  vms = await cloud.listAll(world.accounts);
  faults = await cloud.injectedFaults(world.accounts);

  Object.assign(figures, {
    seed: SEED,
    runs: driven.length,
    runFaultsPlanned: count(driven, (r) => r.plan.fault),
    simCreateAttempts: faults.attempts,
    simFaultsInjected: { transient: faults.transient, lostResponse: faults.lostResponse, permanent: faults.permanent },
    vmsVanished: driven.filter((r) => r.vanished).length,
    vmsVanishedWhileRunWas: count(
      driven.filter((r) => r.vanished),
      (r) => r.vanished!.runState,
    ),
    vmsThatNeverBoot: vms.filter((vm) => vm.account.config.name === STUCK).length,
    terminatedMidDeploy: count(
      driven.filter((r) => r.plan.fault === 'terminatedMidDeploy'),
      (r) => String(r.terminateStatus),
    ),
    settledAs: count(driven, (r) => r.settled.state),
    readyThenTerminated: readyBefore.length,
    finalStates: count(finalRuns, (r) => r.state),
    vmsInCloud: vms.length,
    actSeconds: Math.round((Date.now() - started) / 1000),
  });
}, 900_000);

afterAll(async () => {
  console.log(`soak figures: ${JSON.stringify(figures, null, 2)}`);
  cloud?.close();
  await stack?.stop();
});

describe(`soak: ${RUNS} seeded runs on a sim cloud with transient, permanent and lost-response creates (seed ${SEED})`, () => {
  it('settles every run as Ready or final, and ends every run in a final state once the Ready ones are terminated', () => {
    const unsettled = driven.filter((r) => !settledOrFinal(r.settled)).map((r) => `${r.id} (${r.plan.fault}): ${r.settled.state}`);
    const notFinal = finalRuns.filter((r) => !isFinal(r.state)).map((r) => `${r.id}: ${r.state}`);
    figures.unsettled = unsettled.length;
    figures.notFinal = notFinal.length;

    expect(finalRuns).toHaveLength(RUNS);
    expect(unsettled).toEqual([]);
    expect(notFinal).toEqual([]);
  });

  it('leaves no VM in the sim cloud that no live run owns', async () => {
    const live = new Set(finalRuns.filter((r) => !isFinal(r.state)).map((r) => r.id));

    const leaked = vms.filter((vm) => vm.state !== 'terminated' && !(vm.tag && live.has(vm.tag.run)));
    const leaks = await Promise.all(leaked.map(describeLeak));
    figures.leaks = leaks.length;

    expect(leaks).toEqual([]);
  });

  it('never makes a second VM for one instance of a run', () => {
    const twice = [...vmsPerTag(vms)]
      .filter(([, made]) => made.length > 1)
      .map(([tag, made]) => `${tag}: ${made.map((vm) => `${vm.cloudId} (${vm.state})`).join(', ')}`);
    figures.instancesWithTwoVms = twice.length;

    expect(twice).toEqual([]);
  });

  it("counts in every user's quota on every connector exactly the VMs live there", async () => {
    const mismatches: string[] = [];
    for (const user of world.users) {
      const quotas = (await api.get('/quotas', user.key)).body.items as { connector: string; used: number }[];
      for (const connector of [FLAKY, STUCK]) {
        const used = quotas.find((q) => q.connector === connector)?.used;
        const live = vms.filter((vm) => vm.state !== 'terminated' && vm.account.user === user.id && vm.account.config.name === connector).length;
        if (used !== live) mismatches.push(`${user.name} on ${connector}: quota says ${used} in use, the cloud holds ${live} live VMs`);
      }
    }
    figures.quotaMismatches = mismatches.length;

    expect(mismatches).toEqual([]);
  });

  it("records in every run's event log its state changes in lifecycle order, the last one being the run's state", async () => {
    const problems: string[] = [];
    for (const run of finalRuns) {
      const states = (await listRunEvents(api, keyOf(run), run.id)).filter((e) => e.state).map((e) => e.state!);
      const problem = eventLogProblem(run.state, states);
      if (problem) problems.push(`${run.id} (${driven.find((r) => r.id === run.id)?.plan.fault}): ${problem}`);
    }
    figures.eventLogProblems = problems.length;

    expect(problems).toEqual([]);
  });
});
